// Reads a front matter block as YAML or JSON data with gray-matter and js-yaml, never as code, and
// registers itself with front-matter.ts when loaded (parse.ts loads it; the CLI only when needed).
import matter from "gray-matter";
import { CORE_SCHEMA, load, YAMLException } from "js-yaml";
import { type FrontMatterData, useFrontMatterReader } from "./front-matter.js";

// A "billion laughs" document is small on disk but expands through aliases; refuse past this.
const MAX_EXPANDED_VALUES = 10_000;

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

export function readFrontMatterData(block: string): FrontMatterData {
  try {
    return { ok: true, data: matter(`${block}\n`, { engines, language: "yaml" }).data };
  } catch (error) {
    const reason =
      error instanceof YAMLException ? error.reason : error instanceof Error ? error.message : String(error);
    // js-yaml counts from the `---` line (gray-matter hands it the text after `---`).
    const mark = error instanceof YAMLException ? error.mark : undefined;
    return { ok: false, reason, line: mark ? mark.line + 1 : 1, column: mark ? mark.column + 1 : 1 };
  }
}

useFrontMatterReader(readFrontMatterData);
