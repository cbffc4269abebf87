// The contract between the parse entry (parse.ts) and the per-format readers
// (formats/implementation-plan.ts, formats/speckit-tasks.ts, formats/kiro-tasks.ts).
import type { Root } from "mdast";
import type { Diagnostic, Plan, PlanFormat } from "./model.js";

/**
 * A plan file ready for a format reader. The front matter lines are blanked (not removed) in
 * `body`, so every mdast position is the exact line and column in the original file.
 */
export interface PlanDocument {
  path: string;
  /** The file text after BOM removal and CRLF → LF, with front matter lines blanked. */
  body: string;
  tree: Root;
}

/** Reports a diagnostic; readers never throw on bad input. */
export type Report = (diagnostic: Diagnostic) => void;

/** What a format reader finds: the Plan's content fields, and the header fields (`**Status**: Draft`,
 *  `Status: Locked`…, keys lower-cased). `dependsOn[].stepKey` may be left null: parse.ts resolves it. */
export type FormatReading = Pick<
  Plan,
  | "format"
  | "title"
  | "overview"
  | "phases"
  | "steps"
  | "questions"
  | "dependencies"
  | "checklists"
  | "risks"
  | "references"
  | "ordering"
> & { header: Record<string, string> };

export type FormatReader = (doc: PlanDocument, report: Report) => FormatReading;

export function emptyReading(format: PlanFormat): FormatReading {
  return {
    format,
    title: null,
    header: {},
    overview: null,
    phases: [],
    steps: [],
    questions: [],
    dependencies: { upstream: [], downstream: [] },
    checklists: { requirements: [], testing: [], deployment: [], successCriteria: [] },
    risks: [],
    references: [],
    ordering: [],
  };
}
