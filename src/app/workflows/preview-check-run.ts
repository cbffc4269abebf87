// What the `plan-sync` check run says about a pull request's preview: failure when a plan has errors (they stop
// it from being applied on merge), success otherwise; every diagnostic an annotation on its line.
import type { CheckOutcome } from "../../github/index.js";
import { count } from "../../sync/pr-comment-plan.js";
import type { PlanPreview } from "../../sync/pr-preview.js";
import { diagnosticAnnotations } from "./sync-check-run.js";

export function reportOfPreview(previews: PlanPreview[]): CheckOutcome {
  const refused = previews.filter((preview) => preview.outcome === "refused");
  const creates = previews.reduce((sum, preview) => sum + countOf(preview, "create"), 0);
  const updates = previews.reduce((sum, preview) => sum + countOf(preview, "update"), 0);
  const closes = previews.reduce((sum, preview) => sum + countOf(preview, "close"), 0);
  const title =
    refused.length > 0
      ? `${count(refused.length, "plan")} with errors: not applied on merge`
      : `${count(previews.length, "plan")}: merging creates ${creates}, updates ${updates}, closes ${closes} issues`;
  return {
    conclusion: refused.length > 0 ? "failure" : "success",
    title,
    summary: previews.map(planSummary).join("\n\n"),
    annotations: previews.flatMap((preview) =>
      diagnosticAnnotations(preview.path, preview.plan?.diagnostics ?? []),
    ),
  };
}

/** The preview itself failed (GitHub answered an error): the run must not stay in progress. */
export function reportOfPreviewFailure(message: string): CheckOutcome {
  return {
    conclusion: "failure",
    title: "plan-sync could not preview this pull request",
    summary: `The preview failed: ${message}\n\nPush again (or re-run the check) to retry; nothing was changed.`,
    annotations: [],
  };
}

/** Each outcome in words (the check run, and the Action's log). */
export const OUTCOME_TEXT: Record<PlanPreview["outcome"], string> = {
  sync: "synced on merge",
  deleted: "file deleted: merging closes its issues as not planned",
  refused: "**not applied on merge**: the plan has errors (see the annotations)",
  "opted-out": "opted out (`plan-sync: false`)",
  draft: "a draft: preview only",
};

function planSummary(preview: PlanPreview): string {
  const moved = preview.previousPath ? ` (moved from \`${preview.previousPath}\`)` : "";
  const lines = [`### \`${preview.path}\`${moved}`, `${preview.title}: ${OUTCOME_TEXT[preview.outcome]}`];
  if (preview.outcome === "sync" || preview.outcome === "deleted")
    lines.push(
      `Merging: ${countOf(preview, "create")} to create, ${countOf(preview, "update")} to update, ${countOf(preview, "close")} to close.`,
    );
  const diagnostics = preview.plan?.diagnostics ?? [];
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === "error").length;
  if (diagnostics.length > 0)
    lines.push(`Diagnostics: ${count(errors, "error")}, ${count(diagnostics.length - errors, "warning")}.`);
  return lines.join("\n");
}

function countOf(preview: PlanPreview, type: "create" | "update" | "close"): number {
  return preview.operations.filter((op) => op.type === type).length;
}
