// Bodies of the tracking issue (the plan at a glance) and of phase issues (plans over 100 steps).
import type { Phase, Step } from "../plan/model.js";
import { phaseKey, questionKey, stepKey } from "./items.js";
import { joinSoftBreaks } from "./markdown-text.js";
import { blobUrl, dependencyLine } from "./references.js";
import { dependencyGraph } from "./render-graph.js";
import {
  count,
  doneMark,
  markLegend,
  partOfLine,
  quote,
  tableCell,
  type RenderContext,
} from "./render-context.js";
import { STATE_MARKS, stepIsDone, stepState } from "./step-state.js";
import { phaseTitle, stepLabel } from "./titles.js";

const PROGRESS_CELLS = 10;

export function renderTrackingBody(context: RenderContext): string {
  const { plan } = context;
  const fileUrl = blobUrl(context.repo, context.repo.branch, context.path);
  const sections: string[] = [
    `Tracking issue of the plan [\`${context.path}\`](${fileUrl}).`,
    [plan.status ? `**Status**: ${plan.status}` : null, `**Progress**: ${progress(context)}`]
      .filter(Boolean)
      .join("\n"),
  ];
  if (plan.overview?.trim()) sections.push(`## Overview\n${joinSoftBreaks(plan.overview.trim())}`);
  if (plan.steps.length > 0)
    sections.push(`## Steps\n<sub>${markLegend()}</sub>\n\n${stepsByPhase(context)}`);
  if (plan.questions.length > 0) sections.push(`## Open questions\n${questionList(context)}`);
  const dependencies = dependencySection(context);
  if (dependencies) sections.push(dependencies);
  const graph = dependencyGraph(context);
  if (graph) sections.push(`## Step dependencies\n${graph}`);
  if (plan.risks.length > 0) sections.push(`## Risks\n${risksTable(plan.risks)}`);
  if (plan.ordering.length > 0)
    sections.push(`## Ordering\n${plan.ordering.map((line) => `- ${line}`).join("\n")}`);
  return sections.join("\n\n");
}

export function renderPhaseBody(phase: Phase, context: RenderContext): string {
  const steps = context.plan.steps.filter((step) => step.phase === phase.key);
  return [
    partOfLine(context, [phaseTitle(phase)]),
    `<sub>${markLegend()}</sub>`,
    steps.map((step) => stepLine(step, context, 0)).join("\n"),
  ].join("\n\n");
}

/**
 * The figure GitHub's own sub-issue meter shows on this issue (closed sub-issues of all, rounded), then the steps
 * done: the two agree when every step hangs directly under the tracking issue and questions are a list.
 */
function progress(context: RenderContext): string {
  const { plan } = context;
  const steps = plan.steps.length;
  const done = plan.steps.filter((step) => stepIsDone(step, context)).length;
  const stepFacts = `${done} of ${count(steps, "step")} done`;
  const children = subIssueCounts(context);
  const [closed, total] = children ?? [done, steps];
  const percent = total === 0 ? 0 : Math.round((closed * 100) / total);
  const filled = Math.round(percent / PROGRESS_CELLS);
  const bar = `\`${"█".repeat(filled)}${"░".repeat(PROGRESS_CELLS - filled)}\` ${percent}%`;
  if (!children || (closed === done && total === steps)) return `${bar} · ${stepFacts}`;
  return `${bar} · ${closed} of ${count(total, "sub-issue")} closed · ${stepFacts}`;
}

/** Closed and all of the tracking issue's direct sub-issues, as GitHub counts them; null without sub-issues. */
function subIssueCounts(context: RenderContext): [closed: number, total: number] | null {
  const { plan, config } = context;
  if (!config.sub_issues) return null;
  if (plan.phases.some((phase) => context.issueOf(phaseKey(phase.key)))) return null; // phase issues: per phase
  const keys = new Set(plan.steps.map((step) => step.key));
  const top = plan.steps.filter((step) => !(step.parent && keys.has(step.parent)));
  const questions = config.questions === "issue" ? plan.questions : [];
  const closed =
    top.filter((step) => stepIsDone(step, context)).length +
    questions.filter((question) => questionClosed(question.key, question.done, context)).length;
  return [closed, top.length + questions.length];
}

function questionClosed(key: string, planDone: boolean, context: RenderContext): boolean {
  const issue = context.issueOf(questionKey(key));
  return issue?.number ? issue.state === "closed" : planDone;
}

function stepsByPhase(context: RenderContext): string {
  const { plan } = context;
  const groups: string[] = [];
  const loose = plan.steps.filter((step) => !plan.phases.some((phase) => phase.key === step.phase));
  if (loose.length > 0) groups.push(stepLines(loose, context));
  for (const phase of plan.phases) {
    const steps = plan.steps.filter((step) => step.phase === phase.key);
    const phaseIssue = context.issueOf(phaseKey(phase.key))?.number;
    const heading = `### ${phaseTitle(phase)}${phaseIssue ? ` (#${phaseIssue})` : ""}`;
    groups.push(steps.length > 0 ? `${heading}\n${stepLines(steps, context)}` : heading);
  }
  return groups.join("\n\n");
}

/** Sub-tasks (nested checklists) sit indented under their parent task. */
function stepLines(steps: Step[], context: RenderContext): string {
  const byKey = context.stepByKey;
  const depth = (step: Step): number => {
    let level = 0;
    for (
      let parent = step.parent;
      parent && byKey.has(parent) && level < 10;
      parent = byKey.get(parent)?.parent ?? null
    )
      level++;
    return level;
  };
  return steps.map((step) => stepLine(step, context, depth(step))).join("\n");
}

/** `- ✅ #2 Step 1.1: Title (login)`: a mark, not a checkbox (ticking a box in a bot body would do nothing). */
function stepLine(step: Step, context: RenderContext, depth: number): string {
  const issue = context.issueOf(stepKey(step.key));
  const mark = STATE_MARKS[stepState(step, context)];
  const reference = issue?.number ? `#${issue.number} ` : "";
  // Plain logins: a mention in a body that is rewritten on every sync would notify on every edit.
  const assignees = (issue?.assignees ?? step.assignees).join(", ");
  return `${"  ".repeat(depth)}- ${mark} ${reference}${stepLabel(step)}${assignees ? ` (${assignees})` : ""}${stateNote(step.done, issue)}`;
}

/** Where GitHub and the plan disagree (a person closed or reopened an issue), say so. */
function stateNote(planDone: boolean, issue: ReturnType<RenderContext["issueOf"]>): string {
  if (!issue || issue.number === null) return "";
  if (issue.state === "closed" && issue.closedAs === "not_planned") return " (closed as not planned)";
  if (issue.state === "closed" && !planDone) return " (closed on GitHub, not done in the plan)";
  if (issue.state === "open" && planDone) return " (done in the plan, open on GitHub)";
  return "";
}

function questionList(context: RenderContext): string {
  return context.plan.questions
    .map((question) => {
      const issue = context.issueOf(questionKey(question.key));
      const reference = issue?.number ? `#${issue.number} ` : "";
      const answer = question.answer?.trim()
        ? `\n${indent(quote(joinSoftBreaks(question.answer.trim())), 2)}`
        : "";
      const mark = doneMark(questionClosed(question.key, question.done, context));
      return `- ${mark} ${reference}${joinSoftBreaks(question.text.trim())}${answer}`;
    })
    .join("\n");
}

function dependencySection(context: RenderContext): string | null {
  const { upstream, downstream } = context.plan.dependencies;
  if (upstream.length === 0 && downstream.length === 0) return null;
  const parts = ["## Dependencies"];
  if (upstream.length > 0)
    parts.push(
      `### Upstream\n${upstream.map((item) => dependencyLine(item, context, "at-update")).join("\n")}`,
    );
  if (downstream.length > 0)
    parts.push(
      `### Downstream\n${downstream.map((item) => dependencyLine(item, context, "at-update")).join("\n")}`,
    );
  return parts.join("\n\n");
}

function risksTable(rows: Record<string, string>[]): string {
  const headers = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const head = `| ${headers.map((header) => tableCell(header.charAt(0).toUpperCase() + header.slice(1))).join(" | ")} |`;
  const rule = `|${headers.map(() => "---").join("|")}|`;
  const body = rows.map((row) => `| ${headers.map((header) => tableCell(row[header] ?? "")).join(" | ")} |`);
  return [head, rule, ...body].join("\n");
}

function indent(text: string, spaces: number): string {
  return text
    .split("\n")
    .map((line) => " ".repeat(spaces) + line)
    .join("\n");
}
