// The in-process work queue (the default without REDIS_URL): one batch per key at a time, the jobs that wait
// handed over together, at most `concurrency` keys at once, a paused batch resumed with what came meanwhile,
// a delivery handled once.
import { describe, expect, it } from "vitest";
import type { DeliveryJob, KeyedJob, WriteBackJob } from "../../src/app/jobs.js";
import type { BatchOutcome, JobRunner } from "../../src/app/work-queue.js";
import { InProcessWorkQueue } from "../../src/runtime/in-process-queue.js";

const repo = { owner: "acme", repo: "gateway", branch: "main", host: "github.com" };
const job = (path: string, deliveryId: string): WriteBackJob => ({
  kind: "write-back",
  installationId: 1,
  deliveryId,
  repo,
  path,
  botLogins: [],
  items: [],
  config: { max_items: 500, draft: "preview" },
});
const delivery = (deliveryId: string): DeliveryJob => ({
  kind: "delivery",
  deliveryId,
  name: "push",
  installationId: 1,
  payload: {},
});

/** A runner whose batches wait until released, recording what each got. */
function heldRunner() {
  const batches: string[][] = [];
  const releases: (() => void)[] = [];
  let outcome: (jobs: KeyedJob[], pauses: number) => BatchOutcome = () => ({});
  const runner: JobRunner = {
    runDelivery: async () => {},
    runBatch: async (jobs, pauses) => {
      batches.push(jobs.map((one) => one.deliveryId));
      await new Promise<void>((resolve) => releases.push(resolve));
      return outcome(jobs, pauses);
    },
  };
  const tick = () => new Promise((resolve) => setImmediate(resolve));
  return {
    runner,
    batches,
    releaseAll: () => releases.splice(0).forEach((release) => release()),
    setOutcome: (next: typeof outcome) => (outcome = next),
    tick,
  };
}

describe("InProcessWorkQueue", () => {
  it("runs one batch per key at a time; the jobs that waited meanwhile are handed over together", async () => {
    const held = heldRunner();
    const queue = new InProcessWorkQueue();
    queue.start(held.runner);
    await queue.add(job("a.md", "1"));
    await held.tick();
    await queue.add(job("a.md", "2"));
    await queue.add(job("a.md", "3"));
    expect([held.batches, queue.waiting("acme/gateway:a.md#writeback")]).toEqual([[["1"]], 2]);
    held.releaseAll();
    await held.tick();
    expect(held.batches).toEqual([["1"], ["2", "3"]]);
    held.releaseAll();
    await queue.idle();
    expect(queue.size).toBe(0);
  });

  it.each([1, 2])(
    "runs at most %i keys at once, the others waiting for a slot in order",
    async (concurrency) => {
      const held = heldRunner();
      const queue = new InProcessWorkQueue({ concurrency });
      queue.start(held.runner);
      for (const path of ["a.md", "b.md", "c.md"]) await queue.add(job(path, path));
      await held.tick();
      expect(held.batches).toEqual(["a.md", "b.md"].slice(0, concurrency).map((path) => [path]));
      while (held.batches.length < 3) {
        held.releaseAll();
        await held.tick();
      }
      held.releaseAll();
      await queue.idle();
      expect(held.batches.flat()).toEqual(["a.md", "b.md", "c.md"]);
    },
  );

  it("a paused batch gives its slot back and runs again at its time: its unfinished jobs, then what came", async () => {
    const held = heldRunner();
    const queue = new InProcessWorkQueue({ concurrency: 1 });
    queue.start(held.runner);
    held.setOutcome((jobs, pauses) =>
      pauses === 0 && jobs[0]?.deliveryId === "1"
        ? { resumeAt: Date.now() + 30, rest: jobs.slice(0, 1) }
        : {},
    );
    await queue.add(job("a.md", "1"));
    await held.tick();
    held.releaseAll();
    await held.tick();
    await queue.add(job("a.md", "2"));
    await queue.add(job("b.md", "other"));
    await held.tick();
    expect(held.batches).toEqual([["1"], ["other"]]); // the paused key's slot went to the other key
    while (held.batches.length < 3) {
      held.releaseAll();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    held.releaseAll();
    await queue.idle();
    expect(held.batches).toEqual([["1"], ["other"], ["1", "2"]]);
  });

  it("a delivery is handled once; forgotten (its work failed), its redelivery runs again", async () => {
    const ran: string[] = [];
    const skipped: string[] = [];
    const queue = new InProcessWorkQueue({ skipped: (one) => skipped.push(one.deliveryId) });
    queue.start({ runDelivery: async (one) => void ran.push(one.deliveryId), runBatch: async () => ({}) });
    await queue.add(delivery("d"));
    await queue.idle();
    await queue.add(delivery("d"));
    await queue.idle();
    await queue.forgetDelivery("d");
    await queue.add(delivery("d"));
    await queue.idle();
    expect({ ran, skipped }).toEqual({ ran: ["d", "d"], skipped: ["d"] });
  });

  it("counts the jobs that failed, for /metrics: a delivery's and a batch's", async () => {
    const failed: string[] = [];
    const queue = new InProcessWorkQueue({ failed: (one) => failed.push(one.deliveryId) });
    const boom = async (): Promise<never> => {
      throw new Error("boom");
    };
    queue.start({ runDelivery: boom, runBatch: boom });
    expect((await queue.counts()).failed).toBe(0);
    await queue.add(delivery("d-1"));
    await queue.add(job("plans/a.md", "d-2"));
    await queue.idle();
    expect([failed.sort(), (await queue.counts()).failed]).toEqual([["d-1", "d-2"], 2]);
  });

  it("inline: the job runs before `add` returns and its error reaches the caller (Action mode)", async () => {
    const queue = new InProcessWorkQueue({ inline: true });
    queue.start({
      runDelivery: async () => {
        throw new Error("boom");
      },
      runBatch: async () => ({}),
    });
    await expect(queue.add(delivery("x"))).rejects.toThrow("boom");
    expect(() => new InProcessWorkQueue({ concurrency: 0 })).toThrow(
      "InProcessWorkQueue: concurrency must be a whole number from 1 up, not 0",
    );
  });
});
