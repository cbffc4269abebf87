// A rate limit belongs to the installation, so its back-off must hold every sync's writes for it, on every
// instance (SPEC.md §6). Octokit's throttling plugin waits out a limit only for the request that met it: its
// retry limiter belongs to one client, and Probot builds a client per event; Bottleneck's Redis clustering shares
// the spacing of writes, not that wait. So the wait GitHub asks for (`retry-after`, the quota's reset) is
// recorded per account here — in Redis when REDIS_URL is set, else in this process — and every write to that
// account's repositories waits until it has passed.
import type { Redis } from "ioredis";
import { limitWaitSeconds, type GitHubClient } from "../../github/index.js";
import { MAX_RETRY_AFTER_SECONDS } from "../../github/throttle.js";

export interface RateLimitBackoff {
  /** Writes for `account` wait `ms` from now (a longer back-off already recorded stays). */
  hold(account: string, ms: number): Promise<void>;
  /** How long writes for `account` must still wait, in ms (0: they may go). */
  remaining(account: string): Promise<number>;
}

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

/** The same cap as the throttle handler's (src/github/throttle.ts): a longer wait fails the request instead. */
const MAX_BACKOFF_MS = 15 * 60_000;

const shared = new WeakSet<object>();

/**
 * Makes `octokit` (one event's client, for `account`'s repositories) record the limits GitHub answers it and
 * hold its writes while `account` backs off. Calling it again for the same client does nothing.
 */
export function shareRateLimitBackoff(
  octokit: GitHubClient,
  backoff: RateLimitBackoff,
  account: string,
): void {
  if (shared.has(octokit)) return;
  shared.add(octokit);
  // The fetch under the plugins sees every attempt, the throttle's own retries included.
  octokit.hook.before("request", (options) => {
    const fetch = options.request?.fetch ?? globalThis.fetch;
    options.request = { ...options.request, fetch: recordingLimits(fetch, backoff, account) };
  });
  // Registered after the plugins, this hook runs before them: a write waits before it is scheduled.
  octokit.hook.wrap("request", async (request, options) => {
    if (isWrite(options.method, options.url)) await waitOut(backoff, account);
    return request(options);
  });
}

function recordingLimits(fetch: typeof globalThis.fetch, backoff: RateLimitBackoff, account: string) {
  return async (input: Parameters<typeof globalThis.fetch>[0], init?: RequestInit): Promise<Response> => {
    const response = await fetch(input, init);
    if (response.status === 403 || response.status === 429) {
      const ms = Math.min(await backoffAsked(response), MAX_BACKOFF_MS);
      // Not recorded (Redis unreachable): only this request's own retry waits, as without sharing.
      if (ms > 0) await backoff.hold(account, ms).catch(() => {});
    }
    return response;
  };
}

/** The wait a 403/429 asks for, in ms (0: none), by the same rules as a failed request's (src/github/client.ts). */
async function backoffAsked(response: Response): Promise<number> {
  const message = await response
    .clone()
    .text()
    .catch(() => "");
  const header = (name: string) => response.headers.get(name) ?? undefined;
  return (limitWaitSeconds({ status: response.status, header, message }) ?? 0) * 1000;
}

function isWrite(method: string | undefined, url: string | undefined): boolean {
  if (method === undefined || method === "GET" || method === "HEAD") return false;
  return Boolean(url?.startsWith("/repos/") || url === "/graphql");
}

async function waitOut(backoff: RateLimitBackoff, account: string): Promise<void> {
  for (;;) {
    // Redis unreachable: writes go, each still waiting out its own limit.
    const left = await backoff.remaining(account).catch(() => 0);
    if (left <= 0) return;
    // Longer than a request may wait: the write fails as GitHub would have answered it, so the sync pauses
    // (and frees its place in the queue for other installations) instead of holding it for minutes.
    if (left > MAX_RETRY_AFTER_SECONDS * 1000) throw backedOff(account, left);
    await new Promise((resolve) => setTimeout(resolve, left));
  }
}

/** The error a write meets while its account backs off: a 403 with `retry-after`, as GitHub answers a limit. */
function backedOff(account: string, ms: number): Error {
  return Object.assign(
    new Error(`secondary rate limit: writes for ${account} are backing off for ${Math.ceil(ms / 1000)} s`),
    { status: 403, response: { headers: { "retry-after": String(Math.ceil(ms / 1000)) } } },
  );
}
