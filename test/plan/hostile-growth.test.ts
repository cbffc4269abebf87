// Hostile markdown must cost time linear in its size (issue #14). Asserted by growth, not wall
// time: the best of several parses of an input and of one four times larger; linear gives 4,
// the quadratic patterns this replaced gave 16 and more, the nested guard exponential.
// Runs of brackets and emphasis are slow inside micromark itself (left for the parser change).
import { describe, expect, it } from "vitest";
import { parsePlan } from "../../src/plan/index.js";
import { parseMarkdownWithLimits } from "../../src/plan/markdown.js";

const grow: [name: string, make: (n: number) => string][] = [
  ["list markers, one space", (n) => `${"- ".repeat(n)}x\n`],
  ["list markers, two spaces", (n) => `${"-  ".repeat(n)}x\n`],
  ["quote markers", (n) => `${"> ".repeat(n)}x\n`],
  ["spaces after a title", (n) => `# Plan${" ".repeat(n)}x\n`],
  ["spaces after a step title", (n) => `## Step 1: Title${" ".repeat(n)}x\n`],
  ["spaces before a phase title", (n) => `## Phase 1:${" ".repeat(n)}Title ✅${" ".repeat(n)}x\n`],
  ["backticks", (n) => `${"`".repeat(n)}x\n`],
  ["tagged detail with spaces", (n) => `- [ ] 1. A\n  _Requirements: 1.1 ,${" ".repeat(n)}x\n`],
  ["files with spaces", (n) => `**Files**:\n- Create:${" ".repeat(n)}(${" ".repeat(n)}x\n`],
];

function bestTime(source: string): number {
  let best = Infinity;
  for (let run = 0; run < 5; run += 1) {
    const start = performance.now();
    parsePlan(source, { path: "hostile.md" });
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

describe("hostile input", () => {
  it.each(grow)("%s: time grows linearly", (_name, make) => {
    const base = 2000;
    bestTime(make(base)); // warm-up
    const small = Math.max(bestTime(make(base)), 1);
    const large = bestTime(make(4 * base));
    expect(large / small).toBeLessThan(10);
  });

  it("still refuses containers nested more than 32 deep, and reads 32", () => {
    const deep = (n: number) => `${"> ".repeat(n)}x\n`;
    const rules = (n: number) => parseMarkdownWithLimits(deep(n)).diagnostics.map((d) => d.rule);
    expect(rules(33)).toEqual(["parse-timeout"]);
    expect(rules(32)).toEqual([]);
    expect(parseMarkdownWithLimits(`${"1. ".repeat(33)}x\n`).diagnostics).toHaveLength(1);
    expect(parseMarkdownWithLimits(`${" ".repeat(129)}x\n`).diagnostics).toHaveLength(1);
    expect(parseMarkdownWithLimits(`${"- ".repeat(20)}x\n${" ".repeat(100)}y\n`).diagnostics).toEqual([]);
  });

  it("reads a title followed by 4,000 spaces as the title", () => {
    expect(parsePlan(`# Rate limiter Implementation Plan${" ".repeat(4000)}\n`, { path: "p.md" }).title).toBe(
      "Rate limiter",
    );
  });
});
