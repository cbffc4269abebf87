// The Plan model: one shape for every plan format of SPEC.md §1.
// Everything here is plain data (JSON-serialisable), produced by parsePlan() and consumed by sync/.
import type { ParseProgress } from "./parse-progress.js";

/** Which of the three formats of SPEC.md §1 the content was read as (told from content, not path). */
export type PlanFormat = "implementation-plan" | "task-list" | "nested-checklist" | "unknown";

export type Severity = "error" | "warning";

/** Names of diagnostic rules; stable, shown to users, used in tests. */
export type RuleName =
  | "front-matter"
  | "plan-too-large"
  | "too-many-items"
  | "duplicate-step-number"
  | "duplicate-id"
  | "unknown-dependency"
  | "dependency-cycle"
  | "placeholder"
  | "step-without-title"
  | "no-steps"
  | "unreachable-reference"
  | "parse-timeout"
  | "duplicate-phase"
  | "destructive-change";

export interface Diagnostic {
  severity: Severity;
  rule: RuleName;
  /** A message a person can act on: what is wrong and what to do. */
  message: string;
  /** 1-based line and column in the whole file (front matter included). */
  line: number;
  column: number;
}

/** A reference to something outside the plan, as written in it. */
export type Reference =
  | { kind: "issue"; text: string; owner: string | null; repo: string | null; number: number }
  | { kind: "url"; text: string; url: string }
  | { kind: "ticket"; text: string; key: string };

export interface ChecklistItem {
  text: string;
  /** null for a plain bullet (no box). */
  done: boolean | null;
  line: number;
  references: Reference[];
}

export interface FileChange {
  action: "create" | "modify" | "delete" | "other";
  path: string;
}

export interface CodeExample {
  lang: string | null;
  code: string;
}

/** A `Depends on` entry: another step (by number or id, as written) or an issue reference. */
export interface DependsOn {
  /** As written: "Step 1.1", "1.1", "T012", "my-id", "#12". */
  text: string;
  /** Key of the step it names, when it names one that exists; null otherwise. */
  stepKey: string | null;
  /** Set when it names an issue (`#12`, `owner/repo#12`, URL) instead of a step. */
  reference: Reference | null;
  line: number;
  column: number;
}

export interface Step {
  /** Stable identity within the plan: explicit id when given, else derived from number/title. */
  key: string;
  /** `{#my-id}` or `<!-- id: my-id -->`, never shown in the title. */
  explicitId: string | null;
  /** As written: "1.2", "3", "T005", "LP-1", "M0"; null when the step has none. */
  number: string | null;
  title: string;
  /** Key of the phase it sits in, or null. */
  phase: string | null;
  /** Key of the parent step (nested checklists), or null. */
  parent: string | null;
  /** Bold fields by lower-cased name (what, why, how, and any other `**Name**: value`). */
  fields: Record<string, string>;
  files: FileChange[];
  validation: ChecklistItem[];
  codeExamples: CodeExample[];
  dependsOn: DependsOn[];
  /** Status as written (`In progress`, `Done`, `[-]`…), null when none. */
  status: string | null;
  done: boolean;
  inProgress: boolean;
  /** GitHub logins without the `@`. */
  assignees: string[];
  /** The step's own labels (`**Labels**:`, spec-kit `[P]` → `parallel`, `[US1]` → `US1`, Kiro `*` → `optional`). */
  labels: string[];
  /** Requirement references (`_Requirements: 1.2, 3.1_`), never dependencies. */
  requirements: string[];
  optional: boolean;
  /** Free text of the step that is not a recognised field (detail bullets, paragraphs), markdown. */
  details: string;
  /** 1-based inclusive line range of the step in the file. */
  line: number;
  endLine: number;
  column: number;
}

export interface Phase {
  key: string;
  number: string | null;
  title: string;
  /** Whether the phase heading carries its own box (`### [x] Phase 1`), else null. */
  done: boolean | null;
  line: number;
}

export interface Question {
  key: string;
  explicitId: string | null;
  text: string;
  done: boolean;
  /** An answer written under the question (indented paragraph or text after the question). */
  answer: string | null;
  line: number;
  column: number;
}

export interface DependencyItem {
  text: string;
  done: boolean | null;
  references: Reference[];
  line: number;
}

export interface Plan {
  path: string;
  format: PlanFormat;
  /** Front matter `title`, else the heading without `Implementation Plan:`; null when none. */
  title: string | null;
  /** Status as written (`Draft`, `In Progress`, `Locked`…), null when none. */
  status: string | null;
  /** Front matter merged with the bold/plain header fields (keys lower-cased). */
  metadata: Record<string, unknown>;
  /** Front matter `labels`, applied to every issue of the plan. */
  labels: string[];
  /** `plan-sync: false` in front matter. */
  optOut: boolean;
  overview: string | null;
  phases: Phase[];
  steps: Step[];
  questions: Question[];
  dependencies: { upstream: DependencyItem[]; downstream: DependencyItem[] };
  /** Other checklists by section. */
  checklists: {
    requirements: ChecklistItem[];
    testing: ChecklistItem[];
    deployment: ChecklistItem[];
    successCriteria: ChecklistItem[];
  };
  /** Rows of the risks table, keyed by lower-cased header. */
  risks: Record<string, string>[];
  references: string[];
  /** Phase- and story-level ordering lines (spec-kit), shown on the tracking issue, not linked. */
  ordering: string[];
  diagnostics: Diagnostic[];
}

export interface ParseOptions {
  path: string;
  /** Default 500 (SPEC.md §4 `max_items`). */
  maxItems?: number;
  /** Default 1 MiB. */
  maxBytes?: number;
  /** Default 50,000 (DEFAULT_MAX_LINES). */
  maxLines?: number;
  /** Told where the parse is, for a caller that may have to stop it (the server's parse worker). */
  progress?: ParseProgress;
}
