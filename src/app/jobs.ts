// The work an event causes, as data (SPEC.md §5: queued work survives a restart and any instance can run it).
// A job names its installation, never a client: the worker (src/runtime/job-worker.ts) rebuilds the GitHub client
// from the installation id when the job runs, so a job can wait in Redis, outlive the process that added it and
// run on another instance. Everything here must survive JSON.stringify / JSON.parse unchanged.
import type { RepoRef } from "../github/index.js";
import type { Config } from "../sync/config.js";
import type { ClosedItem, PlanTarget } from "./plan-run.js";

/** One webhook delivery: its handler decides which jobs it causes (src/app/handlers/). */
export interface DeliveryJob {
  kind: "delivery";
  /** X-GitHub-Delivery: a delivery already handled (or being handled) is not handled again. */
  deliveryId: string;
  /** The event name, e.g. `push`, `pull_request`. */
  name: string;
  /** Absent in Action mode, whose token is not an installation's. */
  installationId: number | null;
  payload: object;
}

/** Where a push's `plan-sync` check run takes this plan's result: its id, its commit, the plan's place in it. */
export interface RunSlot {
  checkRunId: number;
  checkSha: string;
  index: number;
}

/** Repository, branch and host: what every job of one repository carries. */
export interface JobRepo extends RepoRef {
  branch: string;
  /** `github.com` or the GitHub Enterprise host, for links. */
  host: string;
}

/** What an issue event asks after its plan's sync: refresh the open PRs' comments, maybe tick a closed item. */
export interface IssueFollowUp {
  closed: ClosedItem | null;
}

/** Sync one plan at its branch head. Jobs for one plan run one at a time; those that wait run as one sync. */
export interface SyncPlanJob extends PlanTarget {
  kind: "sync-plan";
  installationId: number | null;
  deliveryId: string;
  /** Why: a push (or an install) with a check run, or an issue event (no check run). */
  reason: "push" | "install" | "issue";
  repo: JobRepo;
  /** The config as the handler read it (validated). */
  config: Config;
  /** The commit to read, when the handler read the head already (install). */
  sha?: string;
  /** The check run this sync reports to; absent for an issue event's. */
  run?: RunSlot;
  followUp?: IssueFollowUp;
}

/** Preview a pull request (or report its merge): the newest of its events that waited is handled. */
export interface PullRequestJob {
  kind: "pull-request";
  installationId: number | null;
  deliveryId: string;
  repo: RepoRef;
  number: number;
  name: string;
  payload: object;
}

/** Tick the items people closed as completed, in one writeback PR per plan. */
export interface WriteBackJob {
  kind: "write-back";
  installationId: number | null;
  deliveryId: string;
  repo: JobRepo;
  path: string;
  botLogins: string[];
  items: ClosedItem[];
  config: Pick<Config, "max_items" | "draft">;
}

/** Jobs with a key: one at a time per key, and those that wait for it are handed over together. */
export type KeyedJob = SyncPlanJob | PullRequestJob | WriteBackJob;

export type Job = DeliveryJob | KeyedJob;
