// The parse entry: text → Plan + diagnostics, for every format. Never throws (SPEC.md §1).
// Front matter is read by the reader front-matter-yaml.ts registers: parse.ts loads it with this
// module; the CLI loads it only for a file that has front matter (issue #14: a CLI that starts at once).
import { errorAt, sortDiagnostics } from "./diagnostics.js";
import { readFrontMatter } from "./front-matter.js";
import { readImplementationPlan } from "./formats/implementation-plan.js";
import { parseMarkdownWithLimits } from "./markdown.js";
import type { Diagnostic, ParseOptions, Plan, Step } from "./model.js";
import { checkItems } from "./plan-checks.js";
import { markDoneFromTables } from "./table-marks.js";
import { closestShape, emptyPhasesAsSteps, findBreakdown } from "./breakdown.js";
import { type FormatReader, type FormatReading, emptyReading } from "./reading.js";
import { looksLikeNestedChecklist, readNestedChecklist } from "./formats/kiro-tasks.js";
import { looksLikeTaskList, readTaskList } from "./formats/speckit-tasks.js";
import { enterStage, withProgress } from "./parse-progress.js";

export const DEFAULT_MAX_ITEMS = 500;
export const DEFAULT_MAX_BYTES = 1024 * 1024;
/** Real plans run to hundreds of lines; a million blank or one-character lines within 1 MiB is only a cost. */
export const DEFAULT_MAX_LINES = 50_000;

const OPT_OUT = new Set([false, "false", "off", "no"]);

/** A plan with nothing read: the empty reading's fields and the file-level ones left blank. */
function emptyPlan(path: string, diagnostics: Diagnostic[]): Plan {
  const { header: _header, ...reading } = emptyReading("unknown");
  return { ...reading, path, status: null, metadata: {}, labels: [], optOut: false, diagnostics };
}

/** Lines of a text whose newlines are `\n` (a scan, no split). */
function lineCount(text: string): number {
  let count = 1;
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) count += 1;
  return count;
}

/** BOM off, CRLF and lone CR → LF: positions then count lines the way editors show them. */
export function normalizeNewlines(source: string): string {
  return source.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
}

function labelsFrom(value: unknown): string[] {
  if (Array.isArray(value))
    return value
      .map(String)
      .map((l) => l.trim())
      .filter(Boolean);
  if (typeof value === "string")
    return value
      .split(",")
      .map((l) => l.trim())
      .filter(Boolean);
  return [];
}

function textOrNull(value: unknown): string | null {
  return typeof value === "string" || typeof value === "number" ? String(value).trim() || null : null;
}

function chooseReader(tree: Parameters<typeof looksLikeTaskList>[0]): FormatReader {
  if (looksLikeTaskList(tree)) return readTaskList;
  if (looksLikeNestedChecklist(tree)) return readNestedChecklist;
  return readImplementationPlan;
}

/** The structure's breakdown replaces what the known shapes found when it holds every one of
 *  those steps and more (two `### Step` headings beside twelve `### 2.1 …` of the same run). */
function holdsAndAdds(structural: readonly number[], known: readonly Step[]): boolean {
  const lines = new Set(structural);
  return structural.length > known.length && known.every((s) => lines.has(s.line));
}

function read(source: string, options: ParseOptions): Plan {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const size = Buffer.byteLength(source, "utf8");
  if (size > maxBytes) {
    const mib = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MiB`;
    return emptyPlan(options.path, [
      errorAt(
        "plan-too-large",
        `The plan is ${mib(size)}, over the ${mib(maxBytes)} limit; split it into several plans. Nothing is applied.`,
      ),
    ]);
  }
  const text = normalizeNewlines(source);
  const maxLines = options.maxLines ?? DEFAULT_MAX_LINES;
  const lineTotal = lineCount(text);
  if (lineTotal > maxLines) {
    const n = (value: number) => value.toLocaleString("en-US");
    return emptyPlan(options.path, [
      errorAt(
        "plan-too-large",
        `The plan has ${n(lineTotal)} lines, over the ${n(maxLines)} limit; split it into several plans. Nothing is applied.`,
      ),
    ]);
  }
  enterStage("front matter");
  const front = readFrontMatter(text);
  const data = front.data;
  const diagnostics: Diagnostic[] = [...front.diagnostics];
  const optOut = OPT_OUT.has(data["plan-sync"] as string | boolean);
  const markdown = parseMarkdownWithLimits(front.body);
  diagnostics.push(...markdown.diagnostics);
  const doc = { path: options.path, body: front.body, tree: markdown.tree };
  const report = (d: Diagnostic) => diagnostics.push(d);
  enterStage("steps");
  const reading: FormatReading = optOut ? emptyReading("unknown") : chooseReader(doc.tree)(doc, report);
  let hint: string | null = null;
  if (!optOut) {
    const known = reading.steps;
    const implementation = reading.format === "implementation-plan";
    const breakdown = findBreakdown(doc, (lines) => implementation && holdsAndAdds(lines, known));
    if (breakdown.steps.length > 0) {
      Object.assign(reading, { steps: breakdown.steps, phases: breakdown.phases });
    } else if (reading.steps.length === 0) hint = closestShape(breakdown.candidates);
  }
  if (!optOut && reading.format === "implementation-plan") emptyPhasesAsSteps(doc, reading);
  if (!optOut) markDoneFromTables(doc.tree, reading.steps);
  const lines = front.body.split("\n");
  enterStage("checks");
  const checked = optOut
    ? { phases: [], steps: [], questions: [], diagnostics: [] }
    : checkItems(reading, lines, options.maxItems ?? DEFAULT_MAX_ITEMS, hint);
  diagnostics.push(...checked.diagnostics);
  return {
    path: options.path,
    format: reading.format,
    title: textOrNull(data.title) ?? reading.title,
    status: textOrNull(data.status) ?? reading.header.status ?? null,
    metadata: { ...reading.header, ...data },
    labels: labelsFrom(data.labels),
    optOut,
    overview: reading.overview,
    phases: checked.phases,
    steps: checked.steps,
    questions: checked.questions,
    dependencies: reading.dependencies,
    checklists: reading.checklists,
    risks: reading.risks,
    references: reading.references,
    ordering: reading.ordering,
    diagnostics: sortDiagnostics(diagnostics),
  };
}

/** Parses a plan file. Never throws: anything unexpected becomes a diagnostic on an empty plan. */
export function parsePlan(source: string, options: ParseOptions): Plan {
  try {
    return withProgress(options.progress, () => read(source, options));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return emptyPlan(options.path, [
      errorAt(
        "parse-timeout",
        `plan-sync could not read this file (${reason}); simplify the markdown around the newest change.`,
      ),
    ]);
  }
}
