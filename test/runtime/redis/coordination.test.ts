// The delivery ledger and the per-plan lock against a real redis-server (skipped, saying so, without the binary).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { InProcessBackoff, RedisBackoff } from "../../../src/runtime/redis/backoff.js";
import { coordinationFromEnv, redisCoordination } from "../../../src/runtime/redis/coordination.js";
import { InProcessDeliveryLedger } from "../../../src/runtime/deliveries.js";
import { RedisDeliveryLedger } from "../../../src/runtime/redis/deliveries.js";
import { RedisPlanLock } from "../../../src/runtime/redis/plan-lock.js";
import { until } from "../../support/e2e.js";
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

  describe("RedisDeliveryLedger", () => {
    it("claims once, keeps a handled delivery 3 days, a running claim 10 minutes, forgets a failed one", async () => {
      const ledger = new RedisDeliveryLedger(redis, { prefix: PREFIX });
      const key = "plan-sync:4242:delivery:d-1";
      expect([await ledger.claim("d-1"), await ledger.claim("d-1")]).toEqual([true, false]);
      expect(await redis.get(key)).toBe("running");
      expect(await redis.pttl(key)).toBeGreaterThan(10 * 60_000 - 5_000);
      expect(await redis.pttl(key)).toBeLessThanOrEqual(10 * 60_000);
      await ledger.succeeded("d-1");
      expect([await redis.get(key), await ledger.claim("d-1")]).toEqual(["done", false]);
      expect(await redis.pttl(key)).toBeGreaterThan(3 * DAY_MS - 5_000);
      expect(await redis.pttl(key)).toBeLessThanOrEqual(3 * DAY_MS);
      await ledger.failed("d-1");
      expect([await redis.exists(key), await ledger.claim("d-1")]).toEqual([0, true]);
    });

    it("a running claim whose holder died expires: the delivery is claimed again", async () => {
      const ledger = new RedisDeliveryLedger(redis, { prefix: PREFIX, runningTtlMs: 50 });
      expect(await ledger.claim("d-2")).toBe(true);
      await until(async () => (await redis.exists("plan-sync:4242:delivery:d-2")) === 0, {
        what: "the claim to expire",
      });
      expect(await ledger.claim("d-2")).toBe(true);
    });
  });

  describe("RedisPlanLock", () => {
    const PLAN = "acme/gateway:plans/p.md";
    const KEY = `${PREFIX}lock:${PLAN}`;

    it("holds the plan while the work runs, renewing its expiry, and deletes its key after", async () => {
      const lock = new RedisPlanLock(redis, { prefix: PREFIX, ttlMs: 3_000, renewEveryMs: 100 });
      const seen = await lock.hold(PLAN, async () => {
        const token = await redis.get(KEY);
        // The expiry goes back up: the holder renewed it (without renewal it only goes down).
        let lowest = Infinity;
        await until(
          async () => {
            const ttl = await redis.pttl(KEY);
            lowest = Math.min(lowest, ttl);
            return ttl > lowest + 30;
          },
          { what: "a renewal" },
        );
        return { token, stillMine: (await redis.get(KEY)) === token };
      });
      expect(seen.token).toMatch(/^[0-9a-f-]{36}$/);
      expect(seen.stillMine).toBe(true);
      expect(await redis.exists(KEY)).toBe(0);
    });

    it("a second holder of the plan waits until the first is done; other plans do not", async () => {
      const waits: string[] = [];
      const lock = new RedisPlanLock(redis, { prefix: PREFIX, onWait: (plan) => waits.push(plan) });
      const events: string[] = [];
      let release = () => {};
      const first = lock.hold(PLAN, async () => {
        events.push("first in");
        await new Promise<void>((resolve) => (release = resolve));
        events.push("first out");
      });
      await until(() => events.includes("first in"), { what: "the first holder" });
      const second = lock.hold(PLAN, async () => events.push("second in"));
      await lock.hold("acme/other:plans/q.md", async () => events.push("other plan in"));
      await until(() => waits.length === 1, { what: "the second holder to wait" });
      release();
      await Promise.all([first, second]);
      expect(events).toEqual(["first in", "other plan in", "first out", "second in"]);
      expect(waits).toEqual([PLAN]);
    });

    it("a lock left by a dead holder expires, then the plan is taken; the dead holder's token is never deleted by another", async () => {
      await redis.set(KEY, "dead-holder", "PX", 300);
      const waits: string[] = [];
      const lock = new RedisPlanLock(redis, { prefix: PREFIX, onWait: (plan) => waits.push(plan) });
      expect(await lock.hold(PLAN, async () => redis.get(KEY))).not.toBe("dead-holder");
      expect(waits).toEqual([PLAN]);
      // A holder whose lock expired and was taken over releases nothing of the new holder's.
      const lost: string[] = [];
      const overtaken = new RedisPlanLock(redis, {
        prefix: PREFIX,
        ttlMs: 60_000,
        renewEveryMs: 10,
        onTrouble: (_plan, problem) => lost.push(problem),
      });
      await overtaken.hold(PLAN, async () => {
        await redis.set(KEY, "next-holder");
        await until(() => lost.length > 0, { what: "the renewal to notice" });
      });
      expect([await redis.get(KEY), lost[0]]).toEqual(["next-holder", "lock expired while held"]);
    });

    it("gives up after maxWaitMs with an error naming the plan", async () => {
      await redis.set(KEY, "someone-else", "PX", 60_000);
      const lock = new RedisPlanLock(redis, { prefix: PREFIX, maxWaitMs: 30, firstPollMs: 5 });
      await expect(lock.hold(PLAN, async () => "ran")).rejects.toThrow(
        "plan acme/gateway:plans/p.md was held by another instance for over 1 s: not synced",
      );
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

  it("from the environment: REDIS_URL with APP_ID shares through Redis (the server closes it on SIGTERM)", async () => {
    const before = process.listenerCount("SIGTERM") + process.listenerCount("SIGINT");
    const coordination = await coordinationFromEnv({ REDIS_URL: server.url, APP_ID: "31" }, silent);
    try {
      // Stopping is the server's whole sequence (src/runtime/shutdown.ts, tested in test/runtime/shutdown.test.ts).
      expect(process.listenerCount("SIGTERM") + process.listenerCount("SIGINT")).toBe(before);
      expect(await coordination.deliveries.claim("e")).toBe(true);
      expect(await redis.get("plan-sync:31:delivery:e")).toBe("running");
    } finally {
      await coordination.close();
    }
  });

  it("redisCoordination names its keys by the App id and closes its connection", async () => {
    const coordination = await redisCoordination({ url: server.url, appId: 777 });
    expect(await coordination.deliveries.claim("x")).toBe(true);
    await coordination.planQueue.run("o/r:p.md", null, async () => {
      expect(await redis.keys("*")).toEqual(expect.arrayContaining(["plan-sync:777:lock:o/r:p.md"]));
    });
    expect((await redis.keys("*")).sort()).toEqual(["plan-sync:777:delivery:x"]);
    await coordination.close();
    await until(() => coordination.redis.status === "end", { what: "the connection to close" });
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

const silent = { info: () => {}, warn: () => {} };

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
      info: () => {},
      warn: (_fields, message) => warned.push(message),
    });
    expect(coordination.deliveries).toBeInstanceOf(InProcessDeliveryLedger);
    expect([coordination.planQueue.concurrency, warned]).toEqual([concurrency, warnings]);
  });

  it("REDIS_URL without APP_ID is refused: the keys are named by the App id", async () => {
    await expect(coordinationFromEnv({ REDIS_URL: "redis://127.0.0.1:9" }, silent)).rejects.toThrow(
      "REDIS_URL is set but APP_ID is not: plan-sync's Redis keys are named by the App id",
    );
  });
});
