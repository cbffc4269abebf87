// parsePlan never throws and always terminates: random markdown and mutations of the fixtures.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Plan, parsePlan } from "../../src/plan/index.js";

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../fixtures/plans/${name}`, import.meta.url)), "utf8");
const FIXTURES = ["rate-limiter.md", "template.md", "kiro-tasks.example.md", "speckit-tasks.example.md"].map(
  fixture,
);

const FRAGMENTS = [
  "#",
  "#### Step 1.1: ",
  "### Phase 1: ",
  "- [ ] ",
  "- [x] ",
  "1. ",
  "**Depends on**: Step 1.1",
  "**Status**: Done",
  "```",
  "~~~",
  "<!--",
  "-->",
  "<!-- id: a -->",
  "{#a}",
  ">",
  "|",
  "---",
  "\r",
  "\r\n",
  "\uFEFF",
  "\t",
  "  ",
  "✅",
  "[",
  "]",
  "`",
  "*",
  ":",
  "T001 ",
  "Step ",
  "\n",
  "\n\n",
  "🙂",
  "速",
  "&",
  "\\",
];

/** Every position a diagnostic or item points at is inside the file. */
function expectPositionsInside(plan: Plan, source: string): void {
  const lines = source.replace(/\r\n?/g, "\n").split("\n").length;
  for (const d of plan.diagnostics) {
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.line).toBeLessThanOrEqual(lines);
    expect(d.column).toBeGreaterThanOrEqual(1);
  }
  for (const step of plan.steps) {
    expect(step.line).toBeGreaterThanOrEqual(1);
    expect(step.endLine).toBeLessThanOrEqual(lines);
  }
}

function expectReadCleanly(source: string): void {
  const plan = parsePlan(source, { path: "fuzz.md" });
  expect(plan.diagnostics.filter((d) => d.message.startsWith("plan-sync could not read"))).toEqual([]);
  expectPositionsInside(plan, source);
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), text: fc.constantFrom(...FRAGMENTS) }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant("duplicate-line" as const), at: fc.nat() }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(source: string, mutations: Mutation[]): string {
  let text = source;
  for (const m of mutations) {
    const at = m.at % (text.length + 1);
    if (m.kind === "insert") text = text.slice(0, at) + m.text + text.slice(at);
    else if (m.kind === "delete") text = text.slice(0, at) + text.slice(at + m.length);
    else {
      const start = text.lastIndexOf("\n", at - 1) + 1;
      const end = text.indexOf("\n", at);
      const line = text.slice(start, end === -1 ? text.length : end + 1);
      text = text.slice(0, start) + line + text.slice(start);
    }
  }
  return text;
}

describe("parsePlan robustness", () => {
  it("reads mutated fixtures without failing", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FIXTURES),
        fc.array(mutation, { minLength: 1, maxLength: 30 }),
        (source, mutations) => {
          expectReadCleanly(mutate(source, mutations));
        },
      ),
      { numRuns: 150 },
    );
  });

  it("reads random markdown without failing", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 8 })), { maxLength: 80 }),
        (parts) => {
          expectReadCleanly(parts.join(""));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("reads arbitrary Unicode without failing", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), (source) => expectReadCleanly(source)),
      { numRuns: 200 },
    );
  });
});
