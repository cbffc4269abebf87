// The markdown reader (markdown-it tokens → mdast) against remark, which plan-sync read with
// before (issue #14): the same blocks at the same positions on random plan-shaped documents, and
// the CommonMark corners where the two differ decided by what a plan author expects.
import fc from "fast-check";
import type { Root } from "mdast";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { describe, expect, it } from "vitest";
import { parseMarkdown, parseMarkdownWithLimits } from "../../src/plan/markdown.js";
import { findCuts } from "../../src/plan/markdown-blocks.js";
import { shapeOf } from "../support/mdast-shape.js";

const remark = unified().use(remarkParse).use(remarkGfm);
const shapes = (source: string) => ({
  ours: shapeOf(parseMarkdown(source)),
  remark: shapeOf(remark.parse(source)),
});

// Lines that open, close, continue or interrupt blocks. Left out: the corners decided below.
const LINES = [
  "# Title",
  "## Section",
  "#### Step 1.1: Do it",
  "#no-heading",
  "   # indented heading",
  "paragraph text with *emphasis* and `code`",
  "",
  "",
  "```ts\nconst a = 1;\n```",
  "~~~\n~~~",
  "````\n```\n````",
  "  ```\n  in item\n  ```",
  "    indented code",
  "- item",
  "- [ ] task",
  "- [x] done",
  "* [X] **bold** after the box",
  "- [ ]  two spaces",
  "- [ ]",
  "1. [x] numbered task",
  "  - nested item",
  "   - deeper item",
  "  1. nested number",
  "  continuation",
  "1. first",
  "1) paren first",
  "+ plus",
  "- **Step 1**: bold lead",
  "> quote",
  "> - [ ] task in a quote\n",
  ">",
  "- > quote in an item",
  "<!--\n-->",
  "<!-- id: step-a -->",
  "- <!-- id: b -->",
  "<div>",
  "</div>",
  "<span>inline</span> html",
  "===",
  "---",
  "***",
  "| a | b |",
  "|---|---|",
  "| 1 | 2 |",
  "x | y",
  "--- | ---",
  "[ref]: https://example.com/a\n",
  "see [text][ref] and [ref] and https://example.com",
  "**What**: a field",
  "Status: Locked",
  "text with a hard break  ",
  "a backslash break \\",
  "&amp; &copy; \\* escaped",
  "![alt *e*](u) [l](u 't')",
  "~~deleted~~ text",
];

const documents = fc
  .array(fc.constantFrom(...LINES), { minLength: 1, maxLength: 40 })
  .map((lines) => lines.join("\n") + "\n");

describe("parseMarkdown", () => {
  it("keeps positions of headings", () => {
    const tree = parseMarkdown("# Title\n\n## Section\n");
    expect(tree.children.map((n) => n.position?.start.line)).toEqual([1, 3]);
  });

  it("reads the blocks remark reads, at the same positions (random documents)", () => {
    fc.assert(
      fc.property(documents, (source) => {
        const { ours, remark } = shapes(source);
        expect(ours).toEqual(remark);
      }),
      { numRuns: 400 },
    );
  });

  it("gives CRLF documents the positions remark gives them", () => {
    fc.assert(
      fc.property(documents, (source) => {
        // remark moves a task item's text start past the `\r` of an empty box's line (a quirk).
        fc.pre(!source.includes("[ ]\n"));
        const { ours, remark } = shapes(source.replace(/\n/g, "\r\n"));
        // Text values keep the file's line endings in remark; positions are what is compared.
        expect(JSON.stringify(ours)).toEqual(JSON.stringify(remark).replaceAll("\\r\\n", "\\n"));
      }),
      { numRuns: 100 },
    );
  });

  it("positions every heading and list item as remark does", () => {
    const source = "# Plan\n\n## Steps\n\n- [ ] one\n- [x] two\n\n### Phase 1\n\n#### Step 1.1: A\ntext\n";
    const lines = (tree: Root["children"]) =>
      tree.map((n) => [n.type, n.position?.start.line, n.position?.start.column]);
    expect(lines(parseMarkdown(source).children)).toEqual(lines(remark.parse(source).children));
    expect(lines(parseMarkdown(source).children)).toEqual([
      ["heading", 1, 1],
      ["heading", 3, 1],
      ["list", 5, 1],
      ["heading", 8, 1],
      ["heading", 10, 1],
      ["paragraph", 11, 1],
    ]);
  });

  it("gives the whole file's root position", () => {
    expect(parseMarkdown("# A\n\ntext").position).toEqual({
      start: { line: 1, column: 1, offset: 0 },
      end: { line: 3, column: 5, offset: 9 },
    });
  });

  it("finds cuts only before headings outside fences and comments", () => {
    const source = "# A\n```\n# B\n```\n<!--\n# C\n-->\n# D\n";
    expect(
      findCuts(source)
        .filter((c) => c.heading)
        .map((c) => c.line),
    ).toEqual([8]);
  });
});

describe("parseMarkdown on hostile input", () => {
  it.each([
    ["100k nested quotes", `${">".repeat(100_000)} x\n`, 1],
    ["lists nested 200 deep", Array.from({ length: 200 }, (_, i) => `${"  ".repeat(i)}- x`).join("\n"), 1],
    ["a 200 KiB line", "word ".repeat(40_000), 1],
  ])("refuses %s with a parse-timeout error instead of hanging", (_name, source, line) => {
    const { tree, diagnostics } = parseMarkdownWithLimits(source);
    expect(diagnostics.map((d) => [d.rule, d.severity, d.line])).toEqual([["parse-timeout", "error", line]]);
    expect(tree.children.map((n) => n.type)).toEqual(["html"]);
  });

  it("still reads the sections around a refused one", () => {
    const source = `# A\ntext\n# B\n${">".repeat(50)} deep\n# C\n`;
    const { tree, diagnostics } = parseMarkdownWithLimits(source, { pieceBytes: 1 });
    expect(diagnostics.map((d) => d.line)).toEqual([3]);
    expect(tree.children.map((n) => [n.type, n.position?.start.line])).toEqual([
      ["heading", 1],
      ["paragraph", 2],
      ["html", 3],
      ["heading", 5],
    ]);
  });
});
