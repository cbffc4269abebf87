// What the two checklist formats (spec-kit task lists, Kiro nested checklists) share: reading a
// list item's box and text from the source, its details, phase headings, the plan title, and a
// blank Step. Text is always sliced from the body by mdast offsets, so columns stay exact.
import type { Heading, ListItem, Node, Paragraph, Root } from "mdast";
import { readMarks, readPhaseHeading as readPhaseText } from "./heading-kinds.js";
import { idFromComment, slugify, splitExplicitId, withoutIdComments } from "./ids.js";
import { headingText, planTitle } from "./formats/implementation-plan.js";
import type { Phase, Step } from "./model.js";
import { sourceOf } from "./node-text.js";
import type { PlanDocument } from "./reading.js";

/** A list item's first line, read from the source: its box (if any) and the text after it. */
export interface ItemHead {
  /** ` `, `x`, `X`, `-` or `~`; null for a plain bullet. */
  box: string | null;
  /** `[ ]*`: Kiro's optional task. */
  starred: boolean;
  /** The first paragraph's source after the box, newlines kept. */
  text: string;
  /** Where `text` starts in the file. */
  line: number;
  column: number;
  paragraph: Paragraph;
}

// GFM turns `[ ]`/`[x]` into `checked` (`[-]` and `[ ]*` stay text) and usually starts the
// paragraph after the box.
// `- [ ]\\* 2.1`: the star escaped so that it shows as written.
const TEXT_BOX = /^\[([ xX~-])\](\\?\*)?[ \t]+/;
const STARRED_GFM = /^\\?\*[ \t]+/;

export function readItemHead(doc: PlanDocument, item: ListItem): ItemHead | null {
  const paragraph = item.children[0];
  if (paragraph?.type !== "paragraph") return null;
  const start = paragraph.position!.start;
  let text = sourceOf(doc.body, paragraph);
  let box: string | null = null;
  let starred = false;
  let skipped = 0;
  // GFM moves the paragraph's start past the box only when a plain text node follows it.
  const written = TEXT_BOX.exec(text);
  if (written) {
    box = written[1]!;
    starred = written[2] !== undefined;
    skipped = written[0].length;
  } else if (item.checked !== null && item.checked !== undefined) {
    box = checkedBox(doc, item);
    const star = STARRED_GFM.exec(text);
    starred = star !== null;
    skipped = star?.[0].length ?? 0;
  }
  text = text.slice(skipped);
  return { box, starred, text, line: start.line, column: start.column + skipped, paragraph };
}

/** `x` and `X` both mean done; the item's own source tells which was written. */
function checkedBox(doc: PlanDocument, item: ListItem): string {
  if (!item.checked) return " ";
  const head = doc.body.slice(item.position!.start.offset, item.children[0]!.position!.start.offset);
  return head.includes("[X]") ? "X" : "x";
}

export function isDoneBox(box: string | null): boolean {
  return box === "x" || box === "X";
}

export function isInProgressBox(box: string | null): boolean {
  return box === "-" || box === "~";
}

/** Line and column of `index` in `text`, which starts at (`line`, `column`) in the file. */
export function locate(text: string, line: number, column: number, index: number): [number, number] {
  const before = text.slice(0, index);
  const lastBreak = before.lastIndexOf("\n");
  if (lastBreak < 0) return [line, column + index];
  return [line + before.split("\n").length - 1, index - lastBreak];
}

/**
 * The markdown under an item after its first paragraph, without the lines `skip` claims (sub-tasks,
 * requirement lines), dedented, blank runs collapsed.
 */
export function detailsOf(doc: PlanDocument, item: ListItem, skip: Array<[number, number]>): string {
  const from = item.children[0]!.position!.end.line + 1;
  const to = item.position!.end.line;
  const kept = linesOf(doc)
    .slice(from - 1, to)
    .filter((_, i) => !skip.some(([a, b]) => from + i >= a && from + i <= b));
  const indents = kept.filter((l) => l.trim() !== "").map((l) => /^\s*/.exec(l)![0].length);
  const indent = indents.length > 0 ? Math.min(...indents) : 0;
  return kept
    .map((l) => l.slice(indent).trimEnd())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

// Split once per document: items ask for their lines one after another.
const documentLines = new WeakMap<PlanDocument, string[]>();

function linesOf(doc: PlanDocument): string[] {
  let lines = documentLines.get(doc);
  if (!lines) {
    lines = doc.body.split("\n");
    documentLines.set(doc, lines);
  }
  return lines;
}

export function lineRange(node: Node): [number, number] {
  return [node.position!.start.line, node.position!.end.line];
}

/** `## Phase 3: User Story 1 - …`, `### Phase 3.1: Setup`, `## [x] Phase 2 — Storage`. */
export function readPhaseHeading(doc: PlanDocument, heading: Heading): Phase | null {
  const marks = readMarks(splitExplicitId(headingText(doc.body, heading)).text);
  const phase = readPhaseText(marks.text);
  if (!phase) return null;
  const line = heading.position!.start.line;
  return {
    // The same keys as phases of implementation plans.
    key: `phase-${phase.number ?? (slugify(phase.title) || line)}`,
    number: phase.number,
    title: phase.title,
    done: marks.done,
    line,
  };
}

/** The first `#` heading without `Implementation Plan:` / `Tasks:`; null for a bare generic one. */
export function readPlanTitle(doc: PlanDocument, tree: Root): string | null {
  const heading = tree.children.find((n): n is Heading => n.type === "heading" && n.depth === 1);
  if (!heading) return null;
  const text = splitExplicitId(headingText(doc.body, heading)).text;
  if (/^tasks$/i.test(text)) return null;
  return planTitle(text.replace(/^tasks\s*[:—–-]\s*/i, ""));
}

/** `{#my-id}` or `<!-- id: my-id -->` in an item's title: never part of the title. */
export function takeExplicitId(text: string): { title: string; explicitId: string | null } {
  const fromComment = idFromComment(text);
  const { text: title, id } = splitExplicitId(withoutIdComments(text));
  return { title, explicitId: id ?? fromComment };
}

/** Soft line breaks of a wrapped title become spaces. */
export function oneLine(text: string): string {
  return text.replace(/(?<!\s)\s*\n\s*/g, " ").trim();
}

export function blankStep(item: ListItem | Heading): Step {
  const { start, end } = item.position!;
  return {
    key: "",
    explicitId: null,
    number: null,
    title: "",
    phase: null,
    parent: null,
    fields: {},
    files: [],
    validation: [],
    codeExamples: [],
    dependsOn: [],
    status: null,
    done: false,
    inProgress: false,
    assignees: [],
    labels: [],
    requirements: [],
    optional: false,
    details: "",
    line: start.line,
    endLine: end.line,
    column: start.column,
  };
}
