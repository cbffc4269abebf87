// The tracking issue's dependency graph draws the transitive reduction of `Depends on` (a link implied by a longer
// path is left out), in time linear in the links: a plan where every step depends on every earlier one (a full
// mesh, 44,850 links for 300 steps) once took minutes per render, and a first sync renders once per create.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Plan } from "../../src/plan/model.js";
import { dependencyGraph } from "../../src/sync/render-graph.js";
import type { RenderContext } from "../../src/sync/render-context.js";
import { config, dependsOn, phase, plan, REPO, step } from "./plan-builder.js";
import { mermaidBlocks } from "./synced-fixtures.js";

/** A plan of `count` steps in one phase; step i (0-based) depends on the steps `blockers(i)` names. */
function planOf(count: number, blockers: (index: number) => number[]): Plan {
  const steps = Array.from({ length: count }, (_, index) =>
    step(String(index + 1), `Step ${index + 1}`, {
      phase: "1",
      dependsOn: dependsOn(...blockers(index).map((blocker) => String(blocker + 1))),
    }),
  );
  return plan({ steps, phases: [phase("1", "One")] });
}

function graphOf(subject: Plan): string | null {
  const context: RenderContext = {
    plan: subject,
    path: "plans/graph.md",
    planTitle: "Graph",
    config: config(),
    repo: REPO,
    issueOf: () => null,
    stepByKey: new Map(subject.steps.map((one) => [one.key, one])),
  };
  return dependencyGraph(context);
}

/** The links drawn, as `from>to` step positions. */
function drawn(graph: string | null): string[] {
  return mermaidBlocks(graph ?? "")
    .flatMap((block) => [...block.matchAll(/^ {2}s(\d+) --> s(\d+)$/gm)])
    .map((match) => `${match[1]}>${match[2]}`)
    .sort();
}

/** The reduction by its definition: a link stays unless another path of two links or more joins its ends. */
function reductionByDefinition(links: ReadonlyArray<readonly [number, number]>): string[] {
  const next = new Map<number, number[]>();
  for (const [from, to] of links) next.set(from, [...(next.get(from) ?? []), to]);
  const longerPath = (from: number, to: number): boolean => {
    const stack = (next.get(from) ?? []).filter((node) => node !== to);
    const seen = new Set<number>();
    while (stack.length > 0) {
      const node = stack.pop() as number;
      if (node === to) return true;
      if (seen.has(node)) continue;
      seen.add(node);
      stack.push(...(next.get(node) ?? []));
    }
    return false;
  };
  return links
    .filter(([from, to]) => !longerPath(from, to))
    .map(([from, to]) => `${from}>${to}`)
    .sort();
}

describe("the dependency graph", () => {
  it("draws exactly the links no longer path implies, for any plan without a cycle", () => {
    const dag = fc.integer({ min: 2, max: 12 }).chain((count) =>
      fc.tuple(
        fc.constant(count),
        fc.array(fc.array(fc.boolean(), { minLength: count, maxLength: count }), {
          minLength: count,
          maxLength: count,
        }),
      ),
    );
    fc.assert(
      fc.property(dag, ([count, matrix]) => {
        // Step i may depend only on earlier steps: no cycle.
        const blockers = (index: number) =>
          Array.from({ length: index }, (_, earlier) => earlier).filter(
            (earlier) => matrix[index]?.[earlier],
          );
        const links = Array.from({ length: count }, (_, index) =>
          blockers(index).map((from) => [from, index] as const),
        ).flat();
        const graph = graphOf(planOf(count, blockers));
        if (links.length === 0) expect(graph).toBeNull();
        else expect(drawn(graph)).toEqual(reductionByDefinition(links));
      }),
      { numRuns: 200 },
    );
  });

  it("a full mesh of 300 steps is drawn as the chain it implies", () => {
    const graph = graphOf(planOf(300, (index) => Array.from({ length: index }, (_, earlier) => earlier)));
    const chain = Array.from({ length: 299 }, (_, index) => `${index}>${index + 1}`).sort();
    expect(drawn(graph)).toEqual(chain);
    expect(graph).toContain(`${44_850 - 299} links implied by others not drawn`);
  });

  it("more steps blocked than a drawing can hold: a note, without reducing", () => {
    const graph = graphOf(planOf(302, (index) => (index === 0 ? [] : [0])));
    expect(graph).toBe("_301 dependencies: too many to draw; see each step's issue._");
  });

  it("a cycle (a plan refused with dependency-cycle, only previewed) is drawn whole", () => {
    const graph = graphOf(planOf(3, (index) => [(index + 2) % 3, ...(index === 2 ? [0] : [])]));
    expect(drawn(graph)).toEqual(["0>1", "0>2", "1>2", "2>0"]);
  });
});
