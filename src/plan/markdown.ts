// Markdown → mdast with exact positions in the whole file, in time linear in its size: one
// markdown-it parse (markdown-tokens.ts). Parts that would still be slow or overflow a stack (deep
// nesting, huge blocks without a break) are not parsed: they become one raw `html` node and a
// `parse-timeout` error, so a hostile file never stalls the app. They are found on the pieces a
// text can be cut into without changing its tree (markdown-blocks.ts).
import type { Root, RootContent } from "mdast";
import { errorAt } from "./diagnostics.js";
import { type Cut, findCuts } from "./markdown-blocks.js";
import { markdownTree } from "./markdown-tokens.js";
import type { Diagnostic } from "./model.js";
import { enterStage, reachLine } from "./parse-progress.js";

/** Pieces are cut at headings once they reach `pieceBytes`, and at blank lines past 4 × `pieceBytes`;
 *  each is checked against the limits below. */
export interface MarkdownLimits {
  pieceBytes: number;
}

const DEFAULT_LIMITS: MarkdownLimits = { pieceBytes: 4096 };
/** A piece larger than this (no heading or blank line to cut at) is not parsed. */
const MAX_PIECE_BYTES = 128 * 1024;
/** More nested containers than this on one line is refused (stack depth, and no plan needs it). */
const MAX_NESTING = 32;
const MAX_INDENT = 128;

/**
 * Whether a line opens more than MAX_NESTING quotes or list items, or is indented past
 * MAX_INDENT. A scan, not a regular expression: `- - - … x` made a pattern with nested
 * quantifiers backtrack exponentially (issue #14).
 */
function nestsTooDeep(text: string): boolean {
  let depth = 0;
  let indent = 0;
  let lineStart = true;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i] as string;
    if (char === "\n") {
      [depth, indent, lineStart] = [0, 0, true];
    } else if (!lineStart) {
      continue;
    } else if (char === " " || char === "\t") {
      indent += 1;
      if (depth === 0 && indent > MAX_INDENT) return true;
    } else if (char === ">" || (isBullet(char) && isSpace(text[i + 1]))) {
      depth += 1;
    } else if (isDigit(char)) {
      let end = i;
      while (end < text.length && end - i < 10 && isDigit(text[end] as string)) end += 1;
      if (end - i > 9 || (text[end] !== "." && text[end] !== ")") || !isSpace(text[end + 1])) {
        lineStart = false;
        continue;
      }
      depth += 1;
      i = end;
    } else {
      lineStart = false;
    }
    if (depth > MAX_NESTING) return true;
  }
  return false;
}

const isBullet = (char: string): boolean => char === "-" || char === "*" || char === "+";
const isSpace = (char: string | undefined): boolean => char === " " || char === "\t";
const isDigit = (char: string): boolean => char >= "0" && char <= "9";

export interface MarkdownReading {
  tree: Root;
  diagnostics: Diagnostic[];
}

export function parseMarkdown(source: string): Root {
  return parseMarkdownWithLimits(source).tree;
}

interface Refused {
  start: number;
  end: number;
  line: number;
}

export function parseMarkdownWithLimits(
  source: string,
  limits: MarkdownLimits = DEFAULT_LIMITS,
): MarkdownReading {
  enterStage("markdown blocks");
  const diagnostics: Diagnostic[] = [];
  const refused = refusedPieces(source, limits.pieceBytes, diagnostics);
  const text = blanked(source, refused);
  let tree: Root;
  try {
    tree = text.includes("\r")
      ? withCarriageReturns(source, markdownTree(text.replace(/\r\n?/g, "\n")))
      : markdownTree(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    diagnostics.length = 0;
    refuse({ start: 0, end: source.length, line: 1 }, reason, diagnostics);
    return { tree: rootOf(source, [rawNode(source, 0, source.length, 1)]), diagnostics };
  }
  if (refused.length === 0) return { tree, diagnostics };
  const raw = refused.map((piece) =>
    rawNode(source.slice(piece.start, piece.end), piece.start, piece.end, piece.line),
  );
  const children = [...tree.children, ...raw].sort(
    (a, b) => (a.position?.start.offset ?? 0) - (b.position?.start.offset ?? 0),
  );
  return { tree: { ...tree, children }, diagnostics };
}

/** A refused piece is parsed as blank lines, so every other position stays where it is. One pass:
 *  re-slicing the whole text per piece was quadratic in a file of many refused pieces (issue #14). */
function blanked(source: string, refused: readonly Refused[]): string {
  if (refused.length === 0) return source;
  const parts: string[] = [];
  let at = 0;
  for (const piece of refused) {
    parts.push(source.slice(at, piece.start), source.slice(piece.start, piece.end).replace(/[^\n]/g, " "));
    at = piece.end;
  }
  parts.push(source.slice(at));
  return parts.join("");
}

/** The pieces too large or too deeply nested to parse, each reported. Most files need no cutting. */
function refusedPieces(source: string, pieceBytes: number, diagnostics: Diagnostic[]): Refused[] {
  if (source.length <= MAX_PIECE_BYTES && !nestsTooDeep(source)) return [];
  const refused: Refused[] = [];
  let start = 0;
  let line = 1;
  for (const cut of [
    ...chosenCuts(findCuts(source), pieceBytes),
    { offset: source.length, line: 0, heading: false },
  ]) {
    const piece = { start, end: cut.offset, line };
    const text = source.slice(start, cut.offset);
    reachLine(line);
    if (text.length > MAX_PIECE_BYTES) {
      refused.push(piece);
      refuse(piece, `${Math.round(text.length / 1024)} KiB without a heading or blank line`, diagnostics);
    } else if (nestsTooDeep(text)) {
      refused.push(piece);
      refuse(piece, "quotes or lists are nested more than 32 deep", diagnostics);
    }
    start = cut.offset;
    line = cut.line;
  }
  return refused;
}

/** The error of a part not read; its raw node is made once, where the tree is put together. */
function refuse(piece: Refused, why: string, diagnostics: Diagnostic[]): void {
  diagnostics.push(
    errorAt(
      "parse-timeout",
      `Lines from ${piece.line} on were not read: ${why}. Split or simplify them.`,
      piece.line,
      1,
    ),
  );
}

/** Every heading cut, and blank-line cuts only where a section has grown long. */
function chosenCuts(cuts: readonly Cut[], pieceBytes: number): Cut[] {
  const chosen: Cut[] = [];
  let last = 0;
  for (const cut of cuts) {
    const size = cut.offset - last;
    if ((cut.heading && size >= pieceBytes) || size >= 4 * pieceBytes) {
      chosen.push(cut);
      last = cut.offset;
    }
  }
  return chosen;
}

function rawNode(value: string, start: number, end: number, line: number): RootContent {
  const lines = value.split("\n");
  const endLine = line + lines.length - 1;
  const endColumn = (lines.at(-1)?.length ?? 0) + 1;
  return {
    type: "html",
    value,
    position: {
      start: { line, column: 1, offset: start },
      end: { line: endLine, column: endColumn, offset: end },
    },
  };
}

/**
 * markdown-it reads `\r\n` and a lone `\r` as `\n`; mdast offsets count every character of the
 * file. Lines and columns are the same in both (a `\r` only ends a line), so offsets are taken
 * from them.
 */
function withCarriageReturns(source: string, tree: Root): Root {
  const lineStarts = [0];
  for (let i = 0; i < source.length; i += 1) {
    const char = source[i];
    if (char === "\n" || (char === "\r" && source[i + 1] !== "\n")) lineStarts.push(i + 1);
  }
  const stack: Array<Root | RootContent> = [tree];
  while (stack.length > 0) {
    const node = stack.pop() as Root | RootContent;
    for (const point of node.position ? [node.position.start, node.position.end] : []) {
      point.offset = (lineStarts[point.line - 1] ?? 0) + point.column - 1;
    }
    if ("children" in node) stack.push(...(node.children as RootContent[]));
  }
  return tree;
}

function rootOf(source: string, children: RootContent[]): Root {
  const lines = source.split("\n");
  return {
    type: "root",
    children,
    position: {
      start: { line: 1, column: 1, offset: 0 },
      end: { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1, offset: source.length },
    },
  };
}
