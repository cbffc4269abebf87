// What `npm start` and the Docker image run: `probot run ./dist/runtime/server.js`, but with the server app's
// Octokit class, which the `probot` binary gives no way to set (rate limits waited out, the shared back-off,
// metrics: src/github/octokit.ts), and its logger (Probot's, with credentials redacted: see logging.ts).
import { run } from "probot";
import serverApp, { serverLog } from "./server.js";

const app = new URL("./server.js", import.meta.url).href;
await run([...process.argv, app], { Octokit: serverApp.Octokit, log: serverLog });
