// What a batch leaves in Redis when it ends: nothing when it ran, its taken jobs for as long as the failed record
// is kept when it failed for good (against a real redis-server; skipped, saying so, without the binary).
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { KeyedJob } from "../../../src/app/jobs.js";
import type { JobRunner } from "../../../src/app/work-queue.js";
import { BullWorkQueue } from "../../../src/runtime/redis/bull-queue.js";
import { redisServerBinary, startRedis, type RunningRedis } from "../../support/redis.js";
import { until } from "../../support/e2e.js";

const binary = redisServerBinary();
if (!binary) console.warn("SKIPPED: Redis tests: no redis-server binary (apt-get install redis-server)");

const PREFIX = "plan-sync:4242";
const DAY_S = 24 * 3_600;

const writeBack = (deliveryId: string): KeyedJob => ({
  kind: "write-back",
  installationId: 1,
  deliveryId,
  repo: { owner: "acme", repo: "gateway", branch: "main", host: "github.com" },
  path: "plans/a.md",
  botLogins: ["plan-sync[bot]"],
  items: [],
  config: { max_items: 500, draft: "sync" },
});

const runner = (runBatch: JobRunner["runBatch"]): JobRunner => ({
  runDelivery: async () => undefined,
  runBatch,
});

describe.skipIf(!binary)("BullWorkQueue's taken jobs", () => {
  let server: RunningRedis;
  let redis: Redis;
  let queue: BullWorkQueue | undefined;

  beforeAll(async () => {
    server = await startRedis(binary as string);
    redis = new Redis(server.url, { maxRetriesPerRequest: null });
  }, 30_000);
  afterEach(async () => {
    await queue?.close();
    queue = undefined;
    await redis.flushall();
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  const takenKeys = () => redis.keys(`${PREFIX}:taken:*`);

  it("are removed when the batch has run", async () => {
    const ran: string[] = [];
    queue = new BullWorkQueue({ connection: redis, prefix: PREFIX, attempts: 1 });
    queue.start(runner(async (jobs) => (ran.push(...jobs.map((job) => job.deliveryId)), {})));
    await queue.add(writeBack("d-1"));
    await queue.idle();
    expect([ran, await takenKeys()]).toEqual([["d-1"], []]);
  });

  it("of a batch that failed for good expire with its failed record (7 days), not never", async () => {
    const errors: string[] = [];
    const log = { error: (_fields: object, message: string) => void errors.push(message), warn: () => {} };
    queue = new BullWorkQueue({ connection: redis, prefix: PREFIX, attempts: 1, log });
    queue.start(
      runner(async () => {
        throw new Error("GitHub answered 502");
      }),
    );
    await queue.add(writeBack("d-2"));
    const [key] = await until(
      async () => {
        const keys = await takenKeys();
        return keys.length > 0 && (await redis.ttl(keys[0] as string)) > 0 && keys;
      },
      { what: "the failed batch's taken jobs to get an expiry" },
    );
    expect(errors).toEqual(["plan-sync: job failed"]);
    const ttl = await redis.ttl(key as string);
    expect(ttl).toBeGreaterThan(7 * DAY_S - 60);
    expect(ttl).toBeLessThanOrEqual(7 * DAY_S);
    const kept = (await redis.lrange(key as string, 0, -1)).map(
      (text) => (JSON.parse(text) as KeyedJob).deliveryId,
    );
    expect(kept).toEqual(["d-2"]);
    expect((await queue.counts()).failed).toBe(1);
  });
});
