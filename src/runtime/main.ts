// What `npm start` and the Docker image run: `probot run ./dist/runtime/server.js`, but with our Octokit class, which
// the `probot` binary gives no way to set (it waits out secondary rate limits instead of only logging them), and
// our logger (Probot's, with credentials redacted: see logging.ts).
import { run } from "probot";
import { createPlanSyncOctokit } from "../github/throttle.js";
import { createLogger } from "./logging.js";
import { serverMetrics } from "./server-metrics.js";

const app = new URL("./server.js", import.meta.url).href;
const Octokit = createPlanSyncOctokit({ onWait: (kind) => serverMetrics.countRateLimitWait(kind) });
await run([...process.argv, app], { Octokit, log: await createLogger() });
