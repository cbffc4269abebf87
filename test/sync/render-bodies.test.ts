// Every body a first sync writes for the example plans (small, 36 steps, Kiro nested, spec-kit), as files under
// __snapshots__/bodies/: markdown a reviewer can open and read as GitHub would show it.
import { describe, expect, test } from "vitest";
import { MANAGED_END_NOTE, replaceRenderedPart } from "../../src/sync/body.js";
import { decodeMarker, stripMarkers } from "../../src/sync/marker.js";
import type { Marker } from "../../src/sync/model.js";
import { reconcile } from "../../src/sync/reconcile.js";
import { InMemoryGitHub, sync } from "./in-memory-github.js";
import { FIXTURES, mermaidBlocks, syncedFixture, type FixtureName } from "./synced-fixtures.js";

const slug = (name: string) => name.replace(/\W+/g, "-");

describe.each(Object.keys(FIXTURES) as FixtureName[])("the %s plan", (name) => {
  const { github, input } = syncedFixture(name);

  test("every issue's title and body", async () => {
    const bodies = github.issues.map((issue) =>
      [`# #${issue.number} ${issue.title}`, "", stripMarkers(issue.body).trim(), ""].join("\n"),
    );
    await expect(bodies.join("\n\n")).toMatchFileSnapshot(`__snapshots__/bodies/${slug(name)}.md`);
  });

  test("a second sync writes nothing", () => {
    expect(reconcile({ ...input, issues: github.snapshot() })).toEqual([]);
  });

  test("no checkbox in the tracking issue, no mention, no markup in titles", () => {
    const tracking = github.issue(1).body;
    expect(tracking).not.toMatch(/^\s*- \[[ xX]\]/m);
    expect(tracking).not.toMatch(/\(@\w/);
    for (const issue of github.issues) expect(issue.title).not.toMatch(/\*\*|\]\(|&amp;|<b>/);
  });
});

test("the 36-step graph: one per phase, no link implied by others, every class with a text colour", () => {
  const tracking = syncedFixture("36-step").github.issue(1).body;
  const graphs = mermaidBlocks(tracking);
  expect(graphs).toHaveLength(4);
  const edges = graphs.flatMap((graph) =>
    [...graph.matchAll(/^ {2}(s\d+) --> (s\d+)$/gm)].map((m) => [m[1] ?? "", m[2] ?? ""] as const),
  );
  expect(new Set(edges.map((edge) => edge.join(">"))).size).toBe(edges.length);
  const next = new Map<string, string[]>();
  for (const [from, to] of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const reachesWithout = (from: string, to: string) => {
    const stack = (next.get(from) ?? []).filter((node) => node !== to);
    const seen = new Set<string>();
    while (stack.length > 0) {
      const node = stack.pop() as string;
      if (node === to) return true;
      if (!seen.has(node)) {
        seen.add(node);
        stack.push(...(next.get(node) ?? []));
      }
    }
    return false;
  };
  expect(edges.filter(([from, to]) => reachesWithout(from, to))).toEqual([]);
  expect(tracking).toContain("links implied by others not drawn");
  for (const graph of graphs)
    for (const classDef of graph.matchAll(/classDef \w+ (.*)$/gm)) expect(classDef[1]).toContain("color:");
});

test("issues written by an older plan-sync are rewritten once, then left alone", () => {
  const { input } = syncedFixture("small");
  const github = new InMemoryGitHub();
  sync(github, input);
  for (const issue of github.issues) {
    // As an older release left them: another rendering (its hash) and no visible end of the managed part.
    const marker = decodeMarker(issue.body) as Marker;
    issue.body = replaceRenderedPart(issue.body, "Old rendering", { ...marker, hash: "old" }).replace(
      `\n\n---\n${MANAGED_END_NOTE}`,
      "",
    );
  }
  expect(sync(github, input).writes).toBe(github.issues.length);
  expect(github.issues.every((issue) => issue.body.includes(MANAGED_END_NOTE))).toBe(true);
  expect(sync(github, input).writes).toBe(0);
});
