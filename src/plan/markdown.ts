// Markdown → mdast with exact positions in the whole file, in time linear in its size.
// micromark is quadratic on long documents (micromark/micromark#169), so the text is cut where a
// cut cannot change the tree (markdown-blocks.ts), each piece is parsed alone, and positions are
// shifted back. Pieces that would still be slow (deep nesting, huge blocks) are not parsed: they
// become one raw `html` node and a `parse-timeout` error, so a hostile file never stalls the app.
import type { Nodes, Root, RootContent } from "mdast";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { errorAt } from "./diagnostics.js";
import { type Cut, closesFence, findCuts, htmlBlockEnd } from "./markdown-blocks.js";
import type { Diagnostic } from "./model.js";

const processor = unified().use(remarkParse).use(remarkGfm);

/** Pieces are cut at headings once they reach `pieceBytes` (smaller ones cost more in per-parse
 *  set-up than micromark's quadratic term saves), and at blank lines past 4 × `pieceBytes`. */
export interface MarkdownLimits {
  pieceBytes: number;
}

const DEFAULT_LIMITS: MarkdownLimits = { pieceBytes: 4096 };
/** A piece larger than this (no heading or blank line to cut at) is not parsed. */
const MAX_PIECE_BYTES = 128 * 1024;
/** More nested containers than this on one line makes micromark slow or overflow its stack. */
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

interface Piece {
  start: number;
  end: number;
  /** 1-based line of `start`. */
  line: number;
}

export function parseMarkdownWithLimits(
  source: string,
  limits: MarkdownLimits = DEFAULT_LIMITS,
): MarkdownReading {
  const cuts = chosenCuts(findCuts(source), limits.pieceBytes);
  const pieces: Piece[] = [];
  const diagnostics: Diagnostic[] = [];
  const trees: Root[] = [];
  let start = 0;
  let line = 1;
  let next = 0;
  while (start < source.length || pieces.length === 0) {
    while (next < cuts.length && (cuts[next] as Cut).offset <= start) next += 1;
    let end = cuts[next]?.offset ?? source.length;
    let piece = parsePiece(source, start, end, line, diagnostics);
    // A block that runs over the cut (a fence or HTML block the scanner missed) runs on in the
    // whole file: move the cut past its end and parse again.
    while (piece.crossing) {
      const close = endOfCrossingBlock(source, piece.crossing, end);
      while (next < cuts.length && (cuts[next] as Cut).offset < close) next += 1;
      end = cuts[next]?.offset ?? source.length;
      piece = parsePiece(source, start, end, line, diagnostics);
    }
    const tree = piece.tree;
    pieces.push({ start, end, line });
    trees.push(tree);
    line = cuts[next]?.line ?? line;
    start = end;
    if (start >= source.length) break;
  }
  const joined = withDefinitions(source, pieces, trees, diagnostics);
  return { tree: rootOf(source, joined), diagnostics };
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

interface ParsedPiece {
  tree: Root;
  /** A block that starts in the piece and runs into the line after it, else null. */
  crossing: RootContent | null;
}

/**
 * Parses source[start, end) followed by the line after it: that line (a heading, or a line at
 * column 1 after a blank line) closes the piece's open blocks exactly as it does in the whole
 * file, so end positions match; the blocks that start on it are dropped.
 */
function parsePiece(
  source: string,
  start: number,
  end: number,
  line: number,
  diagnostics: Diagnostic[],
  prefix = "",
): ParsedPiece {
  const text = source.slice(start, end);
  const refuse = (why: string): ParsedPiece => {
    diagnostics.push(
      errorAt(
        "parse-timeout",
        `Lines from ${line} on were not read: ${why}. Split or simplify them.`,
        line,
        1,
      ),
    );
    return { tree: { type: "root", children: [rawNode(text, start, end, line)] }, crossing: null };
  };
  if (text.length > MAX_PIECE_BYTES)
    return refuse(`${Math.round(text.length / 1024)} KiB without a heading or blank line`);
  if (nestsTooDeep(text)) return refuse("quotes or lists are nested more than 32 deep");
  const newline = source.indexOf("\n", end);
  const following = source.slice(end, newline === -1 ? source.length : newline + 1);
  let tree: Root;
  try {
    tree = processor.parse(prefix + text + following);
  } catch (error) {
    return refuse(error instanceof Error ? error.message : String(error));
  }
  const textEnd = prefix.length + text.length;
  const children = tree.children.filter((node) => {
    const offset = node.position?.start.offset ?? 0;
    return offset >= prefix.length && offset < textEnd;
  });
  const crossing = children.find((node) => (node.position?.end.offset ?? 0) > textEnd) ?? null;
  const prefixLines = prefix.split("\n").length - 1;
  for (const child of children) shift(child, line - 1 - prefixLines, start - prefix.length);
  return { tree: { type: "root", children }, crossing };
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

function shift(node: Nodes, lines: number, offset: number): void {
  const stack: Nodes[] = [node];
  while (stack.length > 0) {
    const current = stack.pop() as Nodes;
    const position = current.position;
    if (position) {
      position.start.line += lines;
      position.end.line += lines;
      if (position.start.offset !== undefined) position.start.offset += offset;
      if (position.end.offset !== undefined) position.end.offset += offset;
    }
    if ("children" in current) stack.push(...(current.children as Nodes[]));
  }
}

/** Where a block that runs over a cut ends: after its closing fence, end marker or blank line. */
function endOfCrossingBlock(source: string, block: RootContent, end: number): number {
  const firstLine = lineAt(source, block.position?.start.offset ?? end);
  const fence = /^ {0,3}(`{3,}|~{3,})/.exec(firstLine)?.[1];
  if (block.type === "code" && fence) return endOfBlock(source, end, (line) => closesFence(line, fence));
  const ending = block.type === "html" ? htmlBlockEnd(firstLine) : null;
  if (ending === "blank") return endOfBlock(source, end, (line) => /^[ \t]*$/.test(line));
  if (ending) return endOfBlock(source, end, (line) => ending.test(line));
  return end + 1;
}

function lineAt(source: string, offset: number): string {
  const newline = source.indexOf("\n", offset);
  return source.slice(offset, newline === -1 ? source.length : newline).replace(/\r$/, "");
}

/** The offset just after the first line from `from` on that ends the block. */
function endOfBlock(source: string, from: number, ends: (line: string) => boolean): number {
  let offset = from;
  while (offset < source.length) {
    const line = lineAt(source, offset);
    const next = offset + line.length + (source[offset + line.length] === "\r" ? 2 : 1);
    if (ends(line)) return next;
    offset = next;
  }
  return source.length;
}

/**
 * Link reference and footnote definitions apply to the whole file. When the file has any, each
 * piece is parsed again with all of them written before it, so `[x][ref]` resolves as it would
 * in one parse; the definitions read from that prefix are then dropped.
 */
function withDefinitions(
  source: string,
  pieces: readonly Piece[],
  trees: Root[],
  diagnostics: Diagnostic[],
): RootContent[] {
  const found: { offset: number; text: string }[] = [];
  for (const tree of trees) collectDefinitions(source, tree, found);
  if (found.length === 0 || trees.length === 1) return trees.flatMap((tree) => tree.children);
  // In file order: the first definition of a label wins. The closing comment line ends the last
  // footnote definition, which would otherwise take an indented first line of the piece as its own.
  const prefix = `${found
    .sort((a, b) => a.offset - b.offset)
    .map((d) => d.text)
    .join("\n\n")}\n\n<!---->\n`;
  const silent: Diagnostic[] = [];
  return pieces.flatMap((piece, index) => {
    const first = trees[index] as Root;
    if (
      first.children.length === 1 &&
      first.children[0]?.type === "html" &&
      diagnostics.some((d) => d.line === piece.line)
    ) {
      return first.children;
    }
    return parsePiece(source, piece.start, piece.end, piece.line, silent, prefix).tree.children;
  });
}

function collectDefinitions(source: string, tree: Root, into: { offset: number; text: string }[]): void {
  const stack: Nodes[] = [...tree.children];
  while (stack.length > 0) {
    const node = stack.pop() as Nodes;
    const offset = node.position?.start.offset ?? 0;
    if (node.type === "definition") {
      into.push({ offset, text: source.slice(offset, node.position?.end.offset).trim() });
    } else if (node.type === "footnoteDefinition") {
      into.push({ offset, text: `[^${node.label ?? node.identifier}]: .` });
    }
    if ("children" in node) stack.push(...(node.children as Nodes[]));
  }
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
