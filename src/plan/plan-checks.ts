// The checks shared by every format, run after a reader (SPEC.md §1 "Diagnostics").
import { diagnostic, errorAt, UNDERSTOOD_SHAPES, warningAt } from "./diagnostics.js";
import type { Diagnostic, Phase, Question, Step } from "./model.js";
import { PHASE_ISSUES_PAST, phaseIssueCount, withoutDuplicatePhases } from "./phase-checks.js";
import { findPlaceholder, placeholderMessage } from "./placeholders.js";
import { findCycles, resolveDependencies, stepName } from "./step-graph.js";
import { reachLine } from "./parse-progress.js";

export interface CheckedItems {
  phases: Phase[];
  steps: Step[];
  questions: Question[];
  diagnostics: Diagnostic[];
}

function columnOf(lines: readonly string[], line: number, text: string, fallback: number): number {
  const index = (lines[line - 1] ?? "").indexOf(text);
  return index === -1 ? fallback : index + 1;
}

/** Template placeholders never become issues: the item is dropped and a warning points at it. */
function withoutPlaceholders<T extends { line: number }>(
  items: readonly T[],
  textOf: (item: T) => string,
  what: (item: T) => string,
  lines: readonly string[],
  diagnostics: Diagnostic[],
): T[] {
  return items.filter((item) => {
    reachLine(item.line);
    const found = findPlaceholder(textOf(item));
    if (!found) return true;
    const column = columnOf(lines, item.line, found.text, 1);
    diagnostics.push(
      diagnostic("warning", "placeholder", placeholderMessage(what(item), found), item.line, column),
    );
    return false;
  });
}

function untitled(steps: Step[], diagnostics: Diagnostic[]): void {
  for (const step of steps) {
    if (step.title.trim() !== "") continue;
    step.title = step.number === null ? "Untitled step" : stepName(step);
    diagnostics.push(
      diagnostic(
        "warning",
        "step-without-title",
        `${stepName(step)} has no title: write one after the number.`,
        step.line,
        step.column,
      ),
    );
  }
}

/** Second occurrences of a number or explicit id are errors; keys are made unique so nothing collides. */
function duplicates(steps: Step[], questions: Question[], diagnostics: Diagnostic[]): void {
  const numbers = new Map<string, Step>();
  const ids = new Map<string, Step | Question>();
  for (const item of [...steps, ...questions].sort((a, b) => a.line - b.line)) {
    reachLine(item.line);
    if ("number" in item && item.number !== null) {
      const first = numbers.get(item.number.toLowerCase());
      if (first) {
        diagnostics.push(
          errorAt(
            "duplicate-step-number",
            `${stepName(item)} is numbered twice (first at line ${first.line}); renumber one of them.`,
            item.line,
            item.column,
          ),
        );
      } else numbers.set(item.number.toLowerCase(), item);
    }
    if (item.explicitId !== null) {
      const first = ids.get(item.explicitId);
      if (first) {
        diagnostics.push(
          errorAt(
            "duplicate-id",
            `The id "${item.explicitId}" is used twice (first at line ${first.line}); ids must be unique in a plan.`,
            item.line,
            item.column,
          ),
        );
      } else ids.set(item.explicitId, item);
    }
  }
  const keys = new Set<string>();
  // The suffix each key was last given: a plan with the same title a thousand times would
  // otherwise try every suffix again for each (quadratic, issue #14).
  const nextSuffix = new Map<string, number>();
  for (const item of [...steps, ...questions]) {
    let key = item.key;
    if (keys.has(key)) {
      let n = nextSuffix.get(item.key) ?? 2;
      while (keys.has(`${item.key}-${n}`)) n += 1;
      key = `${item.key}-${n}`;
      nextSuffix.set(item.key, n + 1);
    }
    item.key = key;
    keys.add(key);
  }
}

export function checkItems(
  found: { phases: Phase[]; steps: Step[]; questions: Question[] },
  lines: readonly string[],
  maxItems: number,
  /** What the structure held that came closest to steps, named in the no-steps warning. */
  closest: string | null = null,
): CheckedItems {
  const diagnostics: Diagnostic[] = [];
  const phases = withoutPlaceholders(
    found.phases,
    (p) => p.title,
    () => "The phase title",
    lines,
    diagnostics,
  );
  const kept = new Set(phases.map((p) => p.key));
  const steps = withoutPlaceholders(
    found.steps,
    (s) => s.title,
    (s) => `The title of ${stepName(s)}`,
    lines,
    diagnostics,
  ).map((step) => (step.phase === null || kept.has(step.phase) ? step : { ...step, phase: null }));
  const questions = withoutPlaceholders(
    found.questions,
    (q) => q.text,
    () => "The open question",
    lines,
    diagnostics,
  );
  untitled(steps, diagnostics);
  duplicates(steps, questions, diagnostics);
  const distinctPhases = withoutDuplicatePhases(phases, diagnostics);
  diagnostics.push(...resolveDependencies(steps), ...findCycles(steps));
  const phaseIssues = phaseIssueCount(distinctPhases, steps, questions);
  if (steps.length + questions.length + phaseIssues > maxItems) {
    const counted =
      phaseIssues > 0
        ? `${steps.length} steps, ${questions.length} open questions and ${phaseIssues} phase issues (one per phase past ${PHASE_ISSUES_PAST} steps)`
        : `${steps.length} steps and ${questions.length} open questions`;
    diagnostics.push(
      errorAt(
        "too-many-items",
        `The plan has ${counted}, more than max_items (${maxItems}); split the plan or raise max_items. Nothing is applied.`,
      ),
    );
    return { phases: distinctPhases, steps: [], questions: [], diagnostics };
  }
  if (steps.length === 0) {
    const seen = closest ? ` ${closest}` : "";
    diagnostics.push(
      warningAt("no-steps", `No steps found.${seen} plan-sync understands: ${UNDERSTOOD_SHAPES}.`),
    );
  }
  return { phases: distinctPhases, steps, questions, diagnostics };
}
