// The metrics of the running server, one registry per process: the Octokit class (built in main.ts, before the
// app is loaded) reports rate-limit waits into it, and the server app (index.ts) serves and feeds it.
import { createMetrics } from "./metrics.js";

export const serverMetrics = createMetrics({ processMetrics: true });
