// The delivery ledger shared by every instance through Redis: one delivery arriving at two instances at once is
// claimed by one (SET NX); the other answers 2xx and does nothing (SPEC.md §6). A claim is `running` with a short
// expiry, so a claim whose instance died lets a redelivery through; `done` is kept as long as GitHub offers
// redelivery; a failure deletes the claim.
import type { Redis } from "ioredis";
import { DELIVERY_DONE_TTL_MS, DELIVERY_RUNNING_TTL_MS, type DeliveryLedger } from "../deliveries.js";

export interface RedisDeliveryLedgerOptions {
  /** `plan-sync:<appId>:`: deployments of other apps can share the Redis. */
  prefix: string;
  doneTtlMs?: number;
  runningTtlMs?: number;
}

export class RedisDeliveryLedger implements DeliveryLedger {
  private readonly doneTtlMs: number;
  private readonly runningTtlMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisDeliveryLedgerOptions,
  ) {
    this.doneTtlMs = options.doneTtlMs ?? DELIVERY_DONE_TTL_MS;
    this.runningTtlMs = options.runningTtlMs ?? DELIVERY_RUNNING_TTL_MS;
  }

  async claim(id: string): Promise<boolean> {
    return (await this.redis.set(this.key(id), "running", "PX", this.runningTtlMs, "NX")) === "OK";
  }

  async succeeded(id: string): Promise<void> {
    await this.redis.set(this.key(id), "done", "PX", this.doneTtlMs);
  }

  async failed(id: string): Promise<void> {
    await this.redis.del(this.key(id));
  }

  key(id: string): string {
    return `${this.options.prefix}delivery:${id}`;
  }
}
