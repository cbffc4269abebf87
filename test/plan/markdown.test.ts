import { describe, expect, it } from "vitest";
import { parseMarkdown } from "../../src/plan/markdown.js";

describe("parseMarkdown", () => {
  it("keeps positions of headings", () => {
    const tree = parseMarkdown("# Title\n\n## Section\n");
    expect(tree.children.map((n) => n.position?.start.line)).toEqual([1, 3]);
  });
});
