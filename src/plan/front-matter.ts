// YAML front matter as data, never code (SPEC.md §1 "Front matter is data, never code"). This module
// finds the block and blanks its lines; reading the data (gray-matter, js-yaml) is in
// front-matter-yaml.ts, loaded only where a file can have front matter (the CLI loads it on demand).
import { errorAt } from "./diagnostics.js";
import type { Diagnostic } from "./model.js";

export interface FrontMatter {
  data: Record<string, unknown>;
  /** The text with the front matter lines blanked (kept as empty lines), so positions stay exact. */
  body: string;
  diagnostics: Diagnostic[];
}

/** The data of a `---` block, or why it could not be read (line and column in the file). */
export type FrontMatterData =
  { ok: true; data: unknown } | { ok: false; reason: string; line: number; column: number };

export type FrontMatterReader = (block: string) => FrontMatterData;

const OPENING = /^---([^\n-][^\n]*)?\n/;
const CLOSING = /^(?:---|\.\.\.)[ \t]*$/;

let reader: FrontMatterReader | null = null;

/** Called by front-matter-yaml.ts when it loads. */
export function useFrontMatterReader(read: FrontMatterReader): void {
  reader = read;
}

/** Whether a file opens with a front matter line, so that the reader is needed. */
export function mayHaveFrontMatter(text: string): boolean {
  return OPENING.test(
    text
      .replace(/^\uFEFF/, "")
      .replace(/\r\n?/g, "\n")
      .slice(0, 1024),
  );
}

/** Finds the `---` block at the top of the file; gray-matter alone would end it at any `---` in a line. */
function frontMatterBlock(text: string): string | null {
  if (!OPENING.test(text)) return null;
  let lineStart = text.indexOf("\n") + 1;
  while (lineStart > 0 && lineStart < text.length) {
    const next = text.indexOf("\n", lineStart);
    const lineEnd = next === -1 ? text.length : next;
    if (CLOSING.test(text.slice(lineStart, lineEnd))) return text.slice(0, lineEnd);
    lineStart = next + 1;
  }
  return null;
}

function blankLines(block: string): string {
  return "\n".repeat(block.split("\n").length - 1);
}

export function readFrontMatter(text: string): FrontMatter {
  const block = frontMatterBlock(text);
  if (block === null) return { data: {}, body: text, diagnostics: [] };
  const body = blankLines(block) + text.slice(block.length);
  const read: FrontMatterData = reader
    ? reader(block)
    : {
        ok: false,
        reason: "no front matter reader is loaded (import src/plan/parse.js)",
        line: 1,
        column: 1,
      };
  if (!read.ok) {
    const message = `Front matter does not parse: ${read.reason}. Fix it; the plan is not applied.`;
    return { data: {}, body, diagnostics: [errorAt("front-matter", message, read.line, read.column)] };
  }
  const data = read.data;
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    return {
      data: {},
      body,
      diagnostics: [errorAt("front-matter", "Front matter must be a mapping of keys to values.")],
    };
  }
  return { data: data as Record<string, unknown>, body, diagnostics: [] };
}
