// Bodies of the tracking issue (the plan at a glance) and of phase issues (plans over 100 steps).
import type { Phase, Step } from "../plan/model.js";
import { phaseKey, questionKey, stepKey } from "./items.js";
import { blobUrl, dependencyLine } from "./references.js";
import { fence, partOfLine, quote, tableCell, type RenderContext } from "./render-context.js";
import { phaseTitle, stepLabel } from "./titles.js";

/** Mermaid graphs past this many edges are unreadable and slow to draw on GitHub: left out with a note. */
const MAX_GRAPH_EDGES = 300;
const PROGRESS_CELLS = 10;

export function renderTrackingBody(context: RenderContext): string {
  const { plan } = context;
  const fileUrl = blobUrl(context.repo, context.repo.branch, context.path);
  const sections: string[] = [
    `Tracking issue of the plan [\`${context.path}\`](${fileUrl}). plan-sync keeps this part in step with the file; write your notes below it.`,
    [plan.status ? `**Status**: ${plan.status}` : null, `**Progress**: ${progress(context)}`]
      .filter(Boolean)
      .join("\n"),
  ];
  if (plan.overview?.trim()) sections.push(`## Overview\n${plan.overview.trim()}`);
  if (plan.steps.length > 0) sections.push(`## Steps\n${stepsByPhase(context)}`);
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
    steps.map((step) => stepLine(step, context, 0)).join("\n"),
  ].join("\n\n");
}

/** Done = the issue closed as completed (people win on GitHub); steps without an issue count the plan's mark. */
function stepIsDone(step: Step, context: RenderContext): boolean {
  const issue = context.issueOf(stepKey(step.key));
  if (!issue || issue.number === null) return issue?.planDone ?? step.done;
  return issue.state === "closed" && issue.closedAs !== "not_planned" && issue.closedAs !== "duplicate";
}

function progress(context: RenderContext): string {
  const total = context.plan.steps.length;
  const done = context.plan.steps.filter((step) => stepIsDone(step, context)).length;
  const percent = total === 0 ? 0 : Math.floor((done * 100) / total);
  const filled = total === 0 ? 0 : Math.floor((done * PROGRESS_CELLS) / total);
  return `\`${"█".repeat(filled)}${"░".repeat(PROGRESS_CELLS - filled)}\` ${done}/${total} steps done (${percent}%)`;
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

function stepLine(step: Step, context: RenderContext, depth: number): string {
  const issue = context.issueOf(stepKey(step.key));
  const done = stepIsDone(step, context);
  const reference = issue?.number ? `#${issue.number} ` : "";
  const assignees = (issue?.assignees ?? step.assignees).map((login) => `@${login}`).join(", ");
  return `${"  ".repeat(depth)}- [${done ? "x" : " "}] ${reference}${stepLabel(step)}${assignees ? ` (${assignees})` : ""}${stateNote(step.done, issue)}`;
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
      const done = issue?.number ? issue.state === "closed" : question.done;
      const reference = issue?.number ? `#${issue.number} ` : "";
      const answer = question.answer?.trim() ? `\n${indent(quote(question.answer), 2)}` : "";
      return `- [${done ? "x" : " "}] ${reference}${question.text.trim()}${answer}`;
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

/** A mermaid graph of `Depends on` between steps: blocker → blocked. */
function dependencyGraph(context: RenderContext): string | null {
  const steps = context.plan.steps;
  const index = new Map(steps.map((step, position) => [step.key, position]));
  const edges = steps.flatMap((step) =>
    step.dependsOn
      .filter(
        (dependency) =>
          dependency.stepKey !== null && index.has(dependency.stepKey) && dependency.stepKey !== step.key,
      )
      .map(
        (dependency) =>
          [index.get(dependency.stepKey as string) as number, index.get(step.key) as number] as const,
      ),
  );
  if (edges.length === 0) return null;
  if (edges.length > MAX_GRAPH_EDGES)
    return `_${edges.length} dependencies: too many to draw; see each step's issue._`;
  const used = [...new Set(edges.flat())].sort((a, b) => a - b);
  const lines = ["graph TD"];
  for (const position of used) {
    const step = steps[position] as Step;
    const number = context.issueOf(stepKey(step.key))?.number;
    const label = `${number ? `#${number} ` : ""}${stepLabel(step)}`.replace(/"/g, "#quot;");
    lines.push(`  s${position}["${label}"]`);
  }
  for (const [from, to] of edges) lines.push(`  s${from} --> s${to}`);
  const done = used.filter((position) => stepIsDone(steps[position] as Step, context));
  if (done.length > 0) {
    lines.push("  classDef done fill:#d3f9d8,stroke:#2b8a3e");
    lines.push(`  class ${done.map((position) => `s${position}`).join(",")} done`);
  }
  return fence(lines.join("\n"), "mermaid");
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
