import { describe, expect, it } from "vitest";
import { parsePlan } from "../../src/plan/index.js";

const diagnostics = (source: string, options: { maxItems?: number; maxBytes?: number } = {}) =>
  parsePlan(source, { path: "plans/x.md", ...options }).diagnostics.map((d) => [
    d.line,
    d.column,
    d.severity,
    d.rule,
  ]);

describe("diagnostics at exact lines and columns", () => {
  it.each([
    [
      "unknown-dependency (link left out)",
      "### Step 1: A\n**Depends on**: Step 9\n",
      [[2, 17, "warning", "unknown-dependency"]],
    ],
    [
      "dependency-cycle at each Depends on in the cycle",
      "### Step 1: A\n**Depends on**: Step 2\n### Step 2: B\n**Depends on**: Step 3\n### Step 3: C\n**Depends on**: Step 1\n### Step 4: D\n**Depends on**: Step 1\n",
      [
        [2, 17, "error", "dependency-cycle"],
        [4, 17, "error", "dependency-cycle"],
        [6, 17, "error", "dependency-cycle"],
      ],
    ],
    [
      "a step depending on itself",
      "### Step 1: A\n**Depends on**: Step 2, Step 1\n### Step 2: B\n",
      [[2, 25, "error", "dependency-cycle"]],
    ],
    [
      "duplicate-step-number at the second",
      "### Step 1: A\n### Step 2: B\n\n### Step 1: C\n",
      [[4, 1, "error", "duplicate-step-number"]],
    ],
    [
      "duplicate-id at the second",
      "### Step 1: A {#same}\n### Step 2: B {#same}\n",
      [[2, 1, "error", "duplicate-id"]],
    ],
    [
      "step-without-title",
      "## Implementation Steps\n### Step 1:\n### Step 2: B\n",
      [[2, 1, "warning", "step-without-title"]],
    ],
    [
      "placeholder step and question",
      "### Phase 1: Core\n#### Step 1.1: [Step Name]\n#### Step 1.2: Real\n## Open Questions\n- [ ] Question 1 to decide\n",
      [
        [2, 16, "warning", "placeholder"],
        [5, 7, "warning", "placeholder"],
      ],
    ],
    ["no-steps", "# Implementation Plan: X\n\nJust prose.\n", [[1, 1, "warning", "no-steps"]]],
    [
      "front-matter that does not parse",
      "---\ntitle: [unclosed\n---\n### Step 1: A\n",
      [[3, 1, "error", "front-matter"]],
    ],
  ])("%s", (_name, source, expected) => {
    expect(diagnostics(source)).toEqual(expected);
  });

  it("names the cycle in the message", () => {
    const plan = parsePlan(
      "#### Step 1.1: A\n**Depends on**: Step 1.2\n#### Step 1.2: B\n**Depends on**: Step 1.1\n",
      {
        path: "x.md",
      },
    );
    expect(plan.diagnostics.map((d) => d.message)).toEqual([
      'Dependency cycle: Step 1.1 → Step 1.2 → Step 1.1. Remove one of these "Depends on" links.',
      'Dependency cycle: Step 1.1 → Step 1.2 → Step 1.1. Remove one of these "Depends on" links.',
    ]);
    expect(plan.steps.map((s) => s.dependsOn.map((d) => d.stepKey))).toEqual([["1.2"], ["1.1"]]);
  });

  it("leaves an unknown dependency out of the links", () => {
    const plan = parsePlan("### Step 1: A\n**Depends on**: Step 9, #4\n", { path: "x.md" });
    expect(plan.steps[0]?.dependsOn.map((d) => [d.text, d.stepKey, d.reference?.kind ?? null])).toEqual([
      ["Step 9", null, null],
      ["#4", null, "issue"],
    ]);
  });

  it("refuses a plan over max_items, with no steps or questions", () => {
    const source = "### Step 1: A\n### Step 2: B\n## Open Questions\n- [ ] Why?\n";
    const plan = parsePlan(source, { path: "x.md", maxItems: 2 });
    expect(plan.diagnostics.map((d) => [d.line, d.column, d.severity, d.rule])).toEqual([
      [1, 1, "error", "too-many-items"],
    ]);
    expect([plan.steps, plan.questions]).toEqual([[], []]);
    expect(parsePlan(source, { path: "x.md", maxItems: 3 }).steps).toHaveLength(2);
  });

  it("refuses a plan over the size limit at 1:1 without reading it", () => {
    const plan = parsePlan(`### Step 1: A\n${"x".repeat(2000)}\n`, { path: "x.md", maxBytes: 1000 });
    expect(plan.diagnostics.map((d) => [d.line, d.column, d.severity, d.rule])).toEqual([
      [1, 1, "error", "plan-too-large"],
    ]);
    expect(plan.steps).toEqual([]);
  });

  it("refuses a plan over the line limit at 1:1 without reading it: 50,000 by default", () => {
    const lines = (count: number) => "### Step 1: A\n" + "#\n".repeat(count - 2);
    const plan = parsePlan(lines(50_001), { path: "x.md" });
    expect(plan.diagnostics).toEqual([
      {
        severity: "error",
        rule: "plan-too-large",
        message:
          "The plan has 50,001 lines, over the 50,000 limit; split it into several plans. Nothing is applied.",
        line: 1,
        column: 1,
      },
    ]);
    expect(plan.steps).toEqual([]);
    expect(parsePlan(lines(50_000), { path: "x.md" }).steps).toHaveLength(1);
    expect(parsePlan("a\r\nb\rc\n", { path: "x.md", maxLines: 3 }).diagnostics.map((d) => d.rule)).toEqual([
      "plan-too-large",
    ]);
  });

  it("counts the 1 MiB default in bytes, not characters", () => {
    const emoji = "🙂".repeat(300_000); // 1.2 MB of UTF-8 in 600k UTF-16 units
    expect(diagnostics(emoji).map((d) => d[3])).toEqual(["plan-too-large"]);
  });

  it("reports a template placeholder in the title and header at its column", () => {
    expect(diagnostics("# Implementation Plan: [TITLE]\n\n**Created**: [DATE]\n\n### Step 1: A\n")).toEqual([
      [1, 24, "warning", "placeholder"],
      [3, 14, "warning", "placeholder"],
    ]);
  });

  it("names a long dependency cycle by its first and last steps and a count, at every link of it", () => {
    const steps = 3000;
    const source = Array.from(
      { length: steps },
      (_, i) => `### Step ${i + 1}: T\n**Depends on**: Step ${i === 0 ? steps : i}\n`,
    ).join("");
    const cycles = parsePlan(source, { path: "x.md", maxItems: steps }).diagnostics.filter(
      (d) => d.rule === "dependency-cycle",
    );
    expect(cycles).toHaveLength(steps);
    expect(cycles[0]?.message).toBe(
      "Dependency cycle: Step 1 → Step 3000 → Step 2999 → Step 2998 → Step 2997 → Step 2996 → Step 2995 → " +
        "Step 2994 → Step 2993 → Step 2992 → … (2989 more steps) → Step 2 → Step 1. " +
        'Remove one of these "Depends on" links.',
    );
  });
});
