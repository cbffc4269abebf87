// One plan's section of the pull request status comment: what merging does first, every change named (the
// counts come from the listed lines), then — folded — the plan as it will be after the merge: its issues,
// open questions and dependencies with live state. Diagnostics stay in sight, linked to their lines.
import type { Diagnostic } from "../plan/model.js";
import type { Config } from "./config.js";
import type { ItemKey, Operation, ReferenceState, RepoContext } from "./model.js";
import { describeChanges, verdictCounts } from "./pr-comment-changes.js";
import type { PlanPreview } from "./pr-preview.js";
import { dependencyLine, permalink } from "./references.js";
import { count, doneMark, tableCell } from "./render-context.js";

export { count } from "./render-context.js";

export interface PlanSectionContext {
  /** The repository, and in `sha` the PR head commit the preview reflects. */
  repo: RepoContext;
  config: Config;
  referenceStates?: Record<string, ReferenceState>;
}

export function renderPlanSection(preview: PlanPreview, context: PlanSectionContext): string {
  const sections = [headOf(preview), mergeEffect(preview, context.repo)];
  const folded = afterMerge(preview, context);
  if (folded) sections.push(folded);
  if (preview.plan && preview.plan.diagnostics.length > 0)
    sections.push(diagnosticList(preview.plan.diagnostics, preview.path, context.repo));
  return sections.join("\n\n");
}

/** The verdict of one plan in a few words (the comment's first line adds them up). */
export function planVerdict(preview: PlanPreview, repo: RepoContext): string {
  switch (preview.outcome) {
    case "refused":
      return "nothing — the plan has errors (below)";
    case "opted-out":
      return "nothing (opted out)";
    case "draft":
      return "nothing yet (draft)";
    case "sync":
    case "deleted":
      return verdictCounts(describeChanges(preview, repo)) || "nothing (the issues already match)";
  }
}

function headOf(preview: PlanPreview): string {
  const moved = preview.previousPath ? ` (moved from \`${preview.previousPath}\`)` : "";
  const facts = [`\`${preview.path}\`${moved}`];
  const plan = preview.plan;
  if (plan) {
    if (plan.status) facts.push(`**Status**: ${plan.status}`);
    const done = plan.steps.filter((step) => step.done).length;
    facts.push(`**Progress after merge**: ${done} of ${count(plan.steps.length, "step")} done`);
  }
  return `### ${preview.title}\n${facts.join(" · ")}`;
}

/** The dry run in words: the verdict, then one line per change. */
function mergeEffect(preview: PlanPreview, repo: RepoContext): string {
  const errors = preview.plan?.diagnostics.filter((diagnostic) => diagnostic.severity === "error").length;
  switch (preview.outcome) {
    case "refused":
      return `**Merging**: changes nothing — the plan has ${count(errors ?? 0, "error")} (below), so it is not applied. Fix ${errors === 1 ? "it" : "them"} and push again.`;
    case "opted-out":
      return "**Merging**: changes nothing — the file opts out (`plan-sync: false`).";
    case "draft":
      return "**Merging**: changes nothing yet — the plan is a draft (`draft: preview` in the config); its issues are made once its status changes.";
    case "sync":
    case "deleted":
      break;
  }
  const changes = describeChanges(preview, repo);
  if (changes.length === 0) return "**Merging**: changes nothing — the issues already match this plan.";
  const intro = preview.outcome === "deleted" ? "the file is deleted: " : "";
  return [
    `**Merging**: ${intro}${verdictCounts(changes)}.`,
    ...changes.map((change) => `- ${change.line}`),
  ].join("\n");
}

/** The plan after the merge, folded: its issues, open questions and dependencies. */
function afterMerge(preview: PlanPreview, context: PlanSectionContext): string | null {
  const parts: string[] = [];
  const rows = issueRows(preview);
  if (rows.length > 0) parts.push(issueTable(rows));
  const questions = questionList(preview);
  if (questions) parts.push(questions);
  const dependencies = dependencyList(preview, context);
  if (dependencies) parts.push(dependencies);
  if (parts.length === 0) return null;
  const summary = [
    rows.length > 0 ? count(rows.length, "issue") : null,
    preview.plan?.questions.length ? count(preview.plan.questions.length, "question") : null,
    dependencies ? "dependencies" : null,
  ].filter(Boolean);
  return `<details>\n<summary>After the merge: ${summary.join(", ")}</summary>\n\n${parts.join("\n\n")}\n\n</details>`;
}

interface IssueRow {
  label: string;
  issue: string;
  state: string;
  assignees: string[];
}

/** Each item's issue as it will be once the operations are applied (`new` for those merging creates). */
function issueRows(preview: PlanPreview): IssueRow[] {
  const byItem = new Map(preview.linked.map((issue) => [issue.item, issue]));
  const opsOf = (item: ItemKey) => preview.operations.filter((op) => "item" in op && op.item === item);
  const row = (item: ItemKey, label: string): IssueRow | null => {
    const ops = opsOf(item);
    const create = ops.find((op) => op.type === "create");
    if (create?.type === "create")
      return {
        label,
        issue: "new",
        state: create.closeAfter ? "closed (completed)" : "open",
        assignees: create.assignees,
      };
    const issue = byItem.get(item);
    if (!issue) return null;
    let state =
      issue.state === "open" || !issue.stateReason || issue.stateReason === "reopened"
        ? issue.state
        : `closed (${reasonText(issue.stateReason)})`;
    let assignees = issue.assignees;
    for (const op of ops) {
      if (op.type === "close") state = `closed (${reasonText(op.reason)})`;
      if (op.type === "reopen") state = "open";
      const changes = changesOf(op);
      if (changes?.assignees) assignees = changes.assignees;
    }
    return { label, issue: `#${issue.number}`, state, assignees };
  };
  const planned = Object.entries(preview.itemLabels).flatMap(([item, label]) => row(item, label) ?? []);
  const leaving = preview.linked
    .filter((issue) => !(issue.item in preview.itemLabels))
    .flatMap((issue) => row(issue.item, issue.label) ?? []);
  return [...planned, ...leaving];
}

function changesOf(op: Operation) {
  return op.type === "update" || op.type === "close" || op.type === "reopen" ? op.changes : null;
}

function reasonText(reason: string): string {
  return reason === "not_planned" ? "not planned" : reason;
}

/** Assignees as plain logins: a mention in a comment edited on every push would notify them each time. */
function issueTable(rows: IssueRow[]): string {
  return [
    `**Issues** (${rows.length}):`,
    "",
    "| Item | Issue | State | Assignees |",
    "|---|---|---|---|",
    ...rows.map(
      (row) =>
        `| ${tableCell(row.label)} | ${row.issue} | ${row.state} | ${tableCell(row.assignees.join(", ")) || "—"} |`,
    ),
  ].join("\n");
}

function questionList(preview: PlanPreview): string | null {
  const questions = preview.plan?.questions ?? [];
  if (questions.length === 0) return null;
  const numbers = new Map(preview.linked.map((issue) => [issue.item, issue.number]));
  const lines = questions.map((question) => {
    const number = numbers.get(`question:${question.key}`);
    const answer = question.answer?.trim()
      ? ` — ${question.answer.trim().replace(/(?<!\s)\s*\n\s*/g, " ")}`
      : "";
    return `- ${doneMark(question.done)} ${question.text.trim()}${number ? ` (#${number})` : ""}${answer}`;
  });
  return ["**Open questions** (✅ answered):", ...lines].join("\n");
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
