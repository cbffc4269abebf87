// The app's RunReporter in Action mode: each plan's work is one group in the workflow's log (the app's own log
// lines of that sync inside it), closed by what the sync did and every diagnostic as an annotation on its line.
// It keeps what it was told, for the job summary and the step's outputs once the event is handled.
import type { PlanRunResult } from "../app/workflows/sync-check-run.js";
import type { PullRequestPreviewReport, RunReporter } from "../app/deps.js";
import type { PlanTarget } from "../app/workflows/sync-one-plan.js";
import type { RepoLinks } from "./links.js";
import { outcomeOfPreview, outcomeOfSync, plainStatus, type IssueRef, type PlanOutcome } from "./outcomes.js";
import { diagnosticCommand, END_GROUP, startGroup, workflowCommand } from "./workflow-commands.js";

/** What the event's run did, as the reporter was told. */
export interface ActionRun {
  /** Each plan a push synced, or a pull request previewed, in order. */
  plans: PlanOutcome[];
  /** A push's sync results as the app returned them (the check run's verdict is made of them). */
  synced: PlanRunResult[];
  /** The pull request previewed, with its status comment; null for any other event. */
  pullRequest: { number: number; comment: string } | null;
  /** `.github/plan-sync.yml` was invalid (nothing synced): its errors. */
  configErrors: string[] | null;
}

export class ActionReporter implements RunReporter {
  readonly run: ActionRun = { plans: [], synced: [], pullRequest: null, configErrors: null };
  private open = false;

  constructor(
    private readonly links: RepoLinks,
    private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  ) {}

  planStarted(target: PlanTarget): void {
    this.closeGroup();
    this.write(startGroup(target.path));
    this.open = true;
  }

  planSynced(result: PlanRunResult): void {
    const outcome = outcomeOfSync(result);
    // A plan paused by the rate limit is synced again in the same run: its last result is its outcome.
    const earlier = this.run.synced.findIndex((synced) => synced.path === result.path);
    if (earlier >= 0) {
      this.run.synced.splice(earlier, 1);
      this.run.plans.splice(earlier, 1);
    }
    this.run.plans.push(outcome);
    this.run.synced.push(result);
    this.writeOutcome(outcome, false);
    this.closeGroup();
  }

  pullRequestPreviewed(report: PullRequestPreviewReport): void {
    this.run.pullRequest = { number: report.number, comment: report.comment };
    for (const preview of report.previews) {
      const outcome = outcomeOfPreview(preview, this.links.eventSha ?? "");
      this.run.plans.push(outcome);
      this.write(startGroup(outcome.path));
      this.writeOutcome(outcome, true);
      this.write(END_GROUP);
    }
  }

  configRejected(errors: string[]): void {
    this.run.configErrors = errors;
    for (const error of errors)
      this.write(workflowCommand("error", { file: ".github/plan-sync.yml", title: "invalid-config" }, error));
  }

  /** A group left open (a run that failed part way) must not swallow the lines after it. */
  closeGroup(): void {
    if (this.open) this.write(END_GROUP);
    this.open = false;
  }

  /** `preview`: the issues are what merging would write. */
  private writeOutcome(outcome: PlanOutcome, preview: boolean): void {
    this.write(`${outcome.title ?? outcome.path}: ${plainStatus(outcome)}`);
    if (outcome.error) this.write(`Error: ${outcome.error}`);
    const lists: Array<[string, IssueRef[]]> = [
      [preview ? "To create" : "Created", outcome.created],
      [preview ? "To update" : "Updated", outcome.updated],
      [preview ? "To close" : "Closed", outcome.closed],
    ];
    for (const [verb, issues] of lists)
      for (const issue of issues) this.write(`${verb} ${this.issueText(issue)}`);
    if (outcome.trackingIssue !== null)
      this.write(`Tracking issue: ${this.links.issue(outcome.trackingIssue)}`);
    for (const diagnostic of outcome.diagnostics) this.write(diagnosticCommand(outcome.path, diagnostic));
  }

  private issueText(issue: IssueRef): string {
    return issue.number === null
      ? `“${issue.title}”`
      : `#${issue.number} “${issue.title}” ${this.links.issue(issue.number)}`;
  }
}
