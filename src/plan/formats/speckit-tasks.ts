// spec-kit task lists (SPEC.md §1 format 2): `- [ ] T001 [P] [US1] Description` under phase
// headings, task-level dependencies inline and in a dependencies section, phase- and story-level
// ordering kept as lines for the tracking issue.
import type { List, ListItem, Paragraph, Root, RootContent } from "mdast";
import {
  blankStep,
  detailsOf,
  isDoneBox,
  isInProgressBox,
  lineRange,
  locate,
  oneLine,
  readItemHead,
  readPhaseHeading,
  readPlanTitle,
  takeExplicitId,
  type ItemHead,
} from "../checkbox-items.js";
import { headingText } from "./implementation-plan.js";
import { plainText, sourceOf } from "../node-text.js";
import { readDependencyPhrases } from "../dependency-phrases.js";
import type { Phase, Step } from "../model.js";
import { emptyReading, type FormatReader, type PlanDocument, type Report } from "../reading.js";
import { reachLine } from "../parse-progress.js";

// `T001`, `T021a`, `T007.1`, `**T001**`, `T001:`; then any `[P]` / `[US1]` / `[Setup]` markers.
const TASK_ID = /^(?:\*\*)?(T\d{3,}(?:\.\d+)?[a-z]?)(?:\*\*)?(?:[ \t]*[:.–—-](?=[ \t]))?[ \t]+/;
const MARKER = /^\[([^\]\s]{1,30})\][ \t]*/;
// `(depends on T012, T013)` in a title says how, not what: it leaves the title.
const DEPENDENCY_ASIDE =
  /(?<!\s)\s*\((?:depends\s+on|needs|requires|after|blocked\s+by|blocks)\b[^)]*\bT\d{3}[^)]*\)/gi;
// Phase- and story-level ordering names phases or stories rather than tasks.
const PHASE_OR_STORY = /\bphases?\b|\bstor(?:y|ies)\b|\bUS\d+\b/i;

type SectionKind = "legend" | "notes" | "dependencies" | "parallel" | "other";

function sectionKind(title: string): SectionKind {
  if (/^format\b/i.test(title)) return "legend";
  if (/^notes?\b/i.test(title)) return "notes";
  if (/parallel/i.test(title)) return "parallel";
  if (/dependenc|execution\s+order/i.test(title)) return "dependencies";
  return "other";
}

/** Checklist items that start with task ids, or a `# Tasks:` title. */
export function looksLikeTaskList(tree: Root): boolean {
  let found = false;
  visitItems(tree.children, (item, text) => {
    const checklist = item.checked !== null && item.checked !== undefined;
    found ||= (checklist && /^T\d{3,}\b/.test(text)) || /^\[[ xX~-]\]\*?\s+T\d{3,}\b/.test(text);
  });
  const title = tree.children.find((n) => n.type === "heading" && n.depth === 1);
  return found || (title !== undefined && /^tasks\s*:/i.test(plainText(title)));
}

export const readTaskList: FormatReader = (doc, report) => {
  const reading = emptyReading("task-list");
  reading.title = readPlanTitle(doc, doc.tree);
  const sections: Array<{ depth: number; kind: SectionKind }> = [];
  const edges: PendingEdge[] = [];
  let phase: { depth: number; phase: Phase } | null = null;
  const mode = (): SectionKind => sections.findLast((s) => s.kind !== "other")?.kind ?? "other";

  const readList = (list: List, parent: Step | null): void => {
    for (const item of list.children) {
      const head = readItemHead(doc, item);
      const taskMode = mode() !== "legend" && mode() !== "notes";
      const step = head && head.box !== null && taskMode ? readTask(doc, item, head) : null;
      if (step) {
        step.phase = phase?.phase.key ?? null;
        step.parent = parent?.key ?? null;
        reading.steps.push(step);
        edges.push(...taskEdges(doc, item, head!, step));
      } else if (mode() === "dependencies") {
        for (const child of item.children) if (child.type === "paragraph") readLine(child);
      }
      for (const child of item.children) if (child.type === "list") readList(child, step ?? parent);
    }
  };

  const readLine = (paragraph: Paragraph): void => {
    const found = pendingEdges(doc, paragraph, undefined);
    edges.push(...found);
    const text = oneLine(sourceOf(doc.body, paragraph));
    if (found.length === 0 && (readDependencyPhrases(text).speaksOfOrder || PHASE_OR_STORY.test(text))) {
      reading.ordering.push(text);
    }
  };

  for (const node of doc.tree.children) {
    reachLine(node.position?.start.line ?? 1);
    if (node.type === "heading") {
      while (sections.length > 0 && sections.at(-1)!.depth >= node.depth) sections.pop();
      const found = readPhaseHeading(doc, node);
      if (found) {
        reading.phases.push(found);
        phase = { depth: node.depth, phase: found };
      } else if (phase && node.depth <= phase.depth) {
        phase = null;
      }
      sections.push({ depth: node.depth, kind: found ? "other" : sectionKind(headingText(doc.body, node)) });
    } else if (node.type === "list") {
      readList(node, null);
    } else if (node.type === "paragraph" && mode() === "dependencies") {
      readLine(node);
    }
  }
  attachEdges(reading.steps, edges, report);
  return reading;
};

function readTask(doc: PlanDocument, item: ListItem, head: ItemHead): Step | null {
  const id = TASK_ID.exec(head.text);
  if (!id) return null;
  let rest = head.text.slice(id[0].length);
  const labels: string[] = [];
  for (let marker = MARKER.exec(rest); marker; marker = MARKER.exec(rest)) {
    labels.push(marker[1] === "P" ? "parallel" : marker[1]!);
    rest = rest.slice(marker[0].length);
  }
  const { title, explicitId } = takeExplicitId(oneLine(rest.replace(DEPENDENCY_ASIDE, "")));
  const step = blankStep(item);
  const nestedTasks = nestedTaskRanges(doc, item);
  return Object.assign(step, {
    key: explicitId ?? id[1]!,
    explicitId,
    number: id[1]!,
    title,
    labels: [...new Set(labels)],
    done: isDoneBox(head.box),
    inProgress: isInProgressBox(head.box),
    status: isInProgressBox(head.box) ? `[${head.box}]` : null,
    details: detailsOf(doc, item, nestedTasks),
  });
}

/** Lines of task items nested in `item`: their own steps, not `item`'s details. */
function nestedTaskRanges(doc: PlanDocument, item: ListItem): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  visitItems(item.children.slice(1), (nested) => {
    const head = readItemHead(doc, nested);
    if (head?.box != null && TASK_ID.test(head.text)) ranges.push(lineRange(nested));
  });
  return ranges;
}

interface PendingEdge {
  task: string;
  dependsOn: string;
  /** Where the prerequisite is named (or the task itself, for `(blocks T020)`). */
  line: number;
  column: number;
  taskLine: number;
  taskColumn: number;
}

/** A task's own line and its detail lines speak for the task: `(depends on T012)`, `- Needs T004`. */
function taskEdges(doc: PlanDocument, item: ListItem, head: ItemHead, step: Step): PendingEdge[] {
  const own = { line: head.line, column: head.column };
  const found = pendingEdges(doc, head.paragraph, step.number!, own);
  visitParagraphs(item.children.slice(1), doc, (paragraph) => {
    found.push(...pendingEdges(doc, paragraph, step.number!, own));
  });
  return found;
}

function pendingEdges(
  doc: PlanDocument,
  paragraph: Paragraph,
  subject: string | undefined,
  subjectAt = { line: 0, column: 0 },
): PendingEdge[] {
  const text = sourceOf(doc.body, paragraph);
  const { line, column } = paragraph.position!.start;
  const at = (col: number | null): [number, number] =>
    col === null ? [subjectAt.line, subjectAt.column] : locate(text, line, column, col - 1);
  return readDependencyPhrases(text, subject).edges.map((e) => {
    const [depLine, depColumn] = at(e.column);
    const [taskLine, taskColumn] = at(e.taskColumn);
    return { task: e.task, dependsOn: e.dependsOn, line: depLine, column: depColumn, taskLine, taskColumn };
  });
}

function attachEdges(steps: Step[], edges: PendingEdge[], report: Report): void {
  const byNumber = new Map<string, Step>();
  for (const step of steps) if (!byNumber.has(step.number!)) byNumber.set(step.number!, step);
  const reported = new Set<string>();
  for (const e of edges) {
    const step = byNumber.get(e.task);
    const where = `${e.task}@${e.taskLine}:${e.taskColumn}`;
    if (!step && !reported.has(where)) {
      reported.add(where);
      report({
        severity: "warning",
        rule: "unknown-dependency",
        message: `${e.task} is not a task in this plan, so its dependency on ${e.dependsOn} is left out. Check the task id.`,
        line: e.taskLine,
        column: e.taskColumn,
      });
    } else if (step && !step.dependsOn.some((d) => d.text === e.dependsOn)) {
      step.dependsOn.push({
        text: e.dependsOn,
        stepKey: null,
        reference: null,
        line: e.line,
        column: e.column,
      });
    }
  }
}

/** Every list item under `nodes`, in document order; quotes, code and HTML are never entered. */
function visitItems(nodes: RootContent[], visit: (item: ListItem, text: string) => void): void {
  for (const node of nodes) {
    if (node.type !== "list") continue;
    for (const item of node.children) {
      const first = item.children[0];
      visit(item, first?.type === "paragraph" ? plainText(first) : "");
      visitItems(item.children, visit);
    }
  }
}

/** Paragraphs under `nodes` that are not inside a task item of their own. */
function visitParagraphs(nodes: RootContent[], doc: PlanDocument, visit: (p: Paragraph) => void): void {
  for (const node of nodes) {
    if (node.type === "paragraph") visit(node);
    if (node.type !== "list") continue;
    for (const item of node.children) {
      const head = readItemHead(doc, item);
      if (!(head?.box != null && TASK_ID.test(head.text))) visitParagraphs(item.children, doc, visit);
    }
  }
}
