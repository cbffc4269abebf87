// What several instances share: delivery claims, per-plan locks and rate-limit back-offs live in Redis when
// REDIS_URL is set (keys `plan-sync:<appId>:…`, so deployments of different apps can share one Redis); otherwise
// in this process, as for a single instance. The per-plan queue (coalescing, the concurrency bound) is always in
// process: each instance coalesces what it received, and the lock serializes the instances.
import type { Redis } from "ioredis";
import { InProcessDeliveryLedger, type DeliveryLedger } from "../deliveries.js";
import { InProcessBackoff, RedisBackoff, type RateLimitBackoff } from "./backoff.js";
import { DEFAULT_CONCURRENCY, PlanQueue } from "../plan-queue.js";
import { RedisDeliveryLedger } from "./deliveries.js";
import { RedisPlanLock, type RedisPlanLockOptions } from "./plan-lock.js";

export interface Coordination {
  deliveries: DeliveryLedger;
  planQueue: PlanQueue;
  backoff: RateLimitBackoff;
  /** Closes the Redis connection (nothing to do in process). */
  close(): Promise<void>;
}

interface CoordinationLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface RedisCoordinationOptions {
  url: string;
  appId: string | number;
  concurrency?: number;
  /** Lock timings (tests shorten them). */
  lock?: Omit<RedisPlanLockOptions, "prefix">;
  log?: CoordinationLog;
}

export async function redisCoordination(
  options: RedisCoordinationOptions,
): Promise<Coordination & { redis: Redis; prefix: string }> {
  const prefix = `plan-sync:${options.appId}:`;
  const log = options.log;
  // Loaded only when used: Action mode (createApp without a server) never evaluates the Redis client.
  const { Redis } = await import("ioredis");
  const redis = new Redis(options.url, { connectionName: "plan-sync" });
  redis.on("error", (error: Error) =>
    log?.warn({ error: error.message }, "plan-sync: Redis connection error"),
  );
  const lock = new RedisPlanLock(redis, {
    onWait: (plan) => log?.info({ plan }, "plan-sync: plan being synced by another instance, waiting"),
    onTrouble: (plan, problem) => log?.warn({ plan, problem }, "plan-sync: plan lock trouble"),
    ...options.lock,
    prefix,
  });
  return {
    redis,
    prefix,
    deliveries: new RedisDeliveryLedger(redis, { prefix }),
    backoff: new RedisBackoff(redis, prefix),
    planQueue: new PlanQueue({ lock, ...(options.concurrency ? { concurrency: options.concurrency } : {}) }),
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/**
 * From the server's environment: REDIS_URL (with APP_ID for the key prefix) and PLAN_SYNC_CONCURRENCY. The server
 * closes the Redis connection when it stops (src/runtime/shutdown.ts).
 */
export async function coordinationFromEnv(
  env: NodeJS.ProcessEnv,
  log: CoordinationLog,
): Promise<Coordination> {
  const concurrency = concurrencyOf(env["PLAN_SYNC_CONCURRENCY"], log);
  const url = env["REDIS_URL"];
  if (!url)
    return {
      deliveries: new InProcessDeliveryLedger(),
      planQueue: new PlanQueue({ concurrency }),
      backoff: new InProcessBackoff(),
      close: async () => {},
    };
  const appId = env["APP_ID"];
  if (!appId)
    throw new Error("REDIS_URL is set but APP_ID is not: plan-sync's Redis keys are named by the App id");
  return redisCoordination({ url, appId, concurrency, log });
}

function concurrencyOf(value: string | undefined, log: CoordinationLog): number {
  if (value === undefined || value.trim() === "") return DEFAULT_CONCURRENCY;
  const parsed = Number(value);
  if (Number.isInteger(parsed) && parsed >= 1) return parsed;
  log.warn(
    { PLAN_SYNC_CONCURRENCY: value },
    `plan-sync: PLAN_SYNC_CONCURRENCY must be a whole number from 1 up: using ${DEFAULT_CONCURRENCY}`,
  );
  return DEFAULT_CONCURRENCY;
}
