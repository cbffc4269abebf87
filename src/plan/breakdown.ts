// The work breakdown of a plan, found from the document's structure alone (no English needed):
// the plan is a tree of sections; its breakdown is the deepest run of units — headings of one
// level, bold lead paragraphs, or numbered items — whose sequence markers (`1.1`, `Phase 3`,
// `M0`, `LP-1`, `Task A`) are all different. Numbers that repeat (`**Step 1**` again in every
// task, lists that restart at 1) are a unit's own procedure, not the breakdown. The headings
// with markers above the chosen units are their phases.
import type { Nodes, RootContent } from "mdast";
import { type Unit, type UnitKind, collectUnits } from "./breakdown-units.js";
import { slugify, splitExplicitId } from "./ids.js";
import { headingText } from "./formats/implementation-plan.js";
import type { Phase, Step } from "./model.js";
import { endLine, startColumn, startLine } from "./node-text.js";
import type { PlanDocument } from "./reading.js";
import { readSequenceMarker } from "./sequence-marker.js";
import { type PhaseFrame, buildStep, restOfParagraph } from "./implementation-steps.js";

/** One candidate run, as `lint --explain` and the no-steps warning describe it. */
export interface Candidate {
  kind: UnitKind;
  depth: number;
  count: number;
  /** The first unit's line as written, e.g. `### 4.1 Router`. */
  example: string;
  exampleLine: number;
  /** null when the run can be the breakdown; else why not. */
  rejected: string | null;
  lines: number[];
}

export interface Breakdown {
  steps: Step[];
  phases: Phase[];
  candidates: Candidate[];
  chosen: Candidate | null;
}

/** `wanted` sees the chosen run's lines first: steps are built only for a run it accepts. */
export function findBreakdown(
  doc: PlanDocument,
  wanted: (lines: number[]) => boolean = () => true,
): Breakdown {
  const units = collectUnits(doc);
  const runs = new Map<string, Unit[]>();
  for (const unit of units) {
    const key = `${unit.kind}:${unit.depth}`;
    const run = runs.get(key);
    if (run) run.push(unit);
    else runs.set(key, [unit]);
  }
  const outlines = new Set<Unit[]>();
  for (const [key, run] of [...runs]) {
    const outline = outlineBesidePhases(run);
    if (outline.length === 0) continue;
    runs.set(
      key,
      run.filter((u) => !outline.includes(u)),
    );
    runs.set(`${key}:outline`, outline);
    outlines.add(outline);
  }
  const lines = doc.body.split("\n");
  const candidates = [...runs.values()].map((run) =>
    describe(run, lines, outlines.has(run) ? OUTLINE_REASON : undefined),
  );
  const all = [...runs.values()];
  const valid = all.filter((_, i) => candidates[i]!.rejected === null);
  const best = chooseRun(valid);
  if (!best) return { steps: [], phases: [], candidates, chosen: null };
  const chosen = candidates[all.indexOf(best)] ?? null;
  if (!wanted(chosen?.lines ?? [])) return { steps: [], phases: [], candidates, chosen };
  return { ...toSteps(doc, lines, best, all), candidates, chosen };
}

/**
 * Headings outrank bold paragraphs and items: the heading run with the most units is the
 * breakdown (bold or numbered runs only when no heading run is one). A deeper run whose every
 * unit sits inside its units refines it (`### 1.1` under `## 1.`); the outer units are then phases.
 */
function chooseRun(valid: Unit[][]): Unit[] | undefined {
  const headings = valid.filter((run) => run[0]!.kind === "heading");
  const marked = headings.filter((run) => !isPlain(run));
  // Ids (`L1.`, `**1.1 …**`) say "this is a step" more than plain numbers do, which a document
  // also uses to number its sections: plain-numbered headings come after marked runs of any kind.
  const markedOther = valid.filter((run) => run[0]!.kind !== "heading" && !isPlain(run));
  const tiers = [marked, markedOther, headings, valid];
  const base = tiers.find((tier) => tier.length > 0) ?? [];
  let best = [...base].sort((a, b) => b.length - a.length || b[0]!.depth - a[0]!.depth)[0];
  if (!best) return undefined;
  for (const run of [...valid].sort((a, b) => b[0]!.depth - a[0]!.depth)) {
    const outer = new Set(best);
    const outerIds = new Set(best.map((u) => u.marker.id.toLowerCase()));
    const inside = run.every((u) => u.ancestors.some((a) => outer.has(a)));
    // Numbers that reuse the outer ones (`1.`-`4.` again inside `5단계`) are a unit's own procedure.
    const distinct = run.every((u) => !outerIds.has(u.marker.id.toLowerCase()));
    if (run[0]!.depth > best[0]!.depth && inside && distinct) {
      best = run;
      break;
    }
  }
  return best;
}

const OUTLINE_REASON =
  "they sit at the level of the phases named with a word and a number (`Phase 0`), which stand together in one section and are the breakdown; these, in other sections and without such a word, are the document's own numbering (design notes `2.1`, decisions `AD-1`)";

/**
 * Phases named with a word (`### Phase 0` … `### Phase 4`) that stand together in one section are
 * the breakdown at their level. Headings of that level elsewhere that carry only a number or an
 * id are the document's own numbering when they are numbered under their chapter (`### 2.1`
 * under `## 2.`) or sit in a section that is no phase itself (`### AD-1` under the decisions);
 * under a sibling phase (`### T0.1` under `## Wave 0`) they are steps like the others.
 */
function outlineBesidePhases(run: Unit[]): Unit[] {
  if (run[0]?.kind !== "heading") return [];
  const worded = run.filter((u) => u.marker.word !== "");
  const home = worded[0]?.section;
  if (worded.length < 2 || !worded.every((u) => u.section === home)) return [];
  const inPhase = (u: Unit) => u.ancestors.at(-1)?.node === u.section;
  return run.filter(
    (u) => u.marker.word === "" && u.section !== home && (numberedUnderChapter(u) || !inPhase(u)),
  );
}

function numberedUnderChapter(unit: Unit): boolean {
  const chapter = unit.ancestors.at(-1);
  if (!chapter || chapter.node !== unit.section || chapter.marker.word !== "") return false;
  return unit.marker.id.startsWith(`${chapter.marker.id}.`);
}

function describe(run: Unit[], lines: readonly string[], reason?: string): Candidate {
  const first = run[0]!;
  return {
    kind: first.kind,
    depth: first.depth,
    count: run.length,
    example: (lines[startLine(first.node) - 1] ?? "").trim(),
    exampleLine: startLine(first.node),
    rejected: reason ?? rejection(run),
    lines: run.map((u) => startLine(u.node)),
  };
}

function rejection(run: Unit[]): string | null {
  if (run.length < 2) return "it is the only one of its kind, not a run of steps";
  const seen = new Map<string, Unit>();
  for (const unit of run) {
    const id = unit.marker.id.toLowerCase();
    const before = seen.get(id);
    if (before) {
      return `their numbers repeat (${unit.marker.id} at lines ${startLine(before.node)} and ${startLine(unit.node)}), so they are each unit's own sub-steps`;
    }
    seen.set(id, unit);
  }
  const kind = run[0]!.kind;
  if (kind !== "item" && isPlain(run) && !plainRunOfWork(run)) {
    return "plain numbers (`1.`, `2.`) number the document's sections; steps carry a dotted number (`4.1`), an id (`M0`) or a word with a number (`Phase 3`), or sit together under one section, each holding a list of its work";
  }
  if (kind === "item" && new Set(run.map((u) => u.list)).size < 2) {
    return "a single numbered list is a unit's own detail; numbered items are steps only when their numbering runs on across sections";
  }
  const sections = new Set(run.map((u) => u.section));
  if (kind !== "heading" && sections.size === run.length && sections.size > 1) {
    return "each section holds just one, so each is a label of its section (such as a goal), not a run of steps";
  }
  return null;
}

/** `### 1.`, `### 2.`: numbers alone, as a document numbers its sections. */
function isPlain(run: Unit[]): boolean {
  return run.every((u) => u.marker.word === "" && /^\d+$/.test(u.marker.id));
}

/** Plain-numbered headings are steps when they sit together under one section that is no unit
 *  itself, and each holds a list (its work), as in `## Etapas` > `### 1. Base` > `- …`. */
function plainRunOfWork(run: Unit[]): boolean {
  const parent = run[0]!.section;
  return (
    run[0]!.kind === "heading" &&
    parent !== null &&
    run.every((u) => u.section === parent && u.ancestors.length === 0) &&
    run.every((u) => u.blocks.some((b) => b.type === "list"))
  );
}

function toSteps(
  doc: PlanDocument,
  lines: readonly string[],
  run: Unit[],
  runs: Unit[][],
): { steps: Step[]; phases: Phase[] } {
  const frames = new Map<Unit, PhaseFrame>();
  const phases: Phase[] = [];
  const frameOf = (parent: Unit | undefined): PhaseFrame | undefined => {
    if (!parent) return undefined;
    let frame = frames.get(parent);
    if (!frame) {
      const { id, title, done } = parent.marker;
      const phase: Phase = {
        key: `phase-${id || slugify(title) || startLine(parent.node)}`,
        number: id,
        title: title || id,
        done: null,
        line: startLine(parent.node),
      };
      phases.push(phase);
      frame = { depth: parent.depth, kind: "phase", phase, done: done === true };
      frames.set(parent, frame);
    }
    return frame;
  };
  const steps = run.map((unit) => {
    const blocks = ownBlocks(unit);
    const last = blocks.at(-1);
    return buildStep(doc.body, lines, {
      explicitId: unit.explicitId,
      number: unit.marker.id,
      title: unit.marker.title,
      done: unit.marker.done === true,
      unmarked: unit.marker.done === null,
      inProgress: unit.marker.inProgress,
      blocks,
      line: startLine(unit.node),
      endLine: Math.max(endLine(unit.node), last ? endLine(last) : 0),
      column: startColumn(unit.node),
      phase: frameOf(unit.ancestors.at(-1)),
    });
  });
  // The phases' siblings of the same word (`Phase 0` beside `Phase 1` that holds `1.1`) are phases too.
  for (const parent of [...frames.keys()]) {
    if (parent.marker.word === "") continue;
    const word = parent.marker.word.toLowerCase();
    const siblings = runs.find((r) => r.includes(parent)) ?? [];
    for (const unit of siblings) if (unit.marker.word.toLowerCase() === word) frameOf(unit);
  }
  phases.sort((a, b) => a.line - b.line);
  return { steps, phases };
}

function ownBlocks(unit: Unit): Nodes[] {
  if (unit.kind !== "item" || unit.node.type !== "listItem") return unit.blocks;
  const [first, ...rest] = unit.node.children;
  return first?.type === "paragraph" && endLine(first) > startLine(first)
    ? [restOfParagraph(first), ...rest]
    : rest;
}

/**
 * A phase that holds no steps, beside phases that do, is a step of its own (`## Phase 0: Setup`
 * done in prose, then `## Phase 1` with `### 1.1 …`): the run of phases is the breakdown there.
 */
export function emptyPhasesAsSteps(doc: PlanDocument, reading: { phases: Phase[]; steps: Step[] }): void {
  const used = new Set(reading.steps.flatMap((s) => (s.phase === null ? [] : [s.phase])));
  const empty = reading.phases.filter((p) => !used.has(p.key));
  if (empty.length === 0 || (reading.steps.length > 0 && used.size === 0)) return;
  const lines = doc.body.split("\n");
  const children = doc.tree.children;
  const headingAt = new Map<number, number>();
  children.forEach((n, i) => n.type === "heading" && headingAt.set(startLine(n), i));
  const converted: Step[] = [];
  for (const phase of empty) {
    const index = headingAt.get(phase.line) ?? -1;
    const heading = children[index];
    if (heading?.type !== "heading") continue;
    const { text, id } = splitExplicitId(headingText(doc.body, heading));
    const marker = readSequenceMarker(text);
    const blocks: Nodes[] = [];
    // By index, and a set of the empty phases below: slices and `includes` were quadratic in a plan
    // of thousands of phases (issue #14).
    for (let at = index + 1; at < children.length; at += 1) {
      const node = children[at] as RootContent;
      if (node.type === "heading" && node.depth <= heading.depth) break;
      blocks.push(node);
    }
    const last = blocks.at(-1);
    converted.push(
      buildStep(doc.body, lines, {
        explicitId: id,
        number: phase.number,
        title: marker?.title || phase.title,
        done: phase.done === true || marker?.done === true,
        unmarked: phase.done === null && (marker?.done ?? null) === null,
        inProgress: marker?.inProgress ?? false,
        blocks,
        line: phase.line,
        endLine: last ? endLine(last) : phase.line,
        column: startColumn(heading),
        phase: undefined,
      }),
    );
  }
  const keys = new Set(converted.map((s) => `phase-${s.number}`));
  const emptySet = new Set(empty);
  reading.phases = reading.phases.filter((p) => !(emptySet.has(p) && keys.has(`phase-${p.number}`)));
  reading.steps = [...reading.steps, ...converted].sort((a, b) => a.line - b.line);
}

/** The no-steps hint: the largest run that was seen and why it was not taken. */
export function closestShape(candidates: readonly Candidate[]): string | null {
  const best = [...candidates]
    .filter((c) => c.rejected !== null && c.count > 1)
    .sort((a, b) => b.count - a.count)[0];
  if (!best) return null;
  const what = {
    heading: ["heading", "headings"],
    lead: ["bold lead line", "bold lead lines"],
    line: ["line that opens with an id", "lines that open with an id"],
    item: ["numbered item", "numbered items"],
  }[best.kind];
  const subject = best.count === 1 ? `1 ${what[0]} like` : `${best.count} ${what[1]} like`;
  const verb = best.count === 1 ? "was" : "were";
  return `${subject} \`${best.example}\` (line ${best.exampleLine}) ${verb} not taken as steps because ${best.rejected}.`;
}
