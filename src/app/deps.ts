// What the app's handlers need from outside, injected so tests can pin the clock and logs and benches can count
// API calls. The runtime fills it in (`createApp` in src/runtime/create-app.ts): the interfaces here are what the
// app asks of it, never how the runtime keeps them.
import type { GitHubClient, GitHubLayer, RepoRef } from "../github/index.js";
import type { ParseOptions, Plan } from "../plan/model.js";
import type { PlanPreview } from "../sync/pr-preview.js";
import type { RunLedger } from "./run-ledger.js";
import type { WorkQueue } from "./work-queue.js";
import type { PlanRunResult, PlanTarget } from "./plan-run.js";

/**
 * How a sync ended: `success` applied (or had nothing to apply), `failure` refused by plan or config errors
 * (the check run fails), `error` threw, `superseded` by a newer push, `partial` stopped at the hourly write
 * budget and resumes later.
 */
export type SyncOutcome = "success" | "failure" | "error" | "superseded" | "partial";

/** What the workflows count (the server's Prometheus metrics implement it). */
export interface SyncMetrics {
  observeSync(outcome: SyncOutcome, seconds: number): void;
  /** Writes skipped because GitHub already showed what the plan says (SPEC.md §2, minimal writes). */
  countWritesAvoided(count: number): void;
}

/**
 * The check runs this process started and has not completed yet (in process only: concluded as interrupted when
 * the server stops; with BullMQ the jobs stay queued for another instance, and so do their runs).
 */
export interface OpenRuns {
  open(github: GitHubLayer, id: number): void;
  close(id: number): void;
}

export interface AppDeps {
  now: () => Date;
  /** Parses a plan; the server parses in a worker thread (answers a promise), tests and Action mode inline. */
  parsePlan: (source: string, options: ParseOptions) => Plan | Promise<Plan>;
  /** Builds the GitHub layer of one repository for one piece of work. */
  github: (octokit: GitHubClient, repo: RepoRef) => GitHubLayer;
  /** Logins whose issues plan-sync manages (`<app-slug>[bot]`), resolved once. */
  botLogins: () => Promise<string[]>;
  /** Where handlers add the jobs an event causes (src/app/jobs.ts). */
  queue: WorkQueue;
  /** Push runs waiting for their plans' results. */
  runs: RunLedger;
  /** Check runs started and not completed yet, concluded as interrupted when the server stops. */
  openRuns?: OpenRuns;
  /** Prometheus metrics of the server (absent in tests and Action mode). */
  metrics?: SyncMetrics;
  /** Told what each run did (Action mode shows it in the workflow's log, job summary and outputs). */
  reporter?: RunReporter;
}

/**
 * What a run did, told as it happens to whoever shows it elsewhere than on GitHub (Action mode: the workflow's
 * log, job summary and step outputs). Each call comes after the app's own writes (check run, comment): a
 * reporter only observes.
 */
export interface RunReporter {
  /** A push's (or install's) sync of one plan begins; `planSynced` follows with its result. */
  planStarted?(target: PlanTarget): void;
  planSynced?(result: PlanRunResult): void;
  /** A pull request's preview: the status comment's body as written, and each plan's dry run. */
  pullRequestPreviewed?(report: PullRequestPreviewReport): void;
  /** `.github/plan-sync.yml` is invalid: nothing was synced or previewed. */
  configRejected?(errors: string[]): void;
}

export interface PullRequestPreviewReport {
  number: number;
  comment: string;
  previews: PlanPreview[];
}
