// What the app's handlers need from outside, injected so tests can pin the clock and logs and benches can count
// API calls. `createApp(deps)` in index.ts fills in the defaults.
import type { GitHubClient, GitHubLayer, RepoRef } from "../github/index.js";
import type { ParseOptions, Plan } from "../plan/model.js";
import type { Metrics } from "./metrics.js";
import type { OpenCheckRuns } from "./shutdown.js";
import type { PlanQueue } from "./queue.js";
import type { RunReporter } from "./run-reporter.js";

export interface AppDeps {
  now: () => Date;
  /** Parses a plan; the server parses in a worker thread (answers a promise), tests and Action mode inline. */
  parsePlan: (source: string, options: ParseOptions) => Plan | Promise<Plan>;
  /** Builds the GitHub layer of one repository for one piece of work. */
  github: (octokit: GitHubClient, repo: RepoRef) => GitHubLayer;
  /** Logins whose issues plan-sync manages (`<app-slug>[bot]`), resolved once. */
  botLogins: () => Promise<string[]>;
  /** Runs the syncs of one plan one at a time, coalescing those that wait; absent: no queue (unit tests). */
  planQueue?: PlanQueue;
  /** Check runs started and not completed yet, concluded as interrupted when the server stops. */
  openRuns?: OpenCheckRuns;
  /** Prometheus metrics of the server (absent in tests and Action mode). */
  metrics?: Metrics;
  /** Told what each run did (Action mode shows it in the workflow's log and job summary). */
  reporter?: RunReporter;
}
