// CommonMark corners where markdown-it, which plan-sync reads with, and remark, which it read with
// before issue #14, give different trees. Each is decided by what the plan's author meant.
import type { Nodes } from "mdast";
import { describe, expect, it } from "vitest";
import { parsePlan } from "../../src/plan/index.js";
import { parseMarkdown } from "../../src/plan/markdown.js";
import { plainText } from "../../src/plan/node-text.js";

const blocks = (source: string) =>
  parseMarkdown(source).children.map((n) => [n.type, n.position?.start.line, n.position?.end.line]);

describe("markdown corners, decided", () => {
  it("ends a fence left open at its last line of code, not past the end of the file", () => {
    const plan = parsePlan("# Plan\n\n## Steps\n\n### Step 1: Build\n\n```ts\nbuild();\n\n\n", {
      path: "p.md",
    });
    expect(plan.steps.map((s) => [s.title, s.endLine, s.codeExamples])).toEqual([
      ["Build", 8, [{ lang: "ts", code: "build();" }]],
    ]);
  });

  it("ends a fence left open in a list item with the item", () => {
    const tree = parseMarkdown("- [ ] one\n  ```\n  code\n- [ ] two\n");
    const list = tree.children[0] as Nodes & { children: Nodes[] };
    expect(list.children.map((item) => [item.position?.start.line, item.position?.end.line])).toEqual([
      [1, 3],
      [4, 4],
    ]);
  });

  it("continues an item's text on an unindented line holding only an inline tag (CommonMark: such HTML cannot interrupt a paragraph)", () => {
    expect(blocks("- [ ] Add the banner\n<br>\n\nNext.\n")).toEqual([
      ["list", 1, 2],
      ["paragraph", 4, 4],
    ]);
  });

  it("reads a numbered list right after indented code as a list", () => {
    expect(blocks("    make build\n2. Deploy\n")).toEqual([
      ["code", 1, 1],
      ["list", 2, 2],
    ]);
  });

  it("ends a list inside a quote on its last item, not on the quote's empty line", () => {
    const quote = parseMarkdown("> - [ ] a\n>\n").children[0] as Nodes & { children: Nodes[] };
    expect([quote.position?.end.line, quote.children[0]?.position?.end.line]).toEqual([2, 1]);
  });

  it("keeps single tildes as text (`~5 min`, `~old~`): only `~~` strikes through", () => {
    const paragraph = parseMarkdown("about ~5 min, ~old~ and ~~gone~~\n").children[0] as Nodes;
    expect(plainText(paragraph)).toBe("about ~5 min, ~old~ and gone");
  });

  it("reads a footnote definition as a paragraph with the same text and lines", () => {
    expect(blocks("Text[^1].\n\n[^1]: The note.\n")).toEqual([
      ["paragraph", 1, 1],
      ["paragraph", 3, 3],
    ]);
  });
});
