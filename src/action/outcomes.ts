// One plan's outcome in a workflow run, as the Action's log, job summary and outputs show it: from a push's
// sync result (what was written) or from a pull request's preview (what merging would write).
import { STATUS_TEXT, type PlanRunResult } from "../app/workflows/sync-check-run.js";
import { OUTCOME_TEXT } from "../app/workflows/preview-check-run.js";
import type { Diagnostic } from "../plan/model.js";
import { TRACKING_KEY } from "../sync/items.js";
import type { PlanPreview } from "../sync/pr-preview.js";

/** An issue the run wrote (or would write); `number` is null for one a preview would create. */
export interface IssueRef {
  number: number | null;
  title: string;
}

export interface PlanOutcome {
  path: string;
  title: string | null;
  /** The sync's status (`synced`, `refused`, …) or, in a preview, the outcome on merge (`sync`, `draft`, …). */
  status: string;
  /** The status in words (markdown: the check run's text). */
  statusText: string;
  trackingIssue: number | null;
  /** Each issue once: an issue created and then updated in the same sync (its links) counts as created. */
  created: IssueRef[];
  updated: IssueRef[];
  closed: IssueRef[];
  diagnostics: Diagnostic[];
  /** The commit the plan was read at (the diagnostics' lines), when known. */
  sha: string | null;
  error: string | null;
}

export function outcomeOfSync(result: PlanRunResult): PlanOutcome {
  return {
    path: result.path,
    title: result.title,
    status: result.status,
    statusText: STATUS_TEXT[result.status],
    trackingIssue: result.issueNumbers[TRACKING_KEY] ?? null,
    ...issuesWritten(result.applied, (item) => result.issueNumbers[item] ?? null),
    diagnostics: result.diagnostics,
    sha: result.sha,
    error: result.error,
  };
}

export function outcomeOfPreview(preview: PlanPreview, sha: string): PlanOutcome {
  return {
    path: preview.path,
    title: preview.title,
    status: preview.outcome,
    statusText: OUTCOME_TEXT[preview.outcome],
    trackingIssue: preview.linked.find((issue) => issue.item === TRACKING_KEY)?.number ?? null,
    // A refused plan's dry run is not what merging does: merging applies nothing.
    ...issuesWritten(preview.outcome === "refused" ? [] : preview.operations, () => null),
    diagnostics: preview.plan?.diagnostics ?? [],
    sha,
    error: null,
  };
}

type Written = Pick<PlanOutcome, "created" | "updated" | "closed">;

function issuesWritten(ops: PlanRunResult["applied"], numberOf: (item: string) => number | null): Written {
  const created: IssueRef[] = [];
  const updated = new Map<number, IssueRef>();
  const closed = new Map<number, IssueRef>();
  for (const op of ops) {
    if (op.type === "create") created.push({ number: numberOf(op.item), title: op.title });
    // A reopen is an update of the issue's state.
    if (op.type === "update" || op.type === "reopen")
      updated.set(op.number, { number: op.number, title: op.name });
    if (op.type === "close") closed.set(op.number, { number: op.number, title: op.name });
  }
  const isNew = new Set(created.map((issue) => issue.number));
  return {
    created,
    updated: [...updated.values()].filter((issue) => !isNew.has(issue.number)),
    closed: [...closed.values()],
  };
}

/** The status in words as a log line shows it (no markdown emphasis). */
export function plainStatus(outcome: PlanOutcome): string {
  return outcome.statusText.replace(/\*\*/g, "");
}
