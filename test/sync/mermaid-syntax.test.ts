// @vitest-environment happy-dom
// The graphs plan-sync writes go through mermaid's own parser (the one GitHub runs): a syntax error fails here,
// not on GitHub as a red "Unable to render rich display" box. mermaid needs a DOM (DOMPurify), hence happy-dom.
import mermaid from "mermaid";
import { expect, test } from "vitest";
import { parsePlan } from "../../src/plan/parse.js";
import { InMemoryGitHub, sync } from "./in-memory-github.js";
import { config, REPO } from "./plan-builder.js";
import { FIXTURES, mermaidBlocks, syncedFixture, type FixtureName } from "./synced-fixtures.js";

test("the parser is live: it refuses a broken graph", async () => {
  await expect(mermaid.parse('flowchart TD\n  s0["open --> s1')).rejects.toThrow();
});

test.each(Object.keys(FIXTURES) as FixtureName[])("every graph of the %s plan parses", async (name) => {
  const graphs = mermaidBlocks(syncedFixture(name).github.issue(1).body);
  for (const graph of graphs) await expect(mermaid.parse(graph)).resolves.toBeTruthy();
});

test("titles that could end a label or start markup still parse", async () => {
  const titles = [
    'Quote " and `code` with #12; [brackets] (parens)',
    "Angle <b>bold</b> & <T> --> arrow; end",
    "Entity &amp; #quot; done ::: class %% comment",
    "subgraph end graph click call style",
  ];
  const text = [
    "# Implementation Plan: Hostile labels",
    "",
    "## Implementation Steps",
    "",
    '### Phase 1: A "quoted" phase; with [brackets]',
    "",
    ...titles.flatMap((title, index) => [
      `#### Step 1.${index + 1}: ${title}`,
      index > 0 ? `**Depends on**: Step 1.${index}` : "**What**: First.",
      "",
    ]),
    "### Phase 2: end",
    "",
    "#### Step 2.1: After",
    "**Depends on**: Step 1.4",
    "",
  ].join("\n");
  const path = "plans/hostile.md";
  const github = new InMemoryGitHub();
  sync(github, {
    plan: parsePlan(text, { path }),
    path,
    previousPath: null,
    config: config(),
    context: REPO,
  });
  const graphs = mermaidBlocks(github.issue(1).body);
  expect(graphs).toHaveLength(1);
  await expect(mermaid.parse(graphs[0] as string)).resolves.toBeTruthy();
});
