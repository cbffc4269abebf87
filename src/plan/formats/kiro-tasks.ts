// Kiro nested checklists (SPEC.md §1 format 3): `- [ ] 1. Title` with sub-tasks `- [ ] 1.1 …`
// indented under it or flush left after it, detail bullets and `_Requirements: 1.2, 3.1_` lines.
// Every numbered task is a step; a sub-task hangs under its parent task, or under the plan when
// that task is missing.
import type { Heading, List, ListItem, Paragraph, Root, RootContent } from "mdast";
import {
  blankStep,
  detailsOf,
  isDoneBox,
  isInProgressBox,
  lineRange,
  oneLine,
  readItemHead,
  readPhaseHeading,
  readPlanTitle,
  takeExplicitId,
  type ItemHead,
} from "../checkbox-items.js";
import { readTaggedLine, type TaggedLine } from "../checklist-tags.js";
import type { Phase, Step } from "../model.js";
import { plainText, sourceOf } from "../node-text.js";
import { emptyReading, type FormatReader, type PlanDocument } from "../reading.js";
import { headingText } from "./implementation-plan.js";
import { splitExplicitId } from "../ids.js";
import { reachLine } from "../parse-progress.js";

// `1.`, `2.3`, `3.V`, optionally bold, then the title.
const TASK_NUMBER = /^(?:\*\*)?(\d+(?:\.[0-9A-Za-z]+)*)\.?(?:\*\*)?(?:[ \t]*[:)–—-](?=[ \t]))?[ \t]+/;
// `## 2. Storage` (a heading numbered without a dot inside).
const HEADING_TASK = /^(\d+)[.:)]?[ \t]+(\S.*)$/;
// Headings that make a file an implementation plan (`#### Step 1.1`, `### Task 2:`, `### Task A`,
// `### M0.`…); the word must be followed by a number or an id (`## Task List` is a section name).
const STEP_HEADING =
  /^(?:\[[ xX]\]\s*)?(?:(?:step|task|milestone|stage)\s+(?:\d|[a-z](?=[\s.:)–—-]|$)|[a-z]+-?\d)|\d+\.\d+\.?\s|M\d+[.:]|[A-Z][A-Z0-9]*-\d+\s*[:–—-])/i;

/** Top-level checklist items numbered `N.` / `N.M`, and no step headings. */
export function looksLikeNestedChecklist(tree: Root): boolean {
  let numbered = false;
  for (const node of tree.children) {
    if (node.type === "heading" && STEP_HEADING.test(plainText(node))) return false;
    if (node.type !== "list") continue;
    for (const item of node.children) {
      const text = item.children[0]?.type === "paragraph" ? plainText(item.children[0]) : "";
      const box = item.checked !== null && item.checked !== undefined;
      numbered ||=
        (box && /^\*?\s*\d+(?:\.\d+)*\.?\s/.test(text)) || /^\[[ xX~-]\]\*?\s+\d+(?:\.\d+)*\.?\s/.test(text);
    }
  }
  return numbered;
}

export const readNestedChecklist: FormatReader = (doc) => {
  const reading = emptyReading("nested-checklist");
  reading.title = readPlanTitle(doc, doc.tree);
  const byNumber = new Map<string, Step>();
  const headingTasks: Step[] = [];
  let phase: { depth: number; phase: Phase } | null = null;

  const readList = (list: List, parent: Step | null): void => {
    for (const item of list.children) {
      reachLine(item.position?.start.line ?? 1);
      const head = readItemHead(doc, item);
      const step = head?.box != null ? readTask(doc, item, head) : null;
      if (step) {
        step.phase = phase?.phase.key ?? null;
        step.parent = parentOf(step.number!, parent, byNumber);
        reading.steps.push(step);
        const before = byNumber.get(step.number!);
        // A task item wins over a heading of the same number (`## 1. Setup` above `- [ ] 1. Setup`).
        if (!before || headingTasks.includes(before)) byNumber.set(step.number!, step);
      }
      for (const child of item.children) if (child.type === "list") readList(child, step ?? parent);
    }
  };

  for (const node of doc.tree.children) {
    if (node.type === "heading") {
      const found = readPhaseHeading(doc, node);
      const parentTask = found ? null : headingTask(doc, node);
      if (parentTask) {
        headingTasks.push(parentTask);
        reading.steps.push(parentTask);
        byNumber.set(parentTask.number!, parentTask);
      } else if (found) {
        reading.phases.push(found);
        phase = { depth: node.depth, phase: found };
      } else if (phase && node.depth <= phase.depth) {
        phase = null;
      }
    } else if (node.type === "list") {
      readList(node, null);
    } else if (node.type === "paragraph") {
      // `_Requirements: …_` written flush left after a blank line still belongs to the task above.
      const last = reading.steps.at(-1);
      const tagged = readTaggedLine(
        sourceOf(doc.body, node),
        node.position!.start.line,
        node.position!.start.column,
      );
      if (last && tagged && node.position!.start.line > last.endLine) addTagged(last, tagged);
    }
  }
  keepHeadingTasksWithSubTasks(reading.steps, headingTasks);
  return reading;
};

/** `## 2. Storage` above `- [ ] 2.1 …` items: a parent task written as a heading (no box of its own). */
function headingTask(doc: PlanDocument, heading: Heading): Step | null {
  const { text, id } = splitExplicitId(headingText(doc.body, heading));
  const number = HEADING_TASK.exec(text.replace(/\*\*|__/g, ""));
  if (!number) return null;
  const step = blankStep(heading);
  return Object.assign(step, {
    key: id ?? number[1]!,
    explicitId: id,
    number: number[1]!,
    title: number[2]!.trim(),
  });
}

/** A heading task is a step only when sub-tasks hang under it; it is done when they all are. */
function keepHeadingTasksWithSubTasks(steps: Step[], headingTasks: readonly Step[]): void {
  for (const task of headingTasks) {
    const children = steps.filter((s) => s.parent === task.key);
    const index = steps.indexOf(task);
    const twin = steps.some((s) => s !== task && s.number === task.number);
    if (children.length === 0 || twin) steps.splice(index, 1);
    else {
      task.done = children.every((c) => c.done);
      task.endLine = Math.max(...children.map((c) => c.endLine));
    }
  }
}

/**
 * `2.1` belongs to `2` whether indented under it or flush left after it; when `2` is missing the
 * sub-task hangs under the plan. Only a task numbered without a dot takes the item it sits in.
 */
function parentOf(number: string, enclosing: Step | null, byNumber: Map<string, Step>): string | null {
  const dot = number.lastIndexOf(".");
  if (dot < 0) return enclosing?.key ?? null;
  return byNumber.get(number.slice(0, dot))?.key ?? null;
}

function readTask(doc: PlanDocument, item: ListItem, head: ItemHead): Step | null {
  const number = TASK_NUMBER.exec(head.text);
  if (!number) return null;
  const step = blankStep(item);
  const skip: Array<[number, number]> = [];
  const tagged: TaggedLine[] = [];
  // Lines of the first paragraph after the title may be `_Requirements: …_` written without a bullet.
  const [first, ...more] = head.text.slice(number[0].length).split("\n");
  const titleLines = [first!];
  more.forEach((line, i) => {
    const tag = readTaggedLine(line, head.line + i + 1, 1);
    if (tag) tagged.push(tag);
    else titleLines.push(line);
  });
  visitDetailItems(doc, item.children.slice(1), (nested) => {
    const nestedHead = readItemHead(doc, nested);
    if (nestedHead?.box != null && TASK_NUMBER.test(nestedHead.text)) {
      skip.push(lineRange(nested));
      return false;
    }
    const paragraph = nested.children[0];
    const tag =
      paragraph?.type === "paragraph"
        ? readTaggedLine(sourceOf(doc.body, paragraph), ...startOf(paragraph))
        : null;
    if (tag) {
      tagged.push(tag);
      skip.push(lineRange(nested));
    }
    return true;
  });
  const { title, explicitId } = takeExplicitId(oneLine(titleLines.join("\n")));
  Object.assign(step, {
    key: explicitId ?? number[1]!,
    explicitId,
    number: number[1]!,
    title,
    done: isDoneBox(head.box),
    inProgress: isInProgressBox(head.box),
    status: isInProgressBox(head.box) ? `[${head.box}]` : null,
    optional: head.starred,
    labels: head.starred ? ["optional"] : [],
    details: detailsOf(doc, item, skip),
  });
  for (const tag of tagged) addTagged(step, tag);
  return step;
}

function addTagged(step: Step, tag: TaggedLine): void {
  if (tag.kind === "requirements") step.requirements.push(...tag.ids.map((id) => id.text));
  else for (const id of tag.ids) step.dependsOn.push({ ...id, stepKey: null, reference: null });
}

/** Items under a task; `visit` returns false for an item whose children are not the task's. */
function visitDetailItems(doc: PlanDocument, nodes: RootContent[], visit: (item: ListItem) => boolean): void {
  for (const node of nodes) {
    if (node.type !== "list") continue;
    for (const item of node.children) if (visit(item)) visitDetailItems(doc, item.children, visit);
  }
}

function startOf(node: Paragraph): [number, number] {
  return [node.position!.start.line, node.position!.start.column];
}
