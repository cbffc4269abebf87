// Checks of phase headings: a phase written twice, and the phase issues a large plan gets (SPEC.md §2 "GitHub's
// caps": past 100 steps, one issue per phase), which count towards `max_items` like steps.
import { warningAt } from "./diagnostics.js";
import type { Diagnostic, Phase, Question, Step } from "./model.js";

/** Past this many top-level steps and questions (GitHub's sub-issue cap), each phase gets an issue. */
export const PHASE_ISSUES_PAST = 100;

/**
 * A second heading of the same phase (same number, or same title without one) is reported and dropped: its steps
 * already carry the phase's key, so they stay under the first heading, and the phase has one issue.
 */
export function withoutDuplicatePhases(phases: Phase[], diagnostics: Diagnostic[]): Phase[] {
  const first = new Map<string, Phase>();
  for (const phase of phases) {
    const earlier = first.get(phase.key);
    if (!earlier) {
      first.set(phase.key, phase);
      continue;
    }
    const name = phase.number === null ? `"${phase.title}"` : `Phase ${phase.number}`;
    diagnostics.push(
      warningAt(
        "duplicate-phase",
        `${name} is written twice (first at line ${earlier.line}); its steps are listed under the first heading. Renumber or rename one of them, or merge them.`,
        phase.line,
      ),
    );
  }
  return [...first.values()];
}

/**
 * The phase issues a sync will create: one per phase once the top-level steps and the questions pass GitHub's
 * sub-issue cap (with the default config: `sub_issues: false` or `questions: list` may need fewer).
 */
export function phaseIssueCount(phases: Phase[], steps: Step[], questions: Question[]): number {
  const keys = new Set(steps.map((step) => step.key));
  const topLevel = steps.filter((step) => !(step.parent && keys.has(step.parent))).length;
  return phases.length > 0 && topLevel + questions.length > PHASE_ISSUES_PAST ? phases.length : 0;
}
