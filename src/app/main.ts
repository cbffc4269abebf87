// What `npm start` and the Docker image run: `probot run ./dist/app/index.js`, but with our Octokit class, which
// the `probot` binary gives no way to set. It waits out secondary rate limits instead of only logging them.
import { run } from "probot";
import { PlanSyncOctokit } from "../github/throttle.js";

const app = new URL("./index.js", import.meta.url).href;
await run([...process.argv, app], { Octokit: PlanSyncOctokit });
