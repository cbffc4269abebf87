import fc from "fast-check";
import type { Root } from "mdast";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { describe, expect, it } from "vitest";
import { parseMarkdown, parseMarkdownWithLimits } from "../../src/plan/markdown.js";
import { findCuts } from "../../src/plan/markdown-blocks.js";

const wholeParser = unified().use(remarkParse).use(remarkGfm);
const whole = (source: string) => wholeParser.parse(source).children;
// Cut at every heading and every blank-line cut point, so small documents exercise the joins.
const cutEverywhere = (source: string) => parseMarkdownWithLimits(source, { pieceBytes: 1 });

// Lines that open, close or interrupt blocks: the shapes that could make a cut unsafe.
const LINES = [
  "# Title",
  "## Section",
  "#### Step 1.1: Do it",
  "#no-heading",
  "paragraph text with *emphasis* and `code`",
  "",
  "",
  "```",
  "```ts",
  "~~~",
  "````",
  "    indented code",
  "- item",
  "- [ ] task",
  "- [x] done",
  "  - nested item",
  "  ```",
  "1. first",
  "2) second",
  "> quote",
  "> ```",
  "<!--",
  "-->",
  "<!-- id: step-a -->",
  "<div>",
  "</div>",
  "<script>",
  "</script>",
  "===",
  "---",
  "| a | b |",
  "|---|---|",
  "| 1 | 2 |",
  "[ref]: https://example.com/a",
  "see [text][ref] and [ref]",
  "[^1]: a footnote",
  "a note[^1]",
  "**What**: a field",
  "Status: Locked",
  "\ttab indented",
  "- <!--",
  "  -->",
  "<!-->",
  "<pre>",
  "<custom-tag>",
  "[ref]:",
  "  /url 'title'",
  "    footnote continued",
  " > lazy",
  "   # indented heading",
];

const documents = fc
  .array(fc.constantFrom(...LINES), { minLength: 1, maxLength: 60 })
  .map((lines) => lines.join("\n") + "\n");

describe("parseMarkdown", () => {
  it("keeps positions of headings", () => {
    const tree = parseMarkdown("# Title\n\n## Section\n");
    expect(tree.children.map((n) => n.position?.start.line)).toEqual([1, 3]);
  });

  it("gives the tree of a single parse when cut at every heading (random documents)", () => {
    fc.assert(
      fc.property(documents, (source) => {
        expect(cutEverywhere(source).tree.children).toEqual(whole(source));
      }),
      { numRuns: 400 },
    );
  });

  it("gives the tree of a single parse for CRLF documents", () => {
    fc.assert(
      fc.property(documents, (source) => {
        const crlf = source.replace(/\n/g, "\r\n");
        expect(cutEverywhere(crlf).tree.children).toEqual(whole(crlf));
      }),
      { numRuns: 100 },
    );
  });

  it.each([
    ["a fence swallowing a heading", "# A\n```\n# not a heading\n```\n# B\n"],
    ["a fence opened in a list item, then a top-level fence", "- ```\n  ```\n# A\n```\n# B\n```\n"],
    ["a comment spanning a heading", "# A\n<!--\n# hidden\n-->\n# B\n"],
    ["an HTML block running into a heading", "# A\n<div>\n# inside\n\n# B\n"],
    ["a setext heading before a cut", "Title\n===\n# A\ntext\n---\n# B\n"],
    ["a definition used before it is defined", "# A\nsee [x]\n# B\n[x]: https://example.com\n"],
    ["a footnote defined in a later section", "# A\nnote[^n]\n# B\n[^n]: the note\n"],
    ["an unclosed comment in a list item before a heading", "- <!--\n# Title\n"],
    ["indented code after definitions are replayed", "    indented code\n[^1]: a footnote\n# Title\n"],
  ])("cuts %s correctly", (_name, source) => {
    expect(cutEverywhere(source).tree.children).toEqual(whole(source));
  });

  it("positions every heading and list item as a single parse does", () => {
    const source = "# Plan\n\n## Steps\n\n- [ ] one\n- [x] two\n\n### Phase 1\n\n#### Step 1.1: A\ntext\n";
    const lines = (tree: Root["children"]) =>
      tree.map((n) => [n.type, n.position?.start.line, n.position?.start.column]);
    expect(lines(cutEverywhere(source).tree.children)).toEqual(lines(whole(source)));
    expect(lines(cutEverywhere(source).tree.children)).toMatchInlineSnapshot(`
      [
        [
          "heading",
          1,
          1,
        ],
        [
          "heading",
          3,
          1,
        ],
        [
          "list",
          5,
          1,
        ],
        [
          "heading",
          8,
          1,
        ],
        [
          "heading",
          10,
          1,
        ],
        [
          "paragraph",
          11,
          1,
        ],
      ]
    `);
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
