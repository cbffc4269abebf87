// Plan text as GitHub should show it: titles without markup (issue titles and graph labels render little or no
// markdown) and prose whose soft line breaks are joined (GitHub breaks lines at every newline in issue bodies,
// so a paragraph wrapped at 80 columns in the file would stop at two thirds of the width).
import type { Nodes } from "mdast";
import { parseMarkdown } from "../plan/markdown.js";

/** Characters that can start markup, an escape or an entity: a title without any is already plain. */
const MARKUP = /[*_[\]<>&`~\\!]/;

export interface PlainTextOptions {
  /** Keep inline code in backticks (GitHub renders code spans in issue titles, not in graph labels). */
  keepCode: boolean;
}

/**
 * Reconcile renders every body again after each create (a first sync of N items runs N rounds): the same texts
 * come back each round, so results are kept — up to a total size (a 36-step first sync: 10× faster). Cleared
 * when full, not an LRU: simple, and a plan's texts fill it again in one round.
 */
const MAX_CACHED_CHARS = 8_000_000;
const cache = new Map<string, string>();
let cachedChars = 0;

function cached(key: string, compute: () => string): string {
  const known = cache.get(key);
  if (known !== undefined) return known;
  const value = compute();
  if (cachedChars + key.length + value.length > MAX_CACHED_CHARS) {
    cache.clear();
    cachedChars = 0;
  }
  cache.set(key, value);
  cachedChars += key.length + value.length;
  return value;
}

/** A one-line title as text: links by their text, emphasis and HTML tags dropped, entities decoded. */
export function plainTitle(title: string, options: PlainTextOptions): string {
  const line = title.replace(/\s+/g, " ").trim();
  if (!MARKUP.test(line)) return line;
  return cached(`${options.keepCode ? "t" : "l"}\u0000${line}`, () => parseTitle(line, options));
}

function parseTitle(line: string, options: PlainTextOptions): string {
  // A leading word keeps `1. Title`, `- Title` or `# Title` from being read as a list or a heading.
  const tree = parseMarkdown(`a ${line}`);
  const text = inlineText(tree, options).replace(/\s+/g, " ").trim();
  return text.startsWith("a ") ? text.slice(2).trim() : line;
}

function inlineText(node: Nodes, options: PlainTextOptions): string {
  switch (node.type) {
    case "text":
      return node.value;
    case "inlineCode":
      return options.keepCode ? codeSpan(node.value) : node.value;
    case "html":
      return "";
    case "break":
      return " ";
    case "image":
      return node.alt ?? "";
    default:
      return "children" in node
        ? node.children.map((child) => inlineText(child as Nodes, options)).join("")
        : "";
  }
}

/** Backticks around code, more of them when the code holds a backtick. */
function codeSpan(code: string): string {
  const ticks = code.includes("`") ? "``" : "`";
  const pad = code.startsWith("`") || code.endsWith("`") ? " " : "";
  return `${ticks}${pad}${code}${pad}${ticks}`;
}

/**
 * Markdown with the soft line breaks inside paragraphs (also in list items) joined by a space. Hard breaks
 * (two trailing spaces, a backslash), code, tables, headings and quotes keep their lines.
 */
export function joinSoftBreaks(markdown: string): string {
  if (!markdown.includes("\n")) return markdown;
  return cached(`j\u0000${markdown}`, () => joinParagraphLines(markdown));
}

function joinParagraphLines(markdown: string): string {
  const joins: Array<[number, number]> = [];
  collectJoins(parseMarkdown(markdown), markdown, joins, false);
  if (joins.length === 0) return markdown;
  let out = "";
  let last = 0;
  for (const [start, end] of joins.sort((a, b) => a[0] - b[0])) {
    out += `${markdown.slice(last, start)} `;
    last = end;
  }
  return out + markdown.slice(last);
}

function collectJoins(node: Nodes, source: string, joins: Array<[number, number]>, inQuote: boolean): void {
  if (node.type === "paragraph" && !inQuote) {
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (start !== undefined && end !== undefined) paragraphJoins(source, start, end, joins);
    return;
  }
  if (!("children" in node)) return;
  for (const child of node.children)
    collectJoins(child as Nodes, source, joins, inQuote || node.type === "blockquote");
}

/** Each newline in the paragraph, with the blanks around it, unless a hard break ends the line. */
function paragraphJoins(source: string, start: number, end: number, joins: Array<[number, number]>): void {
  for (let at = source.indexOf("\n", start); at >= 0 && at < end; at = source.indexOf("\n", at + 1)) {
    let before = at;
    if (source[before - 1] === "\r") before--;
    let spaces = 0;
    while (before > start && (source[before - 1] === " " || source[before - 1] === "\t")) {
      before--;
      spaces++;
    }
    if (spaces >= 2 || source[before - 1] === "\\") continue;
    let after = at + 1;
    while (after < end && (source[after] === " " || source[after] === "\t")) after++;
    joins.push([before, after]);
  }
}
