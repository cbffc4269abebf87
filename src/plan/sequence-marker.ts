// The sequence marker of a heading, a bold lead paragraph or a list item: the number or id that
// puts a unit of work in order (`1`, `4.1`, `Phase 3`, `M0`, `LP-1`, `T0.1`, `Task A`), in any
// language. Read by shape, never by the words around it.
import { readMarks } from "./heading-kinds.js";

export interface SequenceMarker {
  /** As written: `4.1`, `M0`, `LP-1`, `A` (the word before it is not part of it). */
  id: string;
  /** The words written before the id (`Phase`, `Fase`, `Implementation Phase`), or "". */
  word: string;
  title: string;
  /** `[x]` / `✅` on the text; null when it carries no mark. */
  done: boolean | null;
  inProgress: boolean;
}

// A number (`1`, `4.1`, `21a`, `2B.1`) or letters then a number (`M0`, `T0.1`, `LP-1`, `P0-3`, `X1`; not
// an acronym such as `E2E`);
// what follows is a separator, never a digit (a date `2026-04-02` is no id).
const ID =
  /^(?:\d+(?:[a-zA-Z]?\.\d+)*[a-zA-Z]?|[A-Z]+-?\d+(?:[.-]\d+)*[a-z]?|[A-Z])(?=$|[\s.:：)）、,，—–]|-\s)/u;
const AFTER_ID = /^[\s.:：)）、,，—–-]*/u;
// A word, or words joined by a hyphen (`Sub-phase`, `Teil-Aufgabe`).
const WORD = /^\p{L}+(?:-\p{L}+)*$/u;
// `ステップ1`, `步骤2`: a word of a script written without spaces, then the number.
const JOINED_WORD = /^([^\p{ASCII}\d\s]+)(?=\d)/u;
// `1단계:`, `3章`: the number, then a word of a script written without spaces.
const NUMBER_THEN_WORD = /^(\d+(?:\.\d+)*)([^\p{ASCII}\d\s.:：)）、,，—–-]+)(?=$|[\s.:：)）、,，—–])/u;
const LEADING_SYMBOLS = /^[^\p{L}\p{N}[]+/u;

function hasDigit(text: string): boolean {
  return /\d/.test(text);
}

/** The marker at the start of `raw` (emphasis, emoji and a box around it are ignored), or null. */
export function readSequenceMarker(raw: string): SequenceMarker | null {
  const marks = readMarks(raw.replace(/\*\*|__/g, "").replace(LEADING_SYMBOLS, ""));
  const text = marks.text.replace(LEADING_SYMBOLS, "");
  const found = readId(text);
  if (!found) return null;
  const title = text.slice(found.end).replace(AFTER_ID, "").trim();
  return { id: found.id, word: found.word, title, done: marks.done, inProgress: marks.inProgress };
}

/** Up to two words, then the id; a lone letter (`Task A`) counts only after a word. */
function readId(text: string): { id: string; word: string; end: number } | null {
  const words: string[] = [];
  let offset = 0;
  for (let k = 0; k <= 2; k += 1) {
    const rest = text.slice(offset);
    const joined = k < 2 ? JOINED_WORD.exec(rest) : null;
    const start = joined ? joined[0].length : 0;
    const suffixed = k === 0 ? NUMBER_THEN_WORD.exec(rest) : null;
    if (suffixed) return { id: suffixed[1]!, word: suffixed[2]!, end: suffixed[0].length };
    const id = ID.exec(rest.slice(start))?.[0];
    const word = [...words, ...(joined ? [joined[0]] : [])].join(" ");
    if (id && (hasDigit(id) || (word !== "" && id.length === 1))) {
      return { id, word, end: offset + start + id.length };
    }
    const token = /^(\S+)\s+/.exec(rest);
    if (!token || !WORD.test(token[1]!)) return null;
    words.push(token[1]!);
    offset += token[0].length;
  }
  return null;
}
