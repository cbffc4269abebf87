// The real-world fidelity set: every plan shape of SPEC.md §1 as people write them, parsed end to
// end and compared with what a reader would call its steps. See test/fixtures/real-world/.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/plan/model.js";
import { parsePlan } from "../../src/plan/parse.js";
import { observedSteps, realWorldPlans } from "../fixtures/real-world/expected.js";

const folder = new URL("../fixtures/real-world/", import.meta.url);

describe("real-world plans", () => {
  it("has at least a dozen plans, each with steps", () => {
    expect(realWorldPlans.length).toBeGreaterThanOrEqual(12);
    expect(realWorldPlans.filter((p) => p.steps.length === 0)).toEqual([]);
  });

  it.each(realWorldPlans)("$file", (expected) => {
    const source = readFileSync(new URL(expected.file, folder), "utf8");
    const plan = parsePlan(source, { path: `plans/${expected.file}` });
    expect(plan.format).toBe(expected.format);
    if (expected.title !== undefined) expect(plan.title).toBe(expected.title);
    expect(observedSteps(plan)).toEqual(expected.steps);
    expect(plan.diagnostics.filter((d: Diagnostic) => d.severity === "error")).toEqual([]);
  });
});
