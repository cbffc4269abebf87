// One plan's section of the pull request status comment: title and status, progress, what merging will do,
// the issues the plan has, open questions, dependencies with live state, every diagnostic linked to its line.
import type { Diagnostic } from "../plan/model.js";
import type { Config } from "./config.js";
import { questionKey } from "./items.js";
import type { Operation, ReferenceState, RepoContext } from "./model.js";
import type { LinkedIssue, PlanPreview } from "./pr-preview.js";
import { dependencyLine, permalink } from "./references.js";
import { tableCell } from "./render-context.js";

export interface PlanSectionContext {
  /** The repository, and in `sha` the PR head commit the preview reflects. */
  repo: RepoContext;
  config: Config;
  referenceStates?: Record<string, ReferenceState>;
}

export function renderPlanSection(preview: PlanPreview, context: PlanSectionContext): string {
  const sections = [headOf(preview), mergeEffect(preview)];
  if (preview.linked.length > 0) sections.push(linkedTable(preview.linked));
  const questions = questionList(preview);
  if (questions) sections.push(questions);
  const dependencies = dependencyList(preview, context);
  if (dependencies) sections.push(dependencies);
  if (preview.plan && preview.plan.diagnostics.length > 0)
    sections.push(diagnosticList(preview.plan.diagnostics, preview.path, context.repo));
  return sections.join("\n\n");
}

function headOf(preview: PlanPreview): string {
  const moved = preview.previousPath ? ` (moved from \`${preview.previousPath}\`)` : "";
  const facts = [`\`${preview.path}\`${moved}`];
  const plan = preview.plan;
  if (plan) {
    if (plan.status) facts.push(`**Status**: ${plan.status}`);
    const done = plan.steps.filter((step) => step.done).length;
    facts.push(`**Progress**: ${done}/${plan.steps.length} steps done`);
  }
  return `### ${preview.title}\n${facts.join(" · ")}`;
}

/** The dry run in words: counts first, then each issue by title (and number when it exists). */
function mergeEffect(preview: PlanPreview): string {
  const errors = preview.plan?.diagnostics.filter((diagnostic) => diagnostic.severity === "error").length;
  switch (preview.outcome) {
    case "refused":
      return `**What merging will do**: nothing — the plan has ${count(errors ?? 0, "error")} (below), so it is not applied. Fix ${errors === 1 ? "it" : "them"} and push again.`;
    case "opted-out":
      return "**What merging will do**: nothing — the file opts out (`plan-sync: false`).";
    case "draft":
      return "**What merging will do**: nothing yet — the plan is a draft (`draft: preview` in the config); its issues are made once its status changes.";
    default:
      break;
  }
  const ops = preview.operations;
  const creates = ops.flatMap((op) => (op.type === "create" ? [op] : []));
  const updates = ops.flatMap((op) => (op.type === "update" ? [op] : []));
  const closes = ops.flatMap((op) => (op.type === "close" ? [op] : []));
  const reopens = ops.flatMap((op) => (op.type === "reopen" ? [op] : []));
  const links = ops.filter((op) => op.type.endsWith("-sub-issue") || op.type.endsWith("-blocked-by"));
  if (creates.length + updates.length + closes.length + reopens.length + links.length === 0)
    return "**What merging will do**: nothing — the issues already match this plan.";
  const counts = [
    `${count(creates.length, "issue")} to create`,
    `${updates.length} to update`,
    `${closes.length} to close`,
    reopens.length > 0 ? `${reopens.length} to reopen` : null,
    links.length > 0 ? `${count(links.length, "link")} to add or remove` : null,
  ].filter((part): part is string => part !== null);
  const lines = [
    ...creates.map(
      (op) => `- Create “${op.title}”${op.closeAfter ? " (closed at once: done in the plan)" : ""}`,
    ),
    ...updates.map((op) => `- Update #${op.number} ${op.name}`),
    ...reopens.map((op) => `- Reopen #${op.number} ${op.name}`),
    ...closes.map((op) => `- Close #${op.number} ${op.name} (${closeReason(op)})`),
  ];
  const intro = preview.outcome === "deleted" ? "The file is deleted. " : "";
  return [`**What merging will do**: ${intro}${counts.join(", ")}.`, ...lines].join("\n");
}

function closeReason(op: Extract<Operation, { type: "close" }>): string {
  if (op.reason === "completed") return "done";
  return op.reason === "duplicate" ? "duplicate" : "not planned";
}

function linkedTable(linked: LinkedIssue[]): string {
  const rows = linked.map((issue) => {
    const state =
      issue.state === "open" || !issue.stateReason || issue.stateReason === "reopened"
        ? issue.state
        : `closed (${issue.stateReason === "not_planned" ? "not planned" : issue.stateReason})`;
    const assignees = issue.assignees.map((login) => `@${login}`).join(", ") || "—";
    return `| ${tableCell(issue.label)} | #${issue.number} | ${state} | ${assignees} |`;
  });
  return [
    `**Issues it has** (${linked.length}):`,
    "",
    "| Item | Issue | State | Assignee |",
    "|---|---|---|---|",
    ...rows,
  ].join("\n");
}

function questionList(preview: PlanPreview): string | null {
  const questions = preview.plan?.questions ?? [];
  if (questions.length === 0) return null;
  const numbers = new Map(preview.linked.map((issue) => [issue.item, issue.number]));
  const lines = questions.map((question) => {
    const number = numbers.get(questionKey(question.key));
    const answer = question.answer?.trim()
      ? ` — ${question.answer.trim().replace(/(?<!\s)\s*\n\s*/g, " ")}`
      : "";
    return `- [${question.done ? "x" : " "}] ${question.text.trim()}${number ? ` (#${number})` : ""}${answer}`;
  });
  return ["**Open questions**:", ...lines].join("\n");
}

function dependencyList(preview: PlanPreview, context: PlanSectionContext): string | null {
  const dependencies = preview.plan?.dependencies;
  if (!dependencies) return null;
  const { upstream, downstream } = dependencies;
  if (upstream.length === 0 && downstream.length === 0) return null;
  const parts: string[] = [];
  if (upstream.length > 0)
    parts.push(
      ["**Upstream dependencies**:", ...upstream.map((item) => dependencyLine(item, context))].join("\n"),
    );
  if (downstream.length > 0)
    parts.push(
      ["**Downstream impact**:", ...downstream.map((item) => dependencyLine(item, context))].join("\n"),
    );
  return parts.join("\n\n");
}

function diagnosticList(diagnostics: Diagnostic[], path: string, repo: RepoContext): string {
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === "error").length;
  const lines = diagnostics.map((diagnostic) => {
    const line = Math.max(1, diagnostic.line);
    const link = permalink(repo, repo.sha, path, line, line);
    return `- **${diagnostic.severity}** \`${diagnostic.rule}\` at [line ${line}](${link}): ${diagnostic.message}`;
  });
  return [
    `**Diagnostics** (${count(errors, "error")}, ${count(diagnostics.length - errors, "warning")}):`,
    ...lines,
  ].join("\n");
}

export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
