// Kiro's tagged detail lines: `_Requirements: 1.2, 3.1_` in any language (`_Requisitos: 1.2_`,
// `_需求: 1.1_`), matched by shape `_<word>: ids_`. Requirement ids are never dependencies; only a
// line tagged `_Depends: 1.1_` (also `Depends on`, `Dependencies`) names tasks to wait for.

export interface TaggedId {
  /** As written: `1.2`, `REQ-3`, `4.1-4.5`. */
  text: string;
  line: number;
  column: number;
}

export interface TaggedLine {
  kind: "requirements" | "depends";
  ids: TaggedId[];
}

// Matched on the text without trailing space; the value ends on a non-space so the spaces before
// the closing mark are not shared between two quantifiers.
const TAGGED = /^(\s*([_*])(\p{L}[\p{L}\p{M} ]{0,30}?)\s*[:：]\s*)(\S(?:.*\S)?)\s*\2$/u;
const SEPARATOR = /(?<!\s)\s*[,，、;；]\s*/g;
// `1.2`, `3.E1`, `R2`, `FR-001`, and ranges of them (`4.1-4.5`).
const ONE_ID = String.raw`[A-Za-z]{0,6}-?\d+(?:\.[A-Za-z]?\d+)*[a-z]?`;
const ID = new RegExp(String.raw`^${ONE_ID}(?:\s*[-–~]\s*${ONE_ID})?$`);
const DEPENDS = /^(?:depends?(?:\s+on)?|dependenc(?:y|ies)|blocked\s+by)$/i;

/**
 * Reads `text` (exact source starting at `line`, `column`) as a tagged line; null when it is not
 * one (a tag whose values are not ids, such as `_Boundary: settings_`, is an ordinary detail).
 */
export function readTaggedLine(text: string, line: number, column: number): TaggedLine | null {
  if (text.includes("\n")) return null;
  const match = TAGGED.exec(text.trimEnd());
  if (!match) return null;
  const valueStart = match[1]!.length;
  const ids: TaggedId[] = [];
  for (const part of splitKeepingOffsets(match[4]!)) {
    if (!ID.test(part.text)) return null;
    ids.push({ text: part.text, line, column: column + valueStart + part.offset });
  }
  return { kind: DEPENDS.test(match[3]!.trim()) ? "depends" : "requirements", ids };
}

function splitKeepingOffsets(value: string): Array<{ text: string; offset: number }> {
  const parts: Array<{ text: string; offset: number }> = [];
  let start = 0;
  for (const separator of value.matchAll(SEPARATOR)) {
    parts.push({ text: value.slice(start, separator.index), offset: start });
    start = separator.index + separator[0].length;
  }
  parts.push({ text: value.slice(start), offset: start });
  return parts.filter((p) => p.text !== "");
}
