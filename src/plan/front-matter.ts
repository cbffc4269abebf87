// YAML front matter as data, never code (SPEC.md §1 "Front matter is data, never code").
import matter from "gray-matter";
import { CORE_SCHEMA, load, YAMLException } from "js-yaml";
import { errorAt } from "./diagnostics.js";
import type { Diagnostic } from "./model.js";

export interface FrontMatter {
  data: Record<string, unknown>;
  /** The text with the front matter lines blanked (kept as empty lines), so positions stay exact. */
  body: string;
  diagnostics: Diagnostic[];
}

// A "billion laughs" document is small on disk but expands through aliases; refuse past this.
const MAX_EXPANDED_VALUES = 10_000;
const OPENING = /^---([^\n-][^\n]*)?\n/;
const CLOSING = /^(?:---|\.\.\.)[ \t]*$/;

class FrontMatterRefused extends Error {}

function refuseCode(): never {
  throw new FrontMatterRefused(
    "front matter must be YAML or JSON data; code front matter (---js) is never run",
  );
}

/** Counts values as if every alias were written out, stopping early past the cap. */
function expandedSize(value: unknown, memo: Map<object, number>, open: Set<object>): number {
  if (value === null || typeof value !== "object") return 1;
  const known = memo.get(value);
  if (known !== undefined) return known;
  if (open.has(value)) return Infinity; // a recursive alias never ends when written out
  open.add(value);
  let size = 1;
  for (const child of Object.values(value)) {
    size += expandedSize(child, memo, open);
    if (size > MAX_EXPANDED_VALUES) break;
  }
  open.delete(value);
  memo.set(value, size);
  return size;
}

function loadYaml(source: string): object {
  const data = load(source, { schema: CORE_SCHEMA }) ?? {};
  if (expandedSize(data, new Map(), new Set()) > MAX_EXPANDED_VALUES) {
    throw new FrontMatterRefused(
      `front matter expands to more than ${MAX_EXPANDED_VALUES.toLocaleString("en")} values through YAML aliases; write the values out`,
    );
  }
  return data as object;
}

// gray-matter's defaults include a `javascript` engine that evals; every code language is replaced.
const engines = {
  yaml: loadYaml,
  yml: loadYaml,
  json: (source: string) => JSON.parse(source) as object,
  js: refuseCode,
  javascript: refuseCode,
  coffee: refuseCode,
  coffeescript: refuseCode,
  cson: refuseCode,
};

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

function errorLine(error: unknown): { line: number; column: number } {
  // js-yaml counts from the `---` line (gray-matter hands it the text after `---`).
  if (error instanceof YAMLException && error.mark) {
    return { line: error.mark.line + 1, column: error.mark.column + 1 };
  }
  return { line: 1, column: 1 };
}

export function readFrontMatter(text: string): FrontMatter {
  const block = frontMatterBlock(text);
  if (block === null) return { data: {}, body: text, diagnostics: [] };
  const body = blankLines(block) + text.slice(block.length);
  try {
    const parsed = matter(`${block}\n`, { engines, language: "yaml" });
    const data: unknown = parsed.data;
    if (data === null || typeof data !== "object" || Array.isArray(data)) {
      return {
        data: {},
        body,
        diagnostics: [errorAt("front-matter", "Front matter must be a mapping of keys to values.")],
      };
    }
    return { data: data as Record<string, unknown>, body, diagnostics: [] };
  } catch (error) {
    const reason =
      error instanceof YAMLException ? error.reason : error instanceof Error ? error.message : String(error);
    const { line, column } = errorLine(error);
    return {
      data: {},
      body,
      diagnostics: [
        errorAt(
          "front-matter",
          `Front matter does not parse: ${reason}. Fix it; the plan is not applied.`,
          line,
          column,
        ),
      ],
    };
  }
}
