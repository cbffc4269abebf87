// What a run did, told as it happens to whoever shows it somewhere else than GitHub (Action mode: the
// workflow's log, job summary and step outputs). Optional: the server has no reporter; every method is called
// after the app's own writes (check run, comment), so a reporter only observes.
import type { PlanPreview } from "../sync/pr-preview.js";
import type { PlanRunResult } from "./check-report.js";
import type { PlanTarget } from "./sync-plan.js";

export interface PullRequestPreviewReport {
  number: number;
  /** The status comment's body as written on the pull request. */
  comment: string;
  previews: PlanPreview[];
}

export interface RunReporter {
  /** A push's (or install's) sync of one plan begins; `planSynced` follows with its result. */
  planStarted?(target: PlanTarget): void;
  planSynced?(result: PlanRunResult): void;
  /** A pull request's preview: its status comment and each plan's dry run. */
  pullRequestPreviewed?(report: PullRequestPreviewReport): void;
  /** `.github/plan-sync.yml` is invalid: nothing was synced or previewed. */
  configRejected?(errors: string[]): void;
}
