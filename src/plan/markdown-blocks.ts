// Where a markdown text can be cut into pieces that stand on their own: before an ATX heading at
// column 1 (it ends every open block except fenced code and HTML blocks), or, for long sections,
// after a blank line before a line at column 1 that does not start a list item. Lines inside
// top-level fences and HTML blocks are skipped. markdown.ts uses the pieces only to find the parts
// too large or too deeply nested to parse (refused, blanked); the text is then parsed whole, so a
// cut the scanner gets wrong (a fence inside a container) can only misplace a refusal's edge.
import { reachLine } from "./parse-progress.js";

export interface Cut {
  offset: number;
  /** 1-based line that starts at `offset`. */
  line: number;
  /** A heading cut; the others are only used to split long sections. */
  heading: boolean;
}

const HEADING = /^#{1,6}(?:[ \t]|$)/;
const FENCE = /^ {0,3}(`{3,}(?!`)|~{3,}(?!~))(.*)$/;
const LIST_MARKER = /^(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/;
const BLANK = /^[ \t]*$/;
const HTML_BLOCK_6 =
  /^ {0,3}<\/?(?:address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul)(?:[ \t>]|\/>|$)/i;

/** The end condition of the HTML block a line opens: a pattern, "blank" (types 6 and 7), or null. */
export function htmlBlockEnd(line: string): RegExp | "blank" | null {
  if (/^ {0,3}<(?:script|pre|style|textarea)(?:[ \t>]|$)/i.test(line))
    return /<\/(?:script|pre|style|textarea)>/i;
  if (/^ {0,3}<!--/.test(line)) return /-->/;
  if (/^ {0,3}<\?/.test(line)) return /\?>/;
  if (/^ {0,3}<!\[CDATA\[/.test(line)) return /\]\]>/;
  if (/^ {0,3}<![A-Za-z]/.test(line)) return />/;
  if (HTML_BLOCK_6.test(line) || /^ {0,3}<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^>]*)?\/?>[ \t]*$/.test(line))
    return "blank";
  return null;
}

/** The closing-fence test for a fence opened by `opening` (e.g. "```" or "~~~~"). */
export function closesFence(line: string, opening: string): boolean {
  const match = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
  return match !== null && match[1]?.[0] === opening[0] && (match[1]?.length ?? 0) >= opening.length;
}

export function findCuts(source: string): Cut[] {
  const cuts: Cut[] = [];
  let fence: string | null = null;
  let html: RegExp | "blank" | null = null;
  let previousBlank = false;
  let offset = 0;
  let lineNumber = 1;
  while (offset < source.length) {
    const newline = source.indexOf("\n", offset);
    const end = newline === -1 ? source.length : newline;
    const line = source.slice(offset, source[end - 1] === "\r" ? end - 1 : end);
    const blank = BLANK.test(line);
    reachLine(lineNumber);
    if (fence !== null) {
      if (closesFence(line, fence)) fence = null;
    } else if (html !== null) {
      if (html === "blank" ? blank : html.test(line)) html = null;
    } else if (offset > 0 && line[0] === "#" && HEADING.test(line)) {
      cuts.push({ offset, line: lineNumber, heading: true });
    } else {
      if (offset > 0 && previousBlank && !blank && !/^[ \t]/.test(line) && !LIST_MARKER.test(line)) {
        cuts.push({ offset, line: lineNumber, heading: false });
      }
      // Only a line whose text opens with a fence or `<` can open a fence or an HTML block.
      const lead = line.trimStart()[0];
      const opening = lead === "`" || lead === "~" ? FENCE.exec(line) : null;
      if (opening && !(opening[1]?.startsWith("`") && opening[2]?.includes("`"))) {
        fence = opening[1] ?? null;
      } else if (lead === "<") {
        html = htmlBlockEnd(line);
        // Types 1-5 may end on the line that opens them (`<!-- id: x -->`).
        if (html !== null && html !== "blank" && html.test(line.replace(/^ {0,3}<!?-?-?/, ""))) html = null;
      }
    }
    previousBlank = blank;
    offset = end + 1;
    lineNumber += 1;
  }
  return cuts;
}
