// `plan-sync lint --explain`: every heading and candidate item of a plan with what it was taken
// for (plan title, phase, step, question, section, ignored) and why, one line each, so a person
// whose plan reads wrong can see why and change the markdown.
import type { ListItem, Nodes, RootContent } from "mdast";
import { type Candidate, findBreakdown } from "./breakdown.js";
import { readFrontMatter } from "./front-matter.js";
import { parseMarkdownWithLimits } from "./markdown.js";
import type { Plan } from "./model.js";
import { startLine } from "./node-text.js";
import { normalizeNewlines, parsePlan } from "./parse-core.js";
import { readSequenceMarker } from "./sequence-marker.js";

export type Reading = "plan title" | "phase" | "step" | "question" | "section" | "ignored";

export interface ExplainLine {
  line: number;
  /** The line as written, trimmed and cut to a readable length. */
  text: string;
  taken: Reading;
  why: string;
}

const SHOWN = 72;

export function explainPlan(source: string, path: string): { plan: Plan; lines: ExplainLine[] } {
  const plan = parsePlan(source, { path });
  const front = readFrontMatter(normalizeNewlines(source));
  const tree = parseMarkdownWithLimits(front.body).tree;
  const fileLines = front.body.split("\n");
  const breakdown = findBreakdown({ path, body: front.body, tree });
  const rejectedAt = new Map<number, Candidate>();
  for (const c of breakdown.candidates) if (c.rejected) for (const line of c.lines) rejectedAt.set(line, c);
  const steps = new Map(plan.steps.map((s) => [s.line, s]));
  const phases = new Map(plan.phases.map((p) => [p.line, p]));
  const questions = new Map(plan.questions.map((q) => [q.line, q]));
  const format = formatName(plan);
  const out: ExplainLine[] = [];
  let titleSeen = false;
  const say = (node: Nodes, taken: Reading, why: string) => {
    const raw = (fileLines[startLine(node) - 1] ?? "").trim();
    const text = [...raw].length > SHOWN ? `${[...raw].slice(0, SHOWN - 1).join("")}…` : raw;
    out.push({ line: startLine(node), text, taken, why });
  };
  const classify = (node: Nodes, candidate: boolean) => {
    const line = startLine(node);
    const step = steps.get(line);
    if (step)
      return say(
        node,
        "step",
        `step ${step.number ?? step.key} of the ${format}${step.done ? ", done" : ""}`,
      );
    const phase = phases.get(line);
    if (phase)
      return say(node, "phase", `phase ${phase.number ?? phase.key}: the steps below it belong to it`);
    if (questions.has(line)) return say(node, "question", "an open question");
    const owner = plan.steps.find((s) => s.line < line && line <= s.endLine);
    if (owner)
      return say(
        node,
        "ignored",
        `inside step ${owner.number ?? owner.key}: part of that step's own details`,
      );
    const rejected = rejectedAt.get(line);
    if (rejected?.rejected && node.type === "heading")
      return say(node, "section", `a section, not a step: ${rejected.rejected}`);
    if (rejected?.rejected) return say(node, "ignored", `not a step: ${rejected.rejected}`);
    if (!candidate) return say(node, "section", "a heading without a step marker: a section");
    say(node, "ignored", notStepReason(plan, breakdown.chosen));
  };
  for (const node of tree.children) {
    if (node.type === "heading") {
      if (!titleSeen && node.depth === 1) {
        titleSeen = true;
        say(
          node,
          "plan title",
          plan.title
            ? `the plan's title: "${plan.title}"`
            : "a generic title: the plan is named after its file",
        );
        continue;
      }
      titleSeen = true;
      classify(node, readSequenceMarker(headingTextOf(fileLines, node)) !== null);
    } else if (node.type === "list") {
      for (const item of node.children) if (isCandidate(item, node.ordered === true)) classify(item, true);
    } else if (
      node.type === "paragraph" &&
      node.children[0]?.type === "strong" &&
      rejectedAt.has(startLine(node))
    ) {
      classify(node, true);
    }
  }
  return { plan, lines: out };
}

function headingTextOf(lines: readonly string[], node: RootContent): string {
  return (lines[startLine(node) - 1] ?? "").replace(/^\s*#+\s*/, "");
}

/** A checklist item or a numbered item: something a reader might have meant as a step. */
function isCandidate(item: ListItem, ordered: boolean): boolean {
  return ordered || (item.checked !== null && item.checked !== undefined);
}

function formatName(plan: Plan): string {
  if (plan.format === "task-list") return "spec-kit task list";
  if (plan.format === "nested-checklist") return "Kiro task list";
  return "implementation plan";
}

function notStepReason(plan: Plan, chosen: Candidate | null): string {
  if (plan.steps.length === 0) return "no run of steps was found around it";
  const first = plan.steps[0]!;
  const where = chosen ? `the run like \`${chosen.example}\`` : `the step at line ${first.line}`;
  return `outside the plan's breakdown (its steps are ${where}); a checklist or list here is a section's own`;
}
