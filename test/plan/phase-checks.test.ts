// Issue #18, item 6: a phase heading written twice gets a diagnostic (and one phase), and `max_items` counts the
// phase issues a plan past 100 steps gets.
import { describe, expect, it } from "vitest";
import { parsePlan } from "../../src/plan/index.js";

const parse = (source: string, maxItems?: number) =>
  parsePlan(source, { path: "plans/x.md", ...(maxItems ? { maxItems } : {}) });

/** An implementation plan of `phases` phases with `steps` steps each. */
function planOf(phases: number, steps: number): string {
  const lines = ["# Implementation Plan: Big", "", "## Implementation Steps", ""];
  for (let phase = 1; phase <= phases; phase++) {
    lines.push(`### Phase ${phase}: Part ${phase}`, "");
    for (let step = 1; step <= steps; step++)
      lines.push(`#### Step ${phase}.${step}: Task ${phase}.${step}`, "");
  }
  return lines.join("\n");
}

describe("duplicate phase headings", () => {
  it("the second heading of a phase is reported; its steps stay under the first, one phase", () => {
    const plan = parse(
      [
        "# Implementation Plan: X",
        "## Implementation Steps",
        "### Phase 1: Core",
        "#### Step 1.1: One",
        "### Phase 1: Core",
        "#### Step 1.2: Two",
      ].join("\n"),
    );
    expect(plan.phases.map((phase) => [phase.key, phase.line])).toEqual([["phase-1", 3]]);
    expect(plan.steps.map((step) => [step.key, step.phase])).toEqual([
      ["1.1", "phase-1"],
      ["1.2", "phase-1"],
    ]);
    expect(plan.diagnostics).toEqual([
      {
        severity: "warning",
        rule: "duplicate-phase",
        message:
          "Phase 1 is written twice (first at line 3); its steps are listed under the first heading. Renumber or rename one of them, or merge them.",
        line: 5,
        column: 1,
      },
    ]);
  });

  it("distinct phases are not reported", () => {
    expect(parse(planOf(3, 2)).diagnostics).toEqual([]);
  });
});

describe("max_items counts phase issues", () => {
  it("500 steps in 50 phases: 550 issues, over the default 500", () => {
    const plan = parse(planOf(50, 10));
    expect(plan.steps).toEqual([]);
    expect(plan.diagnostics.map((diagnostic) => diagnostic.message)).toEqual([
      "The plan has 500 steps, 0 open questions and 50 phase issues (one per phase past 100 steps), more than max_items (500); split the plan or raise max_items. Nothing is applied.",
    ]);
  });

  it("100 steps get no phase issues, so 100 fit a max_items of 100", () => {
    expect(parse(planOf(10, 10), 100).steps).toHaveLength(100);
  });

  it("101 steps in 10 phases need 111 items", () => {
    const source = `${planOf(10, 10)}\n#### Step 10.11: One more\n`;
    expect(parse(source, 110).diagnostics[0]?.rule).toBe("too-many-items");
    expect(parse(source, 111).steps).toHaveLength(101);
  });
});
