// The per-plan lock across instances (SPEC.md §6): a Redis key set with NX and an expiry, holding a random token.
// The holder renews the expiry while its sync runs, and releases with a compare-and-delete, so a holder whose
// lock had expired never frees the next holder's. A holder that died releases by expiry. Waiters poll with a
// growing, jittered pause (the lock is held for a whole sync: seconds, not milliseconds).
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { PlanLock } from "../plan-queue.js";

// Only the token's owner may extend or delete the key (https://redis.io/docs/latest/develop/use/patterns/distributed-locks/).
const RENEW_IF_OWNER = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;
const DELETE_IF_OWNER = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

export interface RedisPlanLockOptions {
  /** `plan-sync:<appId>:`: deployments of other apps can share the Redis. */
  prefix: string;
  /** How long a lock outlives its holder's last renewal; default 30 s. */
  ttlMs?: number;
  /** How often the holder renews; default a third of `ttlMs`. */
  renewEveryMs?: number;
  /** First pause between tries to take a held lock, doubled up to `maxPollMs`; defaults 50 ms and 1 s. */
  firstPollMs?: number;
  maxPollMs?: number;
  /** A wait this long fails the sync (the delivery can be redelivered); default 15 min. */
  maxWaitMs?: number;
  /** The plan is held by another instance: this one waits. */
  onWait?: (key: string) => void;
  /** The lock was lost while held (this instance stalled past the expiry) or could not be renewed or released. */
  onTrouble?: (key: string, problem: string) => void;
}

export class RedisPlanLock implements PlanLock {
  private readonly ttlMs: number;
  private readonly renewEveryMs: number;
  private readonly firstPollMs: number;
  private readonly maxPollMs: number;
  private readonly maxWaitMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisPlanLockOptions,
  ) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.renewEveryMs = options.renewEveryMs ?? Math.floor(this.ttlMs / 3);
    this.firstPollMs = options.firstPollMs ?? 50;
    this.maxPollMs = options.maxPollMs ?? 1_000;
    this.maxWaitMs = options.maxWaitMs ?? 15 * 60_000;
  }

  key(plan: string): string {
    return `${this.options.prefix}lock:${plan}`;
  }

  async hold<T>(plan: string, work: () => Promise<T>): Promise<T> {
    const key = this.key(plan);
    const token = randomUUID();
    await this.acquire(plan, key, token);
    let held = true;
    const renewal = setInterval(() => {
      this.redis.eval(RENEW_IF_OWNER, 1, key, token, String(this.ttlMs)).then(
        (renewed) => {
          if (held && renewed !== 1) this.options.onTrouble?.(plan, "lock expired while held");
        },
        (error: unknown) => this.options.onTrouble?.(plan, `renewal failed: ${String(error)}`),
      );
    }, this.renewEveryMs);
    try {
      return await work();
    } finally {
      held = false;
      clearInterval(renewal);
      // A release that fails leaves the lock to expire: the next sync of this plan waits for that, no more.
      await this.redis
        .eval(DELETE_IF_OWNER, 1, key, token)
        .catch((error: unknown) => this.options.onTrouble?.(plan, `release failed: ${String(error)}`));
    }
  }

  private async acquire(plan: string, key: string, token: string): Promise<void> {
    const deadline = Date.now() + this.maxWaitMs;
    let pause = this.firstPollMs;
    for (let attempt = 0; ; attempt++) {
      if ((await this.redis.set(key, token, "PX", this.ttlMs, "NX")) === "OK") return;
      if (attempt === 0) this.options.onWait?.(plan);
      if (Date.now() > deadline)
        throw new Error(
          `plan ${plan} was held by another instance for over ${Math.ceil(this.maxWaitMs / 1000)} s: not synced`,
        );
      // Jitter: two waiters of one plan do not poll in step.
      await new Promise((resolve) => setTimeout(resolve, pause * (0.5 + Math.random() / 2)));
      pause = Math.min(pause * 2, this.maxPollMs);
    }
  }
}
