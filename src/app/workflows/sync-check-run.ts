// What the `plan-sync` check run says about one run: a conclusion, a one-line title, a summary per plan and
// every diagnostic as an annotation on its line.
import { describeFailure, type CheckAnnotation, type CheckOutcome } from "../../github/index.js";
import type { Diagnostic } from "../../plan/model.js";
import { count } from "../../sync/pr-comment-plan.js";
import { summarizeOperations } from "../../sync/summary.js";
import type { PlanRunResult, PlanSyncResult } from "../plan-run.js";

export type { PlanRunResult } from "../plan-run.js";

export function reportOfRun(results: PlanRunResult[], notSynced: string[] = []): CheckOutcome {
  if (notSynced.length > 0) return withNotSynced(reportOfRun(results), results.length, notSynced);
  const own = results.filter((result) => result.supersededBy === undefined);
  const newer = [...new Set(results.flatMap((result) => result.supersededBy ?? []))].map(shortSha);
  const summary = results.map(planSummary).join("\n\n");
  if (own.length === 0)
    return { conclusion: "neutral", title: `Superseded by ${newer.join(", ")}`, summary, annotations: [] };
  const refused = own.filter((result) => result.status === "refused");
  // A plan still paused when the run ends (it stopped waiting) is as good as failed: the next push resumes it.
  const failed = own.filter((result) => result.status === "failed" || result.status === "paused");
  const annotations = own.flatMap((result) => diagnosticAnnotations(result.path, result.diagnostics));
  const conclusion = refused.length > 0 || failed.length > 0 ? "failure" : "success";
  const parts = [
    failed.length > 0 ? `${count(failed.length, "plan")} failed to sync` : null,
    refused.length > 0 ? `${count(refused.length, "plan")} with errors (not applied)` : null,
  ].filter((part): part is string => part !== null);
  const superseded = results.length - own.length;
  const title = [
    parts.length > 0 ? parts.join(", ") : `${count(own.length, "plan")} in sync`,
    superseded > 0 ? `${superseded} superseded by ${newer.join(", ")}` : null,
  ]
    .filter(Boolean)
    .join(", ");
  return { conclusion, title, summary, annotations };
}

/** Past `max_plans_per_push`: the run fails, naming the plans it left (a push of that many is rarely meant). */
function withNotSynced(report: CheckOutcome, synced: number, notSynced: string[]): CheckOutcome {
  const shown = notSynced.slice(0, NOT_SYNCED_LISTED).map((path) => `- \`${path}\``);
  const more = notSynced.length - shown.length;
  return {
    ...report,
    conclusion: "failure",
    title: `${count(notSynced.length, "plan")} not synced (more than ${synced} in one push), ${report.title}`,
    summary: [
      `This push touched ${synced + notSynced.length} plans; plan-sync syncs at most ${synced} per push (\`max_plans_per_push\`). These were not synced; each syncs with its next change, or push them in smaller pushes:`,
      ...shown,
      ...(more > 0 ? [`- and ${more} more`] : []),
      "",
      report.summary,
    ].join("\n"),
  };
}

const NOT_SYNCED_LISTED = 20;

export function reportOfInvalidConfig(errors: string[]): CheckOutcome {
  return {
    conclusion: "failure",
    title: "Invalid .github/plan-sync.yml: nothing synced",
    summary: [
      "plan-sync did not sync any plan because its configuration is invalid. Fix these and push again:",
      "",
      ...errors.map((error) => `- ${error}`),
    ].join("\n"),
    annotations: [],
  };
}

/**
 * While some plans wait out GitHub's rate limit, the run stays in progress and says how far they got: when the
 * pause begins (GitHub may refuse that write too, under the same limit) and again when they resume.
 */
export function reportOfPause(
  results: PlanRunResult[],
  resumesAt: Date,
  moment: "paused" | "resuming",
): { title: string; summary: string } {
  const paused = count(results.filter((result) => result.status === "paused").length, "plan");
  const at = `${resumesAt.toISOString().slice(11, 16)} UTC`;
  return {
    title:
      moment === "paused"
        ? `Paused by GitHub's rate limit: ${paused} resume at ${at}`
        : `Resuming ${paused} paused by GitHub's rate limit`,
    summary: results.map(planSummary).join("\n\n"),
  };
}

/** A run whose plans wait for their turn (a repository's plans sync one at a time, anywhere). */
export function reportOfQueued(targets: { path: string }[]): { title: string; summary: string } {
  return {
    title: `Queued: ${count(targets.length, "plan")} to sync`,
    summary: [
      "Each plan syncs in its turn (a repository's plans one at a time, in the order their pushes came); this run completes when the last one is synced.",
      "",
      ...targets.map((target) => `- \`${target.path}\``),
    ].join("\n"),
  };
}

export function reportOfFailedRun(error: unknown): CheckOutcome {
  return {
    conclusion: "failure",
    title: "plan-sync failed: nothing synced",
    summary: `plan-sync failed before its plans were synced: ${describeFailure(error)}. The next push retries it.`,
    annotations: [],
  };
}

/** Each status in words (the check run, and the Action's log and job summary). */
export const STATUS_TEXT: Record<PlanSyncResult["status"], string> = {
  synced: "synced",
  deleted: "file deleted: its issues were closed as not planned",
  refused: "**not applied**: the plan has errors (see the annotations)",
  skipped: "skipped (opted out, or a draft in preview mode)",
  missing: "not at the branch head (a later push moved or deleted it): nothing changed",
  paused: "**paused** by GitHub's rate limit; it resumes by itself when GitHub allows, or with the next push",
  failed: "**sync failed**; the next push retries it",
};

function planSummary(result: PlanRunResult): string {
  const moved = result.previousPath ? ` (moved from \`${result.previousPath}\`)` : "";
  if (result.supersededBy !== undefined)
    return [
      `### \`${result.path}\`${moved}`,
      `superseded by ${shortSha(result.supersededBy)}: that newer push's sync covered this one (see its check run)`,
    ].join("\n");
  const lines = [
    `### \`${result.path}\`${moved}`,
    `${result.title ? `${result.title}: ` : ""}${STATUS_TEXT[result.status]}`,
  ];
  if (result.error) lines.push(`Error: ${result.error}`);
  if (result.progress)
    lines.push(
      `Progress: ${result.progress.created} of ${count(result.progress.toCreate, "issue")} created so far.`,
    );
  const summary = summarizeOperations(result.applied);
  const changes = [
    summary.creates.length > 0 ? `${summary.creates.length} created` : null,
    summary.updates.length > 0 ? `${summary.updates.length} updated` : null,
    summary.closes.length > 0 ? `${summary.closes.length} closed` : null,
    summary.reopens.length > 0 ? `${summary.reopens.length} reopened` : null,
    summary.links > 0 ? `${count(summary.links, "link")} changed` : null,
  ].filter(Boolean);
  if (result.status === "synced" || result.status === "deleted")
    lines.push(changes.length > 0 ? `Issues: ${changes.join(", ")}.` : "No change on GitHub.");
  if (result.linksAsText > 0)
    lines.push(
      `Links GitHub refused (a cap, an unreachable issue, or not available here): ${result.linksAsText}; the issue bodies name them in text.`,
    );
  const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === "error").length;
  const warnings = result.diagnostics.length - errors;
  if (result.diagnostics.length > 0)
    lines.push(`Diagnostics: ${count(errors, "error")}, ${count(warnings, "warning")}.`);
  return lines.join("\n");
}

/** Every diagnostic of a plan as an annotation on its line (shared by push and pull request check runs). */
export function diagnosticAnnotations(path: string, diagnostics: Diagnostic[]): CheckAnnotation[] {
  return diagnostics.map((diagnostic) => ({
    path,
    line: Math.max(1, diagnostic.line),
    column: Math.max(1, diagnostic.column),
    level: diagnostic.severity === "error" ? "failure" : "warning",
    title: diagnostic.rule,
    message: diagnostic.message,
  }));
}

function shortSha(sha: string): string {
  return sha.slice(0, 7);
}
