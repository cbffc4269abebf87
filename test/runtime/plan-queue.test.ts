import { describe, expect, it } from "vitest";
import { mergeTargets } from "../../src/app/work-queue.js";
import { PlanQueue, type PlanLock } from "../../src/runtime/plan-queue.js";
import type { PlanTarget } from "../../src/app/workflows/sync-one-plan.js";

function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** Lets every pending promise callback run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

const target = (previousPath: string | null = null): PlanTarget => ({ path: "plans/p.md", previousPath });

describe("PlanQueue: one plan", () => {
  it("3 arrivals while a run is in progress coalesce into one more run: the newest work, a rename kept", async () => {
    const queue = new PlanQueue();
    const runs: string[] = [];
    const first = gate();
    const work = (name: string) => async (request: PlanTarget) => {
      runs.push(`${name} ${request.path} from ${request.previousPath}`);
      if (name === "first") await first.opened;
      return `${name} result`;
    };
    const results = [queue.run("k", target(), work("first"), mergeTargets)];
    results.push(queue.run("k", target("plans/old.md"), work("second"), mergeTargets));
    results.push(queue.run("k", target(), work("third"), mergeTargets));
    results.push(queue.run("k", target(), work("fourth"), mergeTargets));
    expect(queue.waiting("k")).toBe(3);
    first.open();
    expect(await Promise.all(results)).toEqual([
      "first result",
      "fourth result",
      "fourth result",
      "fourth result",
    ]);
    expect(runs).toEqual(["first plans/p.md from null", "fourth plans/p.md from plans/old.md"]);
    expect(queue.size).toBe(0);
  });

  it("arrivals coalesce into a run still waiting for a slot or for the lock (it has read nothing yet)", async () => {
    const lockOpen = gate();
    const holds: string[] = [];
    const lock: PlanLock = {
      async hold(key, work) {
        holds.push(key);
        await lockOpen.opened;
        return work();
      },
    };
    const queue = new PlanQueue({ lock, concurrency: 1 });
    const runs: string[] = [];
    const work = (name: string) => async () => {
      runs.push(name);
      return name;
    };
    const results = [queue.run("a", 1, work("a1")), queue.run("b", 1, work("b1"))];
    results.push(queue.run("a", 2, work("a2")), queue.run("b", 2, work("b2")));
    expect([queue.waiting("a"), queue.waiting("b"), holds]).toEqual([2, 2, ["a"]]);
    lockOpen.open();
    expect(await Promise.all(results)).toEqual(["a2", "b2", "a2", "b2"]);
    expect([runs, holds]).toEqual([
      ["a2", "b2"],
      ["a", "b"],
    ]);
  });

  it("a run that throws rejects its callers and releases the plan: the next run goes ahead", async () => {
    const queue = new PlanQueue();
    const first = gate();
    const failing = queue.run("k", 1, async () => {
      await first.opened;
      throw new Error("write failed");
    });
    const coalescedFailing = [
      queue.run("k", 2, async () => "not run"),
      queue.run("k", 3, async () => {
        throw new Error("second failed");
      }),
    ];
    first.open();
    const settled = await Promise.allSettled([failing, ...coalescedFailing]);
    expect(settled.map((result) => (result.status === "rejected" ? String(result.reason) : "ok"))).toEqual([
      "Error: write failed",
      "Error: second failed",
      "Error: second failed",
    ]);
    expect(await queue.run("k", 4, async (request) => `ran ${request}`)).toBe("ran 4");
    expect(queue.size).toBe(0);
  });
});

describe("PlanQueue: several plans", () => {
  it.each([
    { concurrency: undefined, bound: 4 },
    { concurrency: 1, bound: 1 },
    { concurrency: 3, bound: 3 },
  ])(
    "N+1 plans with concurrency $concurrency: $bound at a time, the next starts when one ends",
    async ({ concurrency, bound }) => {
      const queue = new PlanQueue(concurrency === undefined ? {} : { concurrency });
      const gates = Array.from({ length: bound + 1 }, gate);
      const started: number[] = [];
      let running = 0;
      let most = 0;
      const results = gates.map((entry, index) =>
        queue.run(`plan-${index}`, index, async () => {
          started.push(index);
          most = Math.max(most, ++running);
          await entry.opened;
          running--;
          return index;
        }),
      );
      await settle();
      expect(started).toEqual(gates.slice(0, bound).map((_, index) => index));
      gates[0]?.open();
      await results[0];
      await settle();
      expect(started).toEqual(gates.map((_, index) => index));
      for (const entry of gates) entry.open();
      expect(await Promise.all(results)).toEqual(gates.map((_, index) => index));
      expect(most).toBe(bound);
    },
  );

  it("refuses a concurrency that is not a whole number from 1 up", () => {
    expect(() => new PlanQueue({ concurrency: 0 })).toThrow(
      "PlanQueue: concurrency must be a whole number from 1 up, not 0",
    );
  });
});
