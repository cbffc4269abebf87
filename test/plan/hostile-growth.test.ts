// Hostile markdown must cost time linear in its size (issue #14). Asserted by growth, not wall
// time: the least CPU time of several parses of an input and of one four times larger; linear
// gives 4, the quadratic patterns this replaced gave 16 and more, the nested guard exponential.
// Every case of bench/hostile-inputs.ts, and random inputs made of hostile fragments (fast-check).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HOSTILE_CASES, grownTo } from "../../bench/hostile-inputs.js";
import { parsePlan } from "../../src/plan/index.js";
import { parseMarkdownWithLimits } from "../../src/plan/markdown.js";

/** The least CPU time (ms, this process: a busy machine does not count) of a few parses. */
function bestTime(source: string): number {
  let best = Infinity;
  for (let run = 0; run < 5; run += 1) {
    const start = process.cpuUsage();
    parsePlan(source, { path: "hostile.md" });
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

/**
 * CPU time of an input of `kib` and of one four times as large; under 5 ms counts as 5. Linear
 * parsing gives 4, quadratic 16. Sizes stay at 32 KiB and under: past that the collector's young
 * generation fills and the ratio measures it rather than the parser. The floor absorbs a step V8
 * takes near 16,000 lines (markdown-it alone: 0.2 ms for 8,000 blank lines, 4.8 ms for 16,000,
 * then linear again), which is not the parser's growth either.
 */
function growth(make: (bytes: number) => string, kib: number): { small: number; large: number } {
  const small = make(kib * 1024);
  const large = make(4 * kib * 1024);
  bestTime(large); // warm-up
  return { small: Math.max(bestTime(small), 5), large: bestTime(large) };
}

// Pieces hostile input is made of: container markers, brackets, emphasis, backticks, spaces, CRLF…
const FRAGMENTS = [
  "- ",
  "-  ",
  "> ",
  "1. ",
  "[",
  "](",
  "[a]",
  "*",
  "_",
  "**",
  "`",
  "``",
  " ",
  "\t",
  "#",
  "## Step 1:",
  "\r\n",
  "\n",
  "\r",
  "<!--",
  "|",
  "~~",
  "\\",
  "!",
  "<",
  "x",
  "- [ ] ",
  "**Depends on**: ",
];

describe("hostile input", () => {
  it.each(HOSTILE_CASES)("%s: time grows linearly", (_name, make) => {
    const { small, large } = growth((bytes) => grownTo(make, bytes), 8);
    expect(large / small).toBeLessThan(10);
  });

  // Costs that grow with how many pieces are refused show only once there are a few dozen: 64 KiB.
  it("pieces refused between headings: time grows linearly from 64 KiB", () => {
    const make = HOSTILE_CASES.find(([name]) => name === "pieces refused between headings")?.[1];
    if (!make) throw new Error("the case is in bench/hostile-inputs.ts");
    const { small, large } = growth((bytes) => grownTo(make, bytes), 64);
    expect(large / small).toBeLessThan(10);
  });

  it("any input made of hostile fragments: time grows linearly (time per KiB bounded as it grows)", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 8 }), (parts) => {
        const unit = parts.join("");
        const { small, large } = growth((bytes) => unit.repeat(Math.ceil(bytes / unit.length)), 8);
        expect(large / small).toBeLessThan(10);
      }),
      { numRuns: 25 },
    );
  }, 90_000);

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
