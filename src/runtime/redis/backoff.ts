// Where rate-limit back-offs are kept, by account: in Redis when REDIS_URL is set (every instance holds its writes
// for a limit another met), else in this process. The Octokit plugin that records and honours them is
// src/github/rate-limit-backoff.ts.
import type { Redis } from "ioredis";
import type { RateLimitBackoff } from "../../github/index.js";

export type { RateLimitBackoff } from "../../github/index.js";

export class InProcessBackoff implements RateLimitBackoff {
  private readonly until = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  async hold(account: string, ms: number): Promise<void> {
    const until = this.now() + ms;
    if ((this.until.get(account) ?? 0) < until) this.until.set(account, until);
  }

  async remaining(account: string): Promise<number> {
    const left = (this.until.get(account) ?? 0) - this.now();
    if (left <= 0) this.until.delete(account);
    return Math.max(0, left);
  }
}

// Never shortens a back-off another instance recorded.
const EXTEND = `if redis.call("pttl", KEYS[1]) < tonumber(ARGV[1]) then redis.call("set", KEYS[1], "1", "PX", ARGV[1]) end return 0`;

export class RedisBackoff implements RateLimitBackoff {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  key(account: string): string {
    return `${this.prefix}backoff:${account}`;
  }

  async hold(account: string, ms: number): Promise<void> {
    await this.redis.eval(EXTEND, 1, this.key(account), String(Math.ceil(ms)));
  }

  async remaining(account: string): Promise<number> {
    return Math.max(0, await this.redis.pttl(this.key(account)));
  }
}
