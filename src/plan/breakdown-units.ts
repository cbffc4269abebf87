// The units a plan's work breakdown is made of, found by shape alone: headings, bold lead
// paragraphs, lines of a paragraph and list items that open with a sequence marker, each with the
// sections it sits in and what it holds (docs/plan-format.md "What is a step").
import type { Heading, List, ListItem, Nodes, Paragraph } from "mdast";
import { splitExplicitId } from "./ids.js";
import { headingText } from "./formats/implementation-plan.js";
import { plainText, sourceOf } from "./node-text.js";
import type { PlanDocument } from "./reading.js";
import { readSequenceMarker, type SequenceMarker } from "./sequence-marker.js";
import { reachLine } from "./parse-progress.js";

export type UnitKind = "heading" | "lead" | "line" | "item";

export interface Unit {
  kind: UnitKind;
  /** Heading depth; a lead paragraph or item sits half a level below its heading. */
  depth: number;
  marker: SequenceMarker;
  explicitId: string | null;
  node: Nodes;
  /** What the unit holds, markdown blocks after its own line. */
  blocks: Nodes[];
  /** The heading units it sits in, outermost first. */
  ancestors: Unit[];
  /** Which list an item came from (items of one list share it). */
  list: List | null;
  /** The heading it sits under, for items and lead paragraphs. */
  section: Heading | null;
}

export function collectUnits(doc: PlanDocument): Unit[] {
  const units: Unit[] = [];
  const stack: Array<{ depth: number; unit: Unit | null; heading: Heading }> = [];
  let lead: Unit | null = null;
  const enclosing = () => stack.flatMap((s) => (s.unit ? [s.unit] : []));
  const hold = (node: Nodes) => {
    for (const s of stack) s.unit?.blocks.push(node);
  };
  // `- **Phase 5 migration:** …` inside `### Phase 5` is about its phase, not a unit of its own.
  const add = (unit: Unit) => {
    const about = unit.ancestors.at(-1)?.marker;
    if (!about || !sameMarker(unit.marker, about)) units.push(unit);
  };
  for (const node of doc.tree.children) {
    reachLine(node.position?.start.line ?? 1);
    if (node.type === "heading") {
      while ((stack.at(-1)?.depth ?? 0) >= node.depth) stack.pop();
      lead = null;
      hold(node);
      const { text, id } = splitExplicitId(headingText(doc.body, node));
      const marker = readSequenceMarker(text);
      const parent = stack.at(-1)?.heading ?? null;
      // `### Phase 1 acceptance criteria` inside `## Phase 1` is about its phase, not a unit.
      const about = stack.at(-1)?.unit?.marker;
      const repeats = marker && about && sameMarker(marker, about);
      const unit =
        marker && !repeats ? newUnit("heading", node.depth, marker, id, node, enclosing(), parent) : null;
      if (unit) add(unit);
      stack.push({ depth: node.depth, unit, heading: node });
      continue;
    }
    hold(node);
    const section = stack.at(-1)?.heading ?? null;
    const depth = (section?.depth ?? 0) + 0.5;
    const leadMarker = node.type === "paragraph" ? boldLead(node) : null;
    if (leadMarker) {
      lead = newUnit("lead", depth, leadMarker, null, node, enclosing(), section);
      add(lead);
      continue;
    }
    lead?.blocks.push(node);
    if (node.type === "paragraph") {
      for (const line of markerLines(doc.body, node)) {
        add(newUnit("line", depth, line.marker, null, line.node, enclosing(), section));
      }
    }
    if (node.type === "list") {
      for (const item of node.children) {
        const marker = itemLead(item);
        if (marker) add({ ...newUnit("lead", depth, marker, null, item, enclosing(), section), list: node });
      }
    }
    if (node.type === "list" && node.ordered) {
      node.children.forEach((item, index) => {
        const marker = itemMarker(doc, item, (node.start ?? 1) + index);
        if (marker) add({ ...newUnit("item", depth, marker, null, item, enclosing(), section), list: node });
      });
    }
  }
  return units;
}

function sameMarker(a: SequenceMarker, b: SequenceMarker): boolean {
  return a.id.toLowerCase() === b.id.toLowerCase() && a.word.toLowerCase() === b.word.toLowerCase();
}

function newUnit(
  kind: UnitKind,
  depth: number,
  marker: SequenceMarker,
  explicitId: string | null,
  node: Nodes,
  ancestors: Unit[],
  section: Heading | null,
): Unit {
  return { kind, depth, marker, explicitId, node, blocks: [], ancestors, list: null, section };
}

/** `**1.1 Create the project**` (the paragraph opens with bold text that carries a marker). */
function boldLead(paragraph: Paragraph): SequenceMarker | null {
  const first = paragraph.children[0];
  if (first?.type !== "strong") return null;
  return readSequenceMarker(plainText(paragraph).split("\n")[0] ?? "");
}

/** `1. **Phase 1: Foundation**`: an item led by bold text with a word and a number. */
function itemLead(item: ListItem): SequenceMarker | null {
  const first = item.children[0];
  if (first?.type !== "paragraph" || first.children[0]?.type !== "strong") return null;
  const marker = boldLead(first);
  return marker && marker.word !== "" ? marker : null;
}

/** A numbered item: its number is the marker; its first line is the title. */
function itemMarker(doc: PlanDocument, item: ListItem, number: number): SequenceMarker | null {
  const first = item.children[0];
  if (first?.type !== "paragraph") return null;
  const line = (sourceOf(doc.body, first).split("\n")[0] ?? "").trim();
  const title = line.replace(/^(\*\*|__)(.+?)\1(?=\s|$)/, "$2").trim();
  return title
    ? { id: String(number), word: "", title, done: item.checked ?? null, inProgress: false }
    : null;
}

/**
 * `L1. Install the toolchain` / `L2. …` on consecutive lines of one paragraph: each line that
 * opens with an id (letters or a dot in it, not a bare number such as a year) is a unit of its
 * own, when every line of the paragraph does. Each becomes a one-line node of its own.
 */
function markerLines(body: string, paragraph: Paragraph): Array<{ marker: SequenceMarker; node: Paragraph }> {
  const start = paragraph.position?.start;
  if (!start || start.offset === undefined) return [];
  const lines = sourceOf(body, paragraph).split("\n");
  if (lines.length < 2) return [];
  const out: Array<{ marker: SequenceMarker; node: Paragraph }> = [];
  let offset = start.offset;
  for (const [i, text] of lines.entries()) {
    const marker = readSequenceMarker(text);
    if (!marker || /^\d+$/.test(marker.id) || !marker.title) return [];
    const line = start.line + i;
    const column = i === 0 ? start.column : 1;
    out.push({
      marker,
      node: {
        type: "paragraph",
        children: [],
        position: {
          start: { line, column, offset },
          end: { line, column: column + text.length, offset: offset + text.length },
        },
      },
    });
    offset += text.length + 1;
  }
  return out;
}
