// What a heading (or the first line of a list item) says it is: a phase, a step, or a named section.
// Patterns follow SPEC.md §1 "Plans as people really write them".

export type SectionKind =
  | "overview"
  | "requirements"
  | "steps"
  | "testing"
  | "deployment"
  | "risks"
  | "dependencies"
  | "upstream"
  | "downstream"
  | "questions"
  | "success"
  | "references"
  /** Prose sections whose lists and numbered headings are never steps. */
  | "prose";

const SECTIONS: [SectionKind, RegExp][] = [
  ["overview", /^(?:overview|summary|executive summary|goal|goals|objective)\b/],
  ["requirements", /^(?:functional |non functional )?requirements\b/],
  ["upstream", /^upstream\b/],
  ["downstream", /^downstream\b/],
  ["dependencies", /^(?:external )?dependencies\b/],
  [
    "steps",
    /^(?:implementation (?:steps|plan|phases|tasks|roadmap)|steps|tasks|task list|task breakdown|milestones|phases|roadmap|work breakdown|implementation)\b/,
  ],
  ["testing", /^(?:testing|test plan|test strategy|tests)\b/],
  ["deployment", /^(?:deployment|rollout|rollback|release plan)\b/],
  ["risks", /^risks?\b/],
  ["questions", /^(?:open questions|questions|unresolved questions|open issues)\b/],
  ["success", /^(?:success criteria|acceptance criteria|definition of done|exit criteria)\b/],
  ["references", /^(?:references|links|resources|related)\b/],
  [
    "prose",
    /^(?:technical approach|approach|architecture|design|background|context|motivation|next steps|daily tasks|execution flow|tdd loop|notes|appendix|glossary|decisions|design decisions|key decisions|alternatives|changelog|progress|status|timeline|out of scope|non goals|problem|solution|scope)\b/,
  ],
  // "Build plan", "Delivery plan": checked last so "Test plan" and "Rollback plan" keep their kinds.
  ["steps", /^(?:\p{L}+ )?plan$/u],
];

/** Section names match loosely: case, `&` / `and`, emoji and trailing words do not matter. */
export function sectionKind(text: string): SectionKind | null {
  const name = text
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()
    .replace(/^\d+(?: \d+)* /, "");
  for (const [kind, pattern] of SECTIONS) if (pattern.test(name)) return kind;
  return null;
}

export interface Marks {
  /** The text without a leading `[ ]`/`[x]` box, status emoji and surrounding emphasis. */
  text: string;
  /** true for `[x]`/`✅`, false for `[ ]`, null when no mark. */
  done: boolean | null;
  inProgress: boolean;
}

const BOX = /^\[([ xX-])\]\s*/;
const DONE_EMOJI = /(?<!\s)\s*(?:✅|✔️|✔|☑️)\s*/gu;
// `✅❌⏸️` together is a template's "pick one", not a mark.
const NOT_DONE_EMOJI = /(?<!\s)\s*(?:❌|⏸️|⏸|⬜)\s*/gu;
const PROGRESS_EMOJI = /(?<!\s)\s*(?:🚧|⏳|🔄)\s*/gu;
// A status tag closing a heading, `[DONE]`, `(Done)`, `（完了）`, `— ✅ LIVRAT`, `— TAMAMLANDI`: the
// words are a hint in several languages; the shape (brackets or a dash at the end) is the rule.
// The words are written out three times (twice here, once in DONE_CELL) as literals so that the regex lint reads
// them (a `new RegExp` it cannot); test/plan/done-words.test.ts fails when the three lists differ.
export const DONE_TAG =
  /(?:[([（【]\s*(?:done|complete|completed|finished|shipped|delivered|erledigt|fertig|abgeschlossen|terminé|termine|terminado|hecho|completado|completada|concluído|concluido|finalizado|livrat|tamamlandı|tamamlandi|выполнено|готово|завершено|完了|完成|已完成|済み|완료)\s*[)\]）】]|[—–-]\s*(?:done|complete|completed|finished|shipped|delivered|erledigt|fertig|abgeschlossen|terminé|termine|terminado|hecho|completado|completada|concluído|concluido|finalizado|livrat|tamamlandı|tamamlandi|выполнено|готово|завершено|完了|完成|已完成|済み|완료))\s*$/iu;
export const DONE_CELL =
  /^(?:done|complete|completed|finished|shipped|delivered|erledigt|fertig|abgeschlossen|terminé|termine|terminado|hecho|completado|completada|concluído|concluido|finalizado|livrat|tamamlandı|tamamlandi|выполнено|готово|завершено|完了|完成|已完成|済み|완료)(?=$|[\s(（,.;:!])/iu;

/** A status cell or line that says done: `✅ shipped`, `Done`, `완료 (v1)`; a ❌ beside it does not. */
export function saysDone(text: string): boolean {
  return readMarks(text).done === true || DONE_CELL.test(text.replace(/\*\*|__/g, "").trim());
}

const DONE_SUFFIX = /(?<!\s)\s*[([]?(?:done|complete|completed)[)\]]?\s*$/i;

/** Reads the box and status emoji on a heading or item text. */
export function readMarks(raw: string): Marks {
  let text = raw.trim();
  let done: boolean | null = null;
  let inProgress = false;
  const box = BOX.exec(text);
  if (box) {
    done = box[1] === "x" || box[1] === "X";
    inProgress = box[1] === "-";
    text = text.slice(box[0].length);
  }
  if (DONE_EMOJI.test(text)) {
    done = NOT_DONE_EMOJI.test(text) ? done : true;
    text = text.replace(DONE_EMOJI, " ").replace(NOT_DONE_EMOJI, " ").trim();
  }
  const tag = DONE_TAG.exec(text);
  if (tag && tag.index > 0) {
    done = true;
    text = text.slice(0, tag.index).trim();
  }
  if (PROGRESS_EMOJI.test(text)) {
    inProgress = done !== true;
    text = text.replace(PROGRESS_EMOJI, " ").trim();
  }
  return { text, done, inProgress };
}

export interface PhaseHeading {
  number: string | null;
  title: string;
  /** `(Complete)` after the name marks the phase done. */
  done: boolean;
}

const PHASE =
  /^(?:\*\*)?phase\s+([\p{N}]+(?:\.\d+)*[a-z]?|[ivx]+|[a-z])\b(?:\*\*)?\s*(?:[:.)\-–—]\s*)?(\S.*)?$/iu;

export function readPhaseHeading(text: string): PhaseHeading | null {
  const match = PHASE.exec(text);
  if (!match) return null;
  const rest = (match[2] ?? "").replace(/\*\*/g, "").trim();
  const done = DONE_SUFFIX.test(rest);
  const title = rest.replace(DONE_SUFFIX, "").trim();
  return { number: match[1] ?? null, title: title || text.replace(/\*\*/g, "").trim(), done };
}

export interface StepLabel {
  number: string | null;
  title: string;
  /** `Milestone 0` / `Stage 2` may be a phase when steps sit under it. */
  word: string | null;
  /** Without a keyword the label only counts inside the steps section or a phase. */
  needsStepsContext: boolean;
}

// `NUMBER` is `\d+(?:[a-zA-Z]?\.\d+)*[a-z]?` (`1.2`, `4a`, and a letter before a dot that names a track: `2B.1`), `SEP` is
// `(?:\s*[:.)\-–—]|\s|$)`; written out so that the regex lint reads them.
const KEYWORD_STEP =
  /^(?:\*\*)?(step|task|milestone|stage)\s+(\d+(?:[a-zA-Z]?\.\d+)*[a-z]?)(?:\*\*)?(?:\s*[:.)\-–—]|\s|$)\s*(?:\*\*\s*)?(\S.*)?$/i;
const BARE_NUMBER = /^(\d+(?:[a-zA-Z]?\.\d+)*[a-z]?)(?:[.)]\s*|\s+)(\S.*)$/;
const SHORT_ID = /^((?:M|T)\d+(?:[a-zA-Z]?\.\d+)*[a-z]?)(?:\s*[:.)\-–—]|\s|$)\s*(\S.*)?$/;
const CUSTOM_ID = /^([A-Z][A-Z0-9]*-\d+(?:\.\d+)*)(?:\s*[:.)\-–—]|\s)\s*(\S.*)?$/;

/** Reads `Step 1.2: T`, `Task 2: T`, `Milestone 0: T`, `1.1 T`, `M0. T`, `LP-1 — T`. */
export function readStepLabel(text: string): StepLabel | null {
  const keyword = KEYWORD_STEP.exec(text);
  if (keyword) {
    const word = (keyword[1] ?? "").toLowerCase();
    return {
      number: keyword[2] ?? null,
      title: cleanTitle(keyword[3] ?? ""),
      word: word === "milestone" || word === "stage" ? word : null,
      needsStepsContext: false,
    };
  }
  for (const pattern of [SHORT_ID, CUSTOM_ID, BARE_NUMBER]) {
    const match = pattern.exec(text);
    if (match) {
      return {
        number: match[1] ?? null,
        title: cleanTitle(match[2] ?? ""),
        word: null,
        needsStepsContext: true,
      };
    }
  }
  return null;
}

/** Drops emphasis wrapped around a whole title and a leading separator left by `**Step 2**: T`. */
function cleanTitle(title: string): string {
  let text = title.trim().replace(/^[:.\-–—]\s*/, "");
  const wrapped = /^(\*\*|__)(.+)\1$/.exec(text);
  if (wrapped) text = wrapped[2] ?? text;
  return text.trim();
}
