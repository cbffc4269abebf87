// A phase heading looks ahead at the blocks of its own section only (issue #14): copying the rest of
// the file's blocks for each of 30,000 phase headings took 40 s on 1 MiB. Counted, not timed: the
// siblings are a proxy that counts the blocks read.
import type { RootContent } from "mdast";
import { describe, expect, it } from "vitest";
import { hasStepsBelow, holdsNumberedItems } from "../../src/plan/implementation-steps.js";
import { parseMarkdown } from "../../src/plan/markdown.js";

function countingReads(blocks: RootContent[]): { siblings: RootContent[]; reads: () => number } {
  let reads = 0;
  const siblings = new Proxy(blocks, {
    get(target, key, receiver) {
      if (typeof key === "string" && /^\d+$/.test(key)) reads += 1;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  return { siblings, reads: () => reads };
}

describe("a phase's look-ahead", () => {
  const blocks = parseMarkdown(
    Array.from({ length: 2000 }, (_, i) => `### Phase ${i}: P\n\ntext\n`).join(""),
  ).children;

  it.each([
    ["holdsNumberedItems", holdsNumberedItems],
    ["hasStepsBelow", hasStepsBelow],
  ])("%s reads up to the next heading of its level, not the rest of the file", (_name, scan) => {
    const { siblings, reads } = countingReads(blocks);
    expect(scan(siblings, 0, 3)).toBe(false);
    expect(reads()).toBeLessThanOrEqual(3);
  });

  it("still finds a step below, past other blocks", () => {
    const tree = parseMarkdown("### Phase 1: P\n\ntext\n\n#### Step 1.1: S\n\n### Phase 2: Q\n").children;
    expect(holdsNumberedItems(tree, 0, 3)).toBe(true);
    expect(holdsNumberedItems(tree, 3, 3)).toBe(false);
  });
});
