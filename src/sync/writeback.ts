// Writeback (SPEC.md §2 "People win on state", config `writeback: pull_request`): the plan's text with one item
// marked done, as the person who closed its issue said. Only the item's own mark changes; every other byte of the
// file stays as written (line endings, BOM, trailing spaces), so the pull request's diff is that mark alone.
import type { Plan, Question, Step } from "../plan/model.js";
import { readFieldLine } from "../plan/step-fields.js";
import { questionKey, stepKey } from "./items.js";
import type { ItemKey } from "./model.js";
import { questionTitle, stepLabel } from "./titles.js";

type Item = { kind: "step"; step: Step } | { kind: "question"; question: Question };

/** A line of the file without its line break, and the break as written (`\r\n`, `\n`, `\r` or none). */
interface Line {
  text: string;
  eol: string;
}

// A list item or an ATX heading, up to where its box is (or would be). A BOM may open line 1.
const LIST_ITEM_HEAD = /^(\uFEFF?[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+)/;
const HEADING_HEAD = /^(\uFEFF? {0,3}#{1,6}[ \t]+)/;
/** A box that is not ticked: `[ ]`, in progress `[-]` / `[~]`. */
const OPEN_BOX = /^\[[ ~-]\]/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * The plan's text with `item` (`step:<key>` or `question:<key>`) marked done, or null when the plan has no such
 * item, it is done already, or it has no mark that can say done. Per format:
 * - a checklist item (spec-kit task, Kiro task `[ ]`/`[-]`/`[ ]*`, a step or an open question written as an
 *   item): its box becomes `[x]` on its own line (an item without a box gets one);
 * - an implementation-plan step with a `**Status**:` field: the field's value becomes `Done`, and a box on its
 *   heading is ticked too; a step heading with neither gets a ticked box (`#### [x] Step 2.1: …`), which
 *   SPEC.md §1 reads as done.
 * Lines are never added or removed, so every other item keeps its line numbers.
 */
export function markItemDone(text: string, plan: Plan, item: ItemKey): string | null {
  const found = findItem(plan, item);
  if (!found || (found.kind === "step" ? found.step.done : found.question.done)) return null;
  const lines = splitLines(text);
  const head = lines[(found.kind === "step" ? found.step.line : found.question.line) - 1];
  if (!head) return null;

  const status =
    found.kind === "step" && plan.format === "implementation-plan"
      ? statusLineOf(lines, found.step, plan.steps)
      : null;
  const ticked = tickBox(head.text);
  if (ticked !== null) head.text = ticked;
  if (status) {
    const line = lines[status.line - 1] as Line;
    const start = status.valueColumn - 1;
    line.text = `${line.text.slice(0, start)}Done${line.text.slice(start + status.value.length)}`;
  }
  if (ticked === null && !status) {
    const boxed = addBox(head.text);
    if (boxed === null) return null;
    head.text = boxed;
  }
  return lines.map((line) => line.text + line.eol).join("");
}

/**
 * Whether `after` (the edited text, parsed) differs from `before` only in `item` being done: the check that an
 * edit said what was meant in shapes the edit does not know. Line numbers are compared too (edits add no line).
 */
export function isOnlyMarkedDone(before: Plan, after: Plan, item: ItemKey): boolean {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  // The ticked item may differ in its done-mark only: done, status, in progress, the Status field.
  const withoutMark = (value: Step | Question) => {
    const { done: _done, ...rest } = value;
    if (!("status" in rest)) return rest;
    const { status: _status, inProgress: _progress, fields, ...step } = rest;
    const { status: _field, ...otherFields } = fields;
    return { ...step, fields: otherFields };
  };
  const items = (plan: Plan) => [
    ...plan.steps.map((step) => ({ key: stepKey(step.key), value: step as Step | Question })),
    ...plan.questions.map((question) => ({ key: questionKey(question.key), value: question })),
  ];
  const was = items(before);
  const now = items(after);
  if (was.length !== now.length) return false;
  const itemsAgree = was.every(({ key, value }, index) => {
    const edited = now[index];
    if (!edited || edited.key !== key) return false;
    if (key !== item) return same(value, edited.value);
    return !value.done && edited.value.done && same(withoutMark(value), withoutMark(edited.value));
  });
  const { steps: _s, questions: _q, ...restBefore } = before;
  const { steps: _t, questions: _r, ...restAfter } = after;
  return itemsAgree && was.some(({ key }) => key === item) && same(restBefore, restAfter);
}

/** How the writeback PR names an item (`Step 2.1: Middleware`, `T005: …`, the question), null when not in the plan. */
export function itemLabel(plan: Plan, item: ItemKey): string | null {
  const found = findItem(plan, item);
  if (!found) return null;
  return found.kind === "step" ? stepLabel(found.step) : questionTitle(found.question.text);
}

function findItem(plan: Plan, item: ItemKey): Item | null {
  const step = plan.steps.find((candidate) => stepKey(candidate.key) === item);
  if (step) return { kind: "step", step };
  const question = plan.questions.find((candidate) => questionKey(candidate.key) === item);
  return question ? { kind: "question", question } : null;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const pattern = /(?<![^\r\n])([^\r\n]*)(\r\n|\r|\n|$)/g;
  for (const match of text.matchAll(pattern)) {
    lines.push({ text: match[1] ?? "", eol: match[2] ?? "" });
    if (!match[2]) break;
  }
  return lines;
}

/** The line with its open box ticked (`[ ]`, `[-]`, `[~]` → `[x]`), or null when it has no open box. */
function tickBox(line: string): string | null {
  const head = LIST_ITEM_HEAD.exec(line) ?? HEADING_HEAD.exec(line);
  if (!head) return null;
  const start = head[0].length;
  if (!OPEN_BOX.test(line.slice(start))) return null;
  return `${line.slice(0, start)}[x]${line.slice(start + 3)}`;
}

/** The item or heading with a ticked box in front of its text, or null when the line is neither. */
function addBox(line: string): string | null {
  const head = LIST_ITEM_HEAD.exec(line) ?? HEADING_HEAD.exec(line);
  if (!head) return null;
  return `${head[0]}[x] ${line.slice(head[0].length)}`;
}

/**
 * The step's `**Status**:` line the parser reads (the last one, outside code blocks and the steps nested in
 * it), when its value does not say done already; null when it has none.
 */
function statusLineOf(lines: readonly Line[], step: Step, steps: readonly Step[]) {
  const nested = steps.filter(
    (other) => other !== step && other.line > step.line && other.line <= step.endLine,
  );
  let fence: string | null = null;
  let found: ReturnType<typeof readFieldLine> = null;
  for (let number = step.line + 1; number <= step.endLine; number++) {
    const text = lines[number - 1]?.text ?? "";
    const marker = FENCE.exec(text)?.[1];
    if (fence !== null) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = null;
      continue;
    }
    if (marker) {
      fence = marker;
      continue;
    }
    if (nested.some((other) => number >= other.line && number <= other.endLine)) continue;
    const field = readFieldLine(text, number);
    if (field?.name === "status" && field.value) found = field;
  }
  return found;
}
