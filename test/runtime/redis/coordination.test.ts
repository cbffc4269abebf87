// The push runs' ledger, the back-off and the BullMQ wiring against a real redis-server (skipped, saying so, without the binary).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { InProcessBackoff, RedisBackoff } from "../../../src/runtime/redis/backoff.js";
import type { RunRecord } from "../../../src/app/run-ledger.js";
import type { PlanRunResult } from "../../../src/app/workflows/sync-check-run.js";
import { coordinationFromEnv } from "../../../src/runtime/redis/coordination.js";
import { InProcessWorkQueue } from "../../../src/runtime/in-process-queue.js";
import { RedisRunLedger } from "../../../src/runtime/redis/run-ledger.js";
import { redisServerBinary, startRedis, type RunningRedis } from "../../support/redis.js";

const binary = redisServerBinary();
if (!binary) console.warn("SKIPPED: Redis tests: no redis-server binary (apt-get install redis-server)");

const DAY_MS = 24 * 3_600_000;
const PREFIX = "plan-sync:4242:";

describe.skipIf(!binary)("against redis-server", () => {
  let server: RunningRedis;
  let redis: Redis;

  beforeAll(async () => {
    server = await startRedis(binary as string);
    redis = new Redis(server.url);
  }, 30_000);
  afterEach(async () => {
    await redis.flushall();
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  describe("RedisRunLedger", () => {
    const record = (plans: number): RunRecord => ({
      checkRunId: 5,
      checkSha: "a".repeat(40),
      installationId: 1,
      deliveryId: "d-1",
      repo: { owner: "acme", repo: "gateway", branch: "main", host: "github.com" },
      plans,
      notSynced: [],
      staleRunsAt: [],
      namesPullRequest: false,
      defaultBranch: true,
    });
    const result = (path: string, status: PlanRunResult["status"]) => ({ path, status }) as PlanRunResult;

    it("keeps a run's results until the last plan's final one; that report alone gets them all", async () => {
      const ledger = new RedisRunLedger(redis, PREFIX);
      await ledger.open(record(2));
      expect(await redis.pttl("plan-sync:4242:run:5")).toBeGreaterThan(6 * DAY_MS);
      expect(await ledger.report(5, 1, result("b.md", "paused"), false)).toBeNull();
      expect((await ledger.results(5))?.[1]?.status).toBe("paused");
      expect(await ledger.report(5, 1, result("b.md", "synced"), true)).toBeNull();
      expect(await ledger.has(5)).toBe(true);
      const reports = await Promise.all([
        ledger.report(5, 0, result("a.md", "synced"), true),
        ledger.report(5, 0, result("a.md", "synced"), true),
      ]);
      const complete = reports.filter(Boolean);
      expect(complete).toHaveLength(1);
      expect(complete[0]?.results.map((one) => one.path)).toEqual(["a.md", "b.md"]);
      expect(complete[0]?.record.deliveryId).toBe("d-1");
      expect([await ledger.has(5), await ledger.report(5, 0, result("a.md", "synced"), true)]).toEqual([
        false,
        null,
      ]);
    });
  });

  it("RedisBackoff: a back-off per account under the App's prefix, expiring; a shorter one never cuts it", async () => {
    const backoff = new RedisBackoff(redis, PREFIX);
    expect(await backoff.remaining("acme")).toBe(0);
    await backoff.hold("acme", 60_000);
    await backoff.hold("acme", 1_000);
    const left = await backoff.remaining("acme");
    expect(left).toBeGreaterThan(55_000);
    expect(left).toBeLessThanOrEqual(60_000);
    expect(await redis.pttl("plan-sync:4242:backoff:acme")).toBeLessThanOrEqual(60_000);
    expect(await backoff.remaining("other")).toBe(0);
  });

  it("from the environment: REDIS_URL with APP_ID: BullMQ under the App's prefix, closed by the server", async () => {
    const before = process.listenerCount("SIGTERM") + process.listenerCount("SIGINT");
    const coordination = await coordinationFromEnv({ REDIS_URL: server.url, APP_ID: "31" }, silent);
    try {
      // Stopping is the server's whole sequence (src/runtime/shutdown.ts, tested in test/runtime/shutdown.test.ts).
      expect(process.listenerCount("SIGTERM") + process.listenerCount("SIGINT")).toBe(before);
      expect(coordination.durable).toBe(true);
      await coordination.queue.add({
        kind: "delivery",
        deliveryId: "e",
        name: "push",
        installationId: 1,
        payload: {},
      });
      expect(await redis.exists("plan-sync:31:jobs:delivery-e")).toBe(1);
      expect(await coordination.queue.counts()).toEqual({
        waiting: 1,
        active: 0,
        delayed: 0,
        failed: 0,
        oldestWaitingMs: expect.any(Number),
      });
    } finally {
      await coordination.close();
    }
  });
});

describe("InProcessBackoff", () => {
  it("holds an account until the longest back-off asked has passed", async () => {
    let now = 1_000;
    const backoff = new InProcessBackoff(() => now);
    await backoff.hold("acme", 2_000);
    await backoff.hold("acme", 500);
    expect([await backoff.remaining("acme"), await backoff.remaining("other")]).toEqual([2_000, 0]);
    now = 2_500;
    expect(await backoff.remaining("acme")).toBe(500);
    now = 3_000;
    expect(await backoff.remaining("acme")).toBe(0);
  });
});

const silent = { info: () => {}, warn: () => {}, error: () => {} };

describe("coordinationFromEnv without Redis", () => {
  it.each([
    [{}, 4, []],
    [{ PLAN_SYNC_CONCURRENCY: "2" }, 2, []],
    [
      { PLAN_SYNC_CONCURRENCY: "0" },
      4,
      ["plan-sync: PLAN_SYNC_CONCURRENCY must be a whole number from 1 up: using 4"],
    ],
    [
      { PLAN_SYNC_CONCURRENCY: "two" },
      4,
      ["plan-sync: PLAN_SYNC_CONCURRENCY must be a whole number from 1 up: using 4"],
    ],
  ])("%j: in process, %d plans at once, warnings %j", async (env, concurrency, warnings) => {
    const warned: string[] = [];
    const coordination = await coordinationFromEnv(env, {
      ...silent,
      warn: (_fields, message) => warned.push(message),
    });
    expect(coordination.queue).toBeInstanceOf(InProcessWorkQueue);
    expect([(coordination.queue as unknown as InProcessWorkQueue).concurrency, warned]).toEqual([
      concurrency,
      warnings,
    ]);
  });

  it("REDIS_URL without APP_ID is refused: the keys are named by the App id", async () => {
    await expect(coordinationFromEnv({ REDIS_URL: "redis://127.0.0.1:9" }, silent)).rejects.toThrow(
      "REDIS_URL is set but APP_ID is not: plan-sync's Redis keys are named by the App id",
    );
  });
});
