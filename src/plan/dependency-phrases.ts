// Task-level dependency phrasings of spec-kit task lists (SPEC.md §1 format 2), read from one line
// (or one paragraph with its newlines) of text. Pure: text in, edges out.
//
// Understood: `T015 depends on T013, T014`, `T008 blocks T009, T015`, `T012 needs T008 + T011`,
// `T004 and T005 must be done before T006`, `T001 → T002 → T003` (also `->`), ranges `T004-T007`
// / `T004–T007` / `T004 through T007`, and, with a subject task, the inline `(depends on T012)`.

/**
 * `T015 depends on T013`: `task` is T015, `dependsOn` is T013. Columns are 1-based in the text
 * (the start of its range for a range), null for the implied subject, which is not written there.
 */
export interface DependencyEdge {
  /** The task that waits. */
  task: string;
  taskColumn: number | null;
  /** The task it waits for. */
  dependsOn: string;
  column: number | null;
}

export interface DependencyPhrase {
  edges: DependencyEdge[];
  /** Whether the text says something about order (a dependency word or an arrow), edges or not. */
  speaksOfOrder: boolean;
}

interface TaskIdAt {
  id: string;
  column: number | null;
}

// Task ids are `T` and at least three digits; a range joins two of them.
const ID = String.raw`T\d{3,}`;
const ID_OR_RANGE = new RegExp(
  String.raw`(?<![\w-])(${ID})(?:\s*(?:[-–—]|\.\.|\bthrough\b|\bto\b)\s*(${ID}))?(?![\w])`,
  "g",
);

// Verbs whose subject waits (`A depends on B`) and verbs whose subject goes first (`A blocks B`).
const WAITS = String.raw`depends?\s+on|needs?|requires?|after|(?:is\s+|are\s+)?blocked\s+by|waits?\s+(?:for|on)|must\s+wait\s+for|follows`;
const GOES_FIRST = String.raw`blocks?|unblocks?|before|precedes?|(?:is\s+|are\s+)?(?:required|needed)\s+by|feeds?|enables?`;
const VERB = new RegExp(String.raw`\b(?:(${WAITS})|(${GOES_FIRST}))\b`, "gi");
const ARROW = /→|⟶|->|=>|⇒/;
const ARROWS = new RegExp(ARROW.source, "g");
const NEGATED = /\b(?:not|never|no)\s*$|n['’]t\s*$/i;
// A range wider than this is a typo, not a plan; it is read as its two ends.
const MAX_RANGE = 200;

/**
 * Reads the dependency phrases of `text`. `subject` is the task the text belongs to (a task's own
 * line), used when a phrase names no task before its verb:
 * `(depends on T012)`.
 */
export function readDependencyPhrases(text: string, subject?: string): DependencyPhrase {
  const edges: DependencyEdge[] = [];
  let speaksOfOrder = false;
  for (const clause of clausesOf(text)) {
    const found = ARROW.test(clause.text) ? readArrows(clause) : readVerbs(clause, subject);
    speaksOfOrder ||= found.speaksOfOrder;
    edges.push(...found.edges);
  }
  return { edges: uniqueEdges(edges), speaksOfOrder };
}

interface Clause {
  text: string;
  /** 0-based offset of the clause in the whole text. */
  offset: number;
}

/** Sentences and `;`-separated parts are read one at a time, so `A needs B. C blocks D` is two phrases. */
function clausesOf(text: string): Clause[] {
  const clauses: Clause[] = [];
  const boundary = /;|\.(?=\s|$)/g;
  let start = 0;
  for (const match of text.matchAll(boundary)) {
    clauses.push({ text: text.slice(start, match.index), offset: start });
    start = match.index + match[0].length;
  }
  clauses.push({ text: text.slice(start), offset: start });
  return clauses;
}

function readArrows(clause: Clause): DependencyPhrase {
  const edges: DependencyEdge[] = [];
  let previous: TaskIdAt[] = [];
  let start = 0;
  const ends = [...clause.text.matchAll(ARROWS)].map((m) => ({ at: m.index, next: m.index + m[0].length }));
  for (const end of [...ends, { at: clause.text.length, next: clause.text.length }]) {
    const ids = idsIn(clause.text.slice(start, end.at), clause.offset + start);
    // Each step of the chain waits for the one before it; a step without ids breaks the chain.
    for (const later of ids) {
      for (const earlier of previous) edges.push(edge(later, earlier));
    }
    previous = ids;
    start = end.next;
  }
  return { edges, speaksOfOrder: true };
}

function readVerbs(clause: Clause, subject: string | undefined): DependencyPhrase {
  const verbs = [...clause.text.matchAll(VERB)];
  if (verbs.length === 0) return { edges: [], speaksOfOrder: false };
  const first = verbs[0]!;
  const before = clause.text.slice(0, first.index);
  const written = idsIn(before, clause.offset);
  const subjects = written.length > 0 ? written : subject ? [{ id: subject, column: null }] : [];
  const edges: DependencyEdge[] = [];
  verbs.forEach((verb, i) => {
    const start = verb.index + verb[0].length;
    const end = verbs[i + 1]?.index ?? clause.text.length;
    if (NEGATED.test(clause.text.slice(0, verb.index))) return;
    const objects = idsIn(clause.text.slice(start, end), clause.offset + start);
    const [waiting, awaited] = verb[1] !== undefined ? [subjects, objects] : [objects, subjects];
    for (const w of waiting) {
      for (const a of awaited) edges.push(edge(w, a));
    }
  });
  return { edges, speaksOfOrder: true };
}

function edge(task: TaskIdAt, dependsOn: TaskIdAt): DependencyEdge {
  return { task: task.id, taskColumn: task.column, dependsOn: dependsOn.id, column: dependsOn.column };
}

/** Task ids in `text`, ranges expanded; `offset` is where `text` starts in the whole text. */
function idsIn(text: string, offset: number): TaskIdAt[] {
  const ids: TaskIdAt[] = [];
  for (const match of text.matchAll(ID_OR_RANGE)) {
    const column = offset + match.index + 1;
    for (const id of expandRange(match[1]!, match[2])) ids.push({ id, column });
  }
  return ids;
}

function expandRange(first: string, last: string | undefined): string[] {
  if (last === undefined) return [first];
  const from = Number(first.slice(1));
  const to = Number(last.slice(1));
  if (to <= from || to - from > MAX_RANGE) return [first, last];
  const width = first.length - 1;
  const ids: string[] = [];
  for (let n = from; n <= to; n++) ids.push(`T${String(n).padStart(width, "0")}`);
  return ids;
}

/** Drops repeats and self-links (`T004-T007 depend on T003-T005` names T004 on both sides). */
function uniqueEdges(edges: DependencyEdge[]): DependencyEdge[] {
  const seen = new Set<string>();
  return edges.filter((e) => {
    const key = `${e.task}>${e.dependsOn}`;
    if (e.task === e.dependsOn || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
