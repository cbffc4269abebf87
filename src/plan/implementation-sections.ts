// The non-step sections of an implementation plan: header, requirements, risks, dependencies,
// open questions, references (SPEC.md §1 format 1).
import type { Heading, List, ListItem, Nodes, Table } from "mdast";
import { diagnostic } from "./diagnostics.js";
import { idFromComment, slugify, splitExplicitId } from "./ids.js";
import type { DependencyItem, Question } from "./model.js";
import { plainText, sourceOf, startColumn, startLine } from "./node-text.js";
import { findFieldPlaceholder, placeholderMessage } from "./placeholders.js";
import type { Report } from "./reading.js";
import { findReferences } from "./references.js";
import { itemText } from "./step-fields.js";
import { readMarks } from "./heading-kinds.js";

const HEADER_FIELD =
  /^(\s*(?:[-*+]\s+)?(?:\*\*|__)?)([\p{L}][\p{L}\p{N} ()/_-]{0,40}?)(?::(?:\*\*|__)|(?:\*\*|__)?\s*:)[ \t]+(\S.*)$/u;

/** `**Status**: Draft`, `**Status:** Draft`, `Status: Locked` lines of the header, keys lower-cased. */
export function readHeaderFields(
  block: Nodes,
  lines: readonly string[],
  header: Record<string, string>,
  report: Report,
): void {
  if (block.type !== "paragraph" && block.type !== "list") return;
  const last = block.position?.end.line ?? startLine(block);
  for (let line = startLine(block); line <= last; line += 1) {
    const raw = lines[line - 1] ?? "";
    const match = HEADER_FIELD.exec(raw);
    if (!match) continue;
    const key = (match[2] ?? "").trim().toLowerCase();
    const value = (match[3] ?? "").replace(/\*\*$/, "").trim();
    if (key in header) continue;
    header[key] = value;
    const placeholder = findFieldPlaceholder(value);
    if (placeholder) {
      const column = raw.length - (match[3] ?? "").length + placeholder.index + 1;
      report(
        diagnostic(
          "warning",
          "placeholder",
          placeholderMessage(`Header field "${key}"`, placeholder),
          line,
          column,
        ),
      );
    }
  }
}

/** Every item of a list and of the lists nested in it, in order. */
export function allItems(list: List): ListItem[] {
  const items: ListItem[] = [];
  for (const item of list.children) {
    items.push(item);
    for (const child of item.children) if (child.type === "list") items.push(...allItems(child));
  }
  return items;
}

export function dependencyItems(list: List, body: string): DependencyItem[] {
  return list.children.map((item) => {
    const text = itemText(item, body);
    return { text, done: item.checked ?? null, references: findReferences(text), line: startLine(item) };
  });
}

export function riskRows(table: Table): Record<string, string>[] {
  const [head, ...rows] = table.children;
  if (!head) return [];
  const keys = head.children.map((cell) => plainText(cell).trim().toLowerCase());
  return rows.map((row) => {
    const record: Record<string, string> = {};
    keys.forEach((key, index) => {
      const cell = row.children[index];
      record[key || `column ${index + 1}`] = cell ? plainText(cell).trim() : "";
    });
    return record;
  });
}

const ANSWER_LABEL =
  /^(?:\*\*|__)?(?:answer|a|decision|resolved|resolution)(?:\*\*|__)?\s*[:—-]\s*(?:\*\*|__)?\s*/i;

function withoutAnswerLabel(text: string): string {
  return text.replace(ANSWER_LABEL, "").trim();
}

/** "Do we count requests? Requests, for now." → question and answer. */
function splitQuestion(line: string): { text: string; answer: string | null } {
  const mark = line.indexOf("?");
  const rest =
    mark === -1
      ? ""
      : line
          .slice(mark + 1)
          .replace(/^\s*(?:[—–-]|→|->)\s*/, "")
          .trim();
  if (mark === -1 || !rest) return { text: line.trim(), answer: null };
  return { text: line.slice(0, mark + 1).trim(), answer: withoutAnswerLabel(rest) || null };
}

function questionKey(explicitId: string | null, text: string, line: number): string {
  return explicitId ?? `question-${slugify(text) || `line-${line}`}`;
}

export function questionFromItem(item: ListItem, body: string): Question {
  const [first, ...rest] = item.children;
  const source = first?.type === "paragraph" ? sourceOf(body, first).replace(/^\[[ xX]\]\s+/, "") : "";
  const commentId =
    first?.type === "paragraph"
      ? first.children.map((c) => (c.type === "html" ? idFromComment(c.value) : null)).find(Boolean)
      : null;
  const [firstLine = "", ...moreLines] = source.replace(/<!--[\s\S]*?-->/g, "").split("\n");
  const { text: withId, id } = splitExplicitId(firstLine.trim());
  const split = splitQuestion(withId);
  const answers = [
    split.answer,
    ...moreLines.map((l) => withoutAnswerLabel(l.trim())),
    ...rest.map((n) => sourceOf(body, n)),
  ]
    .map((a) => (a ? withoutAnswerLabel(a.replace(/^[-*+]\s+/, "")) : ""))
    .filter((a) => a.length > 0);
  const explicitId = id ?? commentId ?? null;
  return {
    key: questionKey(explicitId, split.text, startLine(item)),
    explicitId,
    text: split.text,
    done: item.checked === true,
    answer: answers.length > 0 ? answers.join("\n\n") : null,
    line: startLine(item),
    column: startColumn(item),
  };
}

/** `### Q1: Should we…?` under Open Questions: the paragraphs under it are its answer. */
export function questionFromHeading(
  heading: Heading,
  text: string,
  following: readonly Nodes[],
  body: string,
): Question {
  const { text: withoutId, id } = splitExplicitId(text);
  const marks = readMarks(withoutId);
  const questionText = marks.text.replace(/^Q\d+[:.)]\s*/i, "").trim();
  const answer = following
    .map((n) => withoutAnswerLabel(sourceOf(body, n)))
    .filter(Boolean)
    .join("\n\n");
  return {
    key: questionKey(id, questionText, startLine(heading)),
    explicitId: id,
    text: questionText,
    done: marks.done === true,
    answer: answer || null,
    line: startLine(heading),
    column: startColumn(heading),
  };
}
