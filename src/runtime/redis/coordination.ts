// What the instances share. With REDIS_URL: the jobs in BullMQ (one queue, keys `plan-sync:<appId>:…`, so
// deployments of different apps can share one Redis), the push runs' ledger beside them, and the rate-limit
// back-offs. Without it, all of that is in this process, as for a single instance.
import type { Redis } from "ioredis";
import type { RunLedger } from "../../app/run-ledger.js";
import type { QueueAdapter } from "../create-app.js";
import type { QueueCounts } from "../metrics.js";
import { wholeNumberSetting } from "../env-settings.js";
import { DEFAULT_CONCURRENCY, InProcessWorkQueue } from "../in-process-queue.js";
import { InProcessRunLedger } from "../run-ledger.js";
import { InProcessBackoff, RedisBackoff, type RateLimitBackoff } from "./backoff.js";
import { BullWorkQueue, type BullWorkQueueOptions } from "./bull-queue.js";
import { RedisRunLedger } from "./run-ledger.js";

export interface Coordination {
  queue: QueueAdapter & { drain(): Promise<void>; counts(): Promise<QueueCounts> };
  runs: RunLedger;
  backoff: RateLimitBackoff;
  /** Jobs live in Redis: a stopping instance leaves them queued (no run is concluded as interrupted). */
  durable: boolean;
  /** Closes the Redis connections (nothing to do in process). */
  close(): Promise<void>;
}

interface CoordinationLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface RedisCoordinationOptions extends Omit<BullWorkQueueOptions, "connection" | "prefix"> {
  url: string;
  appId: string | number;
}

export async function redisCoordination(
  options: RedisCoordinationOptions,
): Promise<Coordination & { redis: Redis; prefix: string }> {
  const prefix = `plan-sync:${options.appId}`;
  // Loaded only when used: Action mode (createApp without a server) never evaluates the Redis client.
  const { Redis } = await import("ioredis");
  // BullMQ's workers block on the connection: it asks for no retry limit per request.
  const redis = new Redis(options.url, { connectionName: "plan-sync", maxRetriesPerRequest: null });
  redis.on("error", (error: Error) =>
    options.log?.warn({ error: error.message }, "plan-sync: Redis connection error"),
  );
  const queue = new BullWorkQueue({ ...options, connection: redis, prefix });
  return {
    redis,
    prefix,
    queue,
    runs: new RedisRunLedger(redis, `${prefix}:`),
    backoff: new RedisBackoff(redis, `${prefix}:`),
    durable: true,
    async close() {
      await queue.close();
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
  inProcess: ConstructorParameters<typeof InProcessWorkQueue>[0] = {},
  failed?: BullWorkQueueOptions["failed"],
): Promise<Coordination> {
  const concurrency = wholeNumberSetting(env, "PLAN_SYNC_CONCURRENCY", DEFAULT_CONCURRENCY, log);
  const url = env["REDIS_URL"];
  if (!url) {
    const queue = new InProcessWorkQueue({ ...inProcess, concurrency });
    return {
      queue: Object.assign(queue, { drain: () => queue.idle() }),
      runs: new InProcessRunLedger(),
      backoff: new InProcessBackoff(),
      durable: false,
      close: () => queue.close(),
    };
  }
  const appId = env["APP_ID"];
  if (!appId)
    throw new Error("REDIS_URL is set but APP_ID is not: plan-sync's Redis keys are named by the App id");
  return redisCoordination({
    url,
    appId,
    concurrency,
    log,
    ...(failed ? { failed } : {}),
    ...timingsOf(env),
  });
}

/** Stalled-job timings, for tests that kill an instance (production keeps BullMQ's defaults). */
function timingsOf(env: NodeJS.ProcessEnv): Partial<BullWorkQueueOptions> {
  const lockMs = Number(env["PLAN_SYNC_JOB_LOCK_MS"]);
  return Number.isInteger(lockMs) && lockMs > 0 ? { lockDurationMs: lockMs } : {};
}
