// markdown-it's token stream → the mdast subset src/plan and src/sync read: blocks with exact
// positions (line, column, offset in the text), inline nodes without positions. markdown-it parses a
// whole file in linear time; micromark, which remark uses, cost 7× more on 1 MiB (issue #14).
// Positions follow mdast: a block starts at its first character after the container prefixes (an
// indented code or HTML block at the container's content column) and ends at the end of its last
// line; a container ends where its last child does.
import markdownIt, { type MarkdownIt, type StateBlock, type Token } from "markdown-it";
import type { ListItem, Parent, PhrasingContent, Root, RootContent } from "mdast";
import type { Point } from "unist";
import { inlineNodes } from "./markdown-inline.js";
import { readTaskBox } from "./markdown-tasks.js";
import { enterStage, reachLine } from "./parse-progress.js";

type Rule = (state: StateBlock, startLine: number, endLine: number, silent: boolean) => boolean;

/** Where each block token of the current parse starts in the text, by its index in the token
 *  stream (markdown-it keeps only lines). */
let starts: number[] = [];

function createParser(): MarkdownIt {
  const md = markdownIt({ html: true, linkify: false, typographer: false });
  // Link reference definitions are blocks of their own in mdast: keep their tokens.
  md.core.ruler.disable("strip_references");
  const ruler = md.block.ruler;
  for (const rule of [...ruler.__rules__]) {
    const original = rule.fn as Rule;
    const wrapped: Rule = (state, startLine, endLine, silent) => {
      const first = state.tokens.length;
      const ok = original(state, startLine, endLine, silent);
      if (ok && !silent) recordStarts(state, first, rule.name === "code" || rule.name === "html_block");
      return ok;
    };
    ruler.at(rule.name, wrapped, { alt: rule.alt });
  }
  // Where the block pass is, for a parse stopped by its time limit: a rule that matches nothing, tried
  // first at every block start (nested ones too), and never as a terminator (no `alt`).
  ruler.before(ruler.__rules__[0]?.name ?? "table", "progress", (_state, startLine) => {
    reachLine(startLine + 1);
    return false;
  });
  // markdown-it's own inline stage, with each block's line marked before its text is parsed.
  md.core.ruler.at("inline", (state) => {
    enterStage("inline text");
    for (const token of state.tokens) {
      if (token.type !== "inline") continue;
      if (token.map) reachLine(token.map[0] + 1);
      state.md.inline.parse(token.content, state.md, state.env, token.children ?? (token.children = []));
    }
  });
  return md;
}

/** Called right after a rule ran, before a container restores its line marks: `bMarks + tShift`
 *  is then where the rule's tokens start inside their container. Inner rules ran first. */
function recordStarts(state: StateBlock, first: number, atContentColumn: boolean): void {
  for (let i = first; i < state.tokens.length; i += 1) {
    const token = state.tokens[i] as Token;
    if (token.nesting < 0 || !token.map || starts[i] !== undefined) continue;
    const line = token.map[0];
    const first = state.bMarks[line] as number;
    starts[i] = atContentColumn ? contentColumn(state, line) : first + (state.tShift[line] as number);
  }
}

/** Indented code and HTML blocks start where the container's indent ends, their own spaces kept. */
function contentColumn(state: StateBlock, line: number): number {
  const first = state.bMarks[line] as number;
  const text = (state.tShift[line] as number) + first;
  let column = state.bsCount[line] as number;
  let at = first;
  while (at < text && column - (state.bsCount[line] as number) < state.blkIndent) {
    column += state.src[at] === "\t" ? 4 - (column % 4) : 1;
    at += 1;
  }
  return at;
}

let parser: MarkdownIt | null = null;

/** Line starts of a text, for offset → line/column. */
function lineStartsOf(text: string): number[] {
  const lines = [0];
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) lines.push(at + 1);
  return lines;
}

type Block = Parent & RootContent;

class TreeBuilder {
  private readonly lines: number[];
  private readonly stack: Parent[];
  private readonly root: Root;
  /** The open token of each open container, innermost last. */
  private readonly openers: Token[] = [];
  /** The index of the token being read: the one whose start `startOf` gives. */
  private current = 0;

  constructor(private readonly text: string) {
    this.lines = lineStartsOf(text);
    this.root = { type: "root", children: [] };
    this.stack = [this.root];
  }

  point(line: number, offset: number): Point {
    return { line: line + 1, column: offset - (this.lines[line] as number) + 1, offset };
  }

  /** The point of any offset (a binary search over line starts). */
  pointAt(offset: number): Point {
    let low = 0;
    let high = this.lines.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.lines[middle] as number) <= offset) low = middle;
      else high = middle - 1;
    }
    return this.point(low, offset);
  }

  /** Offset of the end of 0-based `line`, before its line ending. */
  lineEnd(line: number): number {
    const next = this.lines[line + 1];
    return next === undefined ? this.text.length : next - 1;
  }

  startOf(token: Token): Point {
    const line = token.map?.[0] ?? 0;
    return this.point(line, starts[this.current] ?? this.lines[line] ?? 0);
  }

  /** A leaf block: from its start to the end of its last line (`lastLine` 0-based). */
  leaf(token: Token, node: RootContent, lastLine: number): void {
    node.position = { start: this.startOf(token), end: this.point(lastLine, this.lineEnd(lastLine)) };
    this.add(node);
  }

  add(node: RootContent): void {
    (this.stack.at(-1) as Parent).children.push(node as never);
  }

  open(token: Token, node: Block): void {
    const start = this.startOf(token);
    node.position = { start, end: start };
    this.add(node);
    this.stack.push(node);
    this.openers.push(token);
  }

  /** Closes the open container; it ends where its last child does, or at `fallback`. */
  close(fallback?: Point): void {
    const node = this.stack.pop() as Block;
    this.openers.pop();
    const last = node.children.at(-1);
    const end = last?.position?.end ?? fallback;
    if (end && node.position) node.position.end = end;
  }

  build(tokens: readonly Token[]): Root {
    enterStage("markdown tree");
    for (let i = 0; i < tokens.length; i += 1) {
      this.current = i;
      const map = (tokens[i] as Token).map;
      if (map) reachLine(map[0] + 1);
      i = this.token(tokens, i);
    }
    const lastLine = this.lines.length - 1;
    this.root.position = {
      start: { line: 1, column: 1, offset: 0 },
      end: this.point(lastLine, this.text.length),
    };
    return this.root;
  }

  /** Handles tokens[i]; returns the index of the last token it used. */
  private token(tokens: readonly Token[], i: number): number {
    const token = tokens[i] as Token;
    const map = token.map ?? [0, 1];
    switch (token.type) {
      case "paragraph_open": {
        const inline = tokens[i + 1] as Token;
        this.leaf(token, { type: "paragraph", children: inlineNodes(inline) }, map[1] - 1);
        return i + 2;
      }
      case "heading_open": {
        const depth = Number(token.tag.slice(1)) as 1 | 2 | 3 | 4 | 5 | 6;
        const inline = tokens[i + 1] as Token;
        this.leaf(token, { type: "heading", depth, children: inlineNodes(inline) }, map[1] - 1);
        return i + 2;
      }
      case "bullet_list_open":
      case "ordered_list_open": {
        const ordered = token.type === "ordered_list_open";
        const first = tokens[i + 1];
        const start = ordered ? Number(first?.info ?? "1") : null;
        this.open(token, { type: "list", ordered, start, spread: false, children: [] });
        return i;
      }
      case "list_item_open": {
        this.open(token, { type: "listItem", spread: false, checked: null, children: [] });
        return i;
      }
      case "list_item_close": {
        const item = this.stack.at(-1) as ListItem;
        const start = item.position?.start as Point;
        const marker = (this.openers.at(-1)?.info.length ?? 0) + 1;
        readTaskBox(item, this.text, (offset) => this.pointAt(offset));
        this.close({ ...start, column: start.column + marker, offset: (start.offset ?? 0) + marker });
        return i;
      }
      case "blockquote_open": {
        this.open(token, { type: "blockquote", children: [] });
        return i;
      }
      case "blockquote_close": {
        // A quote runs to the end of its last line, `>` lines without text included.
        const quote = this.stack.at(-1) as Block;
        const opener = this.openers.pop() as Token;
        this.stack.pop();
        const last = this.lastContentLine(opener.map ?? [0, 1]);
        if (quote.position) quote.position.end = this.point(last, this.lineEnd(last));
        return i;
      }
      case "bullet_list_close":
      case "ordered_list_close":
        this.close();
        return i;
      case "fence":
      case "code_block":
        return this.code(token, i);
      case "html_block": {
        // An HTML block left open runs to the end of its container; its trailing blank lines are not in it.
        const last = this.lastContentLine(map);
        const value = withoutBlankEnd(token.content);
        this.leaf(token, { type: "html", value }, last);
        return i;
      }
      case "hr":
        this.leaf(token, { type: "thematicBreak" }, map[1] - 1);
        return i;
      case "reference_definition":
        return this.definition(token, i);
      case "table_open":
        return this.table(tokens, i);
      default:
        return i;
    }
  }

  private code(token: Token, i: number): number {
    const map = token.map ?? [0, 1];
    let value = token.content;
    let last = map[1] - 1;
    if (token.type === "fence" && !this.closesFence(token, last)) {
      // An unclosed fence runs to the end of its container; its trailing blank lines are not code.
      last = this.lastContentLine(map);
      value = withoutBlankEnd(value);
    }
    value = value.replace(/\n$/, "");
    const info = token.type === "fence" ? (parser as MarkdownIt).utils.unescapeAll(token.info).trim() : "";
    const space = info.search(/[ \t]/);
    const lang = info === "" ? null : space === -1 ? info : info.slice(0, space);
    const meta = space === -1 ? null : info.slice(space).trim() || null;
    this.leaf(token, { type: "code", lang, meta, value }, last);
    return i;
  }

  /** Whether the last line of a fence token is its closing fence. */
  private closesFence(token: Token, last: number): boolean {
    if (last === token.map?.[0]) return false;
    const line = this.text.slice(this.lines[last], this.lineEnd(last)).trim();
    return line.startsWith(token.markup) && /^([`~])\1*$/.test(line);
  }

  /** The last line of `map` that is not blank. */
  private lastContentLine(map: [number, number]): number {
    let last = map[1] - 1;
    while (last > map[0] && this.text.slice(this.lines[last], this.lineEnd(last)).trim() === "") last -= 1;
    return last;
  }

  private definition(token: Token, i: number): number {
    const map = token.map ?? [0, 1];
    const label = String((token.meta as { label?: string } | null)?.label ?? "");
    const node: RootContent = {
      type: "definition",
      identifier: label.toLowerCase(),
      label,
      url: "",
      title: null,
    };
    this.leaf(token, node, map[1] - 1);
    return i;
  }

  private table(tokens: readonly Token[], i: number): number {
    const opener = tokens[i] as Token;
    const rows: Parent[] = [];
    const align: Array<"left" | "right" | "center" | null> = [];
    let j = i + 1;
    for (; j < tokens.length && tokens[j]?.type !== "table_close"; j += 1) {
      const token = tokens[j] as Token;
      if (token.type === "tr_open") rows.push({ type: "tableRow", children: [] } as Parent);
      if (token.type === "th_open") align.push(alignOf(token));
      if (token.type === "inline" && rows.length > 0) {
        const children: PhrasingContent[] = inlineNodes(token);
        (rows.at(-1) as Parent).children.push({ type: "tableCell", children } as never);
      }
    }
    const last = (opener.map?.[1] ?? 1) - 1;
    this.leaf(opener, { type: "table", align, children: rows as never }, last);
    return j;
  }
}

/** The text up to the end of its last line that is not blank (a scan: no regex backtracking). */
function withoutBlankEnd(value: string): string {
  let last = value.length - 1;
  while (last >= 0 && (value[last] === " " || value[last] === "\t" || value[last] === "\n")) last -= 1;
  const end = value.indexOf("\n", last + 1);
  return end === -1 ? value : value.slice(0, end);
}

function alignOf(token: Token): "left" | "right" | "center" | null {
  const style = String(token.attrGet("style") ?? "");
  if (style.includes("left")) return "left";
  if (style.includes("right")) return "right";
  if (style.includes("center")) return "center";
  return null;
}

/** The mdast tree of `text` (newlines already `\n`; a `\r` is read as markdown-it reads it). */
export function markdownTree(text: string): Root {
  parser ??= createParser();
  starts = [];
  reachLine(1); // markdown-it first splits the text into lines
  const tokens = parser.parse(text, {});
  return new TreeBuilder(text).build(tokens);
}
