// Steps of an implementation plan: from a heading or checklist item and its blocks to a Step.
import type { List, ListItem, Nodes, Paragraph, RootContent } from "mdast";
import { readMarks, readStepLabel } from "./heading-kinds.js";
import { stepKey } from "./ids.js";
import type { Phase, Step } from "./model.js";
import { plainText } from "./node-text.js";
import { readStepContent } from "./step-fields.js";

/** The phase a step sits in; a phase marked done (box, ✅, "(Complete)") makes its steps done. */
export interface PhaseFrame {
  depth: number;
  kind: "phase";
  phase: Phase;
  done: boolean;
  /** The phase's checklists carry no numbered item: its boxes are its own sub-tasks, and the
   *  phase is the step (`## Phase 2 (Done)` over `- [x] Export to PDF`). */
  boxesAreSubtasks?: boolean;
}

const DONE_STATUS = /^(?:✅\s*)?(?:done|complete|completed|finished|closed|merged|shipped)\b/i;
const PROGRESS_STATUS = /^(?:🚧\s*)?(?:in[ -]?progress|wip|started|doing|active|ongoing|in review)\b/i;

export function buildStep(
  body: string,
  lines: readonly string[],
  input: {
    explicitId: string | null;
    number: string | null;
    title: string;
    done: boolean;
    /** No box or emoji of its own: a checklist whose every box is ticked marks it done. */
    unmarked?: boolean;
    inProgress: boolean;
    blocks: Nodes[];
    line: number;
    endLine: number;
    column: number;
    phase: PhaseFrame | undefined;
  },
): Step {
  const content = readStepContent(input.blocks, body, lines);
  const explicitId = input.explicitId ?? content.explicitId;
  const phaseDone = input.phase?.done === true;
  const statusDone = content.status !== null && DONE_STATUS.test(content.status);
  const ticked = input.unmarked === true && content.status === null && everyBoxTicked(input.blocks);
  const done = input.done || statusDone || phaseDone || ticked;
  const inProgress =
    !done && (input.inProgress || (content.status !== null && PROGRESS_STATUS.test(content.status)));
  return {
    key: stepKey(explicitId, input.number, input.title, input.line),
    explicitId,
    number: input.number,
    title: input.title,
    phase: input.phase?.phase.key ?? null,
    parent: null,
    fields: content.fields,
    files: content.files,
    validation: content.validation,
    codeExamples: content.codeExamples,
    dependsOn: content.dependsOn,
    status: content.status,
    done,
    inProgress,
    assignees: content.assignees,
    labels: content.labels,
    requirements: [],
    optional: false,
    details: content.details,
    line: input.line,
    endLine: input.endLine,
    column: input.column,
  };
}

/** The first line of a list item's paragraph is its title; the lines after it are its fields. */
export function restOfParagraph(paragraph: Paragraph): Paragraph {
  const start = paragraph.position?.start;
  const end = paragraph.position?.end;
  if (!start || !end) return paragraph;
  return {
    type: "paragraph",
    children: [],
    position: { start: { line: start.line + 1, column: 1, offset: undefined }, end },
  };
}

/** A `Milestone 1` heading with step headings or `Task 1.1:` items under it is a phase, not a step;
 *  plain checklist items under it are the milestone's own details. */
function keywordLabel(text: string): boolean {
  return readStepLabel(readMarks(text).text)?.needsStepsContext === false;
}

export function hasStepsBelow(siblings: readonly RootContent[], index: number, depth: number): boolean {
  return bodyHolds(siblings, index, depth, (item) => keywordLabel(plainText(item.children[0] ?? item)));
}

/** Whether a phase's body (up to the next heading of its level) holds a numbered step: a step
 *  heading, or a list item such as `- [ ] Task 1.1:`, `- [x] 2.3 …` or `- **Step 2**: …`. */
export function holdsNumberedItems(siblings: readonly RootContent[], index: number, depth: number): boolean {
  return bodyHolds(siblings, index, depth, numberedItem);
}

/** Whether the blocks after `siblings[index]`, up to the next heading of `depth` or less, hold a step
 *  heading or a list item `counts`. By index: `slice(index + 1)` copied the rest of the file's blocks
 *  for every phase heading, quadratic in a plan of many phases (issue #14). */
function bodyHolds(
  siblings: readonly RootContent[],
  index: number,
  depth: number,
  counts: (item: ListItem) => boolean,
): boolean {
  for (let at = index + 1; at < siblings.length; at += 1) {
    const node = siblings[at] as RootContent;
    if (node.type === "heading") {
      if (node.depth <= depth) return false;
      if (readStepLabel(readMarks(plainText(node)).text)) return true;
    }
    if (node.type === "list" && node.children.some(counts)) return true;
  }
  return false;
}

function numberedItem(item: ListItem): boolean {
  const label = readStepLabel(readMarks(plainText(item.children[0] ?? item)).text);
  if (!label) return false;
  const boxed = item.checked !== null && item.checked !== undefined;
  return (
    !label.needsStepsContext || (boxed && label.number !== null) || (label.number?.includes(".") ?? false)
  );
}

/** The checklists a step holds (not those of sub-lists): all ticked, and at least one box. */
function everyBoxTicked(blocks: readonly Nodes[]): boolean {
  const boxes = blocks
    .filter((b): b is List => b.type === "list")
    .flatMap((list) => list.children)
    .map((item) => item.checked);
  return boxes.length > 0 && boxes.every((checked) => checked === true);
}
