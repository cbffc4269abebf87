// A push's `plan-sync` check run reports every plan the push touched, and each plan syncs in a job of its own
// (one plan at a time, anywhere). The ledger keeps a run's plan results until the last one is in; whoever
// reports it concludes the run, exactly once. In process, or in Redis beside the jobs (src/runtime/).
import type { JobRepo } from "./jobs.js";
import type { PlanRunResult } from "./workflows/sync-check-run.js";

/** What concluding the run needs once its plans are synced. */
export interface RunRecord {
  checkRunId: number;
  checkSha: string;
  installationId: number | null;
  deliveryId: string;
  repo: JobRepo;
  /** Plans the run waits for (one result each, by index). */
  plans: number;
  /** Plans left out (past `max_plans_per_push`): the check run names them. */
  notSynced: string[];
  /** Commits where a run a dead process left in progress may be: a push's before, then its after. */
  staleRunsAt: string[];
  /** A push to the default branch whose head commit names a pull request (a merge): its comment is updated. */
  namesPullRequest: boolean;
  /** The push is to the default branch: merged PRs' comments may list the issues created. */
  defaultBranch: boolean;
}

export interface RunLedger {
  open(record: RunRecord): Promise<void>;
  /**
   * Records plan `index`'s result (`final` false: paused, a later result replaces it). Answers the record and
   * every result when this report is the one that completes the run, else null (at most one caller gets it).
   */
  report(
    checkRunId: number,
    index: number,
    result: PlanRunResult,
    final: boolean,
  ): Promise<{ record: RunRecord; results: PlanRunResult[] } | null>;
  /** The results in so far (a paused plan's progress report shows them), or null when the run is unknown. */
  results(checkRunId: number): Promise<PlanRunResult[] | null>;
  /** Whether the run is still waiting for plans (not left by a dead process). */
  has(checkRunId: number): Promise<boolean>;
  /**
   * Commits this process has cleared of runs a dead process left (stale-check-runs.ts). Only a ledger that lives
   * and dies with every run it could know of has it (in process); a shared one (Redis) cannot tell what another
   * instance started, so its pushes always look.
   */
  readonly settled?: SettledCommits;
}

/** Commits (`owner/repo@sha`) where no run a dead process left can still be in progress. */
export interface SettledCommits {
  has(commit: string): boolean;
  add(commit: string): void;
  delete(commit: string): void;
}
