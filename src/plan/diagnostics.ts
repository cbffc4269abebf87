// Building and ordering diagnostics (SPEC.md §1 "Diagnostics").
import type { Diagnostic, RuleName, Severity } from "./model.js";

export function diagnostic(
  severity: Severity,
  rule: RuleName,
  message: string,
  line: number,
  column: number,
): Diagnostic {
  return { severity, rule, message, line, column };
}

export function errorAt(rule: RuleName, message: string, line = 1, column = 1): Diagnostic {
  return diagnostic("error", rule, message, line, column);
}

export function warningAt(rule: RuleName, message: string, line = 1, column = 1): Diagnostic {
  return diagnostic("warning", rule, message, line, column);
}

/** File order, so lint output and annotations read top to bottom. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => a.line - b.line || a.column - b.column);
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Named in the `no-steps` warning so a person knows what to write. */
export const UNDERSTOOD_SHAPES = [
  "`#### Step 1.1: Title` headings (also `### Task 2: Title`, `### Milestone 0: Title`, `#### 1.1 Title` under a phase)",
  "checklist items under a phase heading (`- [ ] Task 1.1: Title`)",
  "spec-kit tasks (`- [ ] T001 Title`)",
  "Kiro nested checklists (`- [ ] 1. Title`, `- [ ] 1.1 Sub-task`)",
].join("; ");
