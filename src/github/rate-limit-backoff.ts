// A rate limit belongs to the installation, so its back-off must hold every sync's writes for it, on every
// instance (SPEC.md §6). Octokit's throttling plugin waits out a limit only for the request that met it: its
// retry limiter belongs to one client, and Probot builds a client per event; Bottleneck's Redis clustering shares
// the spacing of writes, not that wait. So the wait GitHub asks for (`retry-after`, the quota's reset) is
// recorded per account in a store (Redis when REDIS_URL is set, else this process: src/runtime/redis/backoff.ts),
// and a write to that account's repositories waits until it has passed.
//
// Both happen in the `fetch` under every plugin: it sees each attempt (the throttle's own retries included), and
// it runs when a write leaves, after the throttle's pacing. A check made before the pacing let a write leave a
// second into a back-off another instance met while the write waited its turn (issue #13).
import { limitWaitSeconds, type GitHubClient } from "./client.js";
import { MAX_RETRY_AFTER_SECONDS } from "./throttle.js";

/** Where back-offs are kept, by account (the owner in `/repos/{owner}/…`). */
export interface RateLimitBackoff {
  /** Writes for `account` wait `ms` from now (a longer back-off already recorded stays). */
  hold(account: string, ms: number): Promise<void>;
  /** How long writes for `account` must still wait, in ms (0: they may go). */
  remaining(account: string): Promise<number>;
}

export interface RateLimitBackoffOptions {
  /** Octokit hands a plugin all its constructor options. */
  [option: string]: unknown;
  /** The store every client of the process (every instance, with Redis) records in and reads. */
  rateLimitBackoff?: RateLimitBackoff;
}

/** The same cap as the throttle handler's (src/github/throttle.ts): a longer wait fails the request instead. */
const MAX_BACKOFF_MS = 15 * 60_000;

type Fetch = typeof globalThis.fetch;
/** Marks a fetch this plugin made, so a request sent again with the same options is not wrapped twice. */
const GUARDED = Symbol("plan-sync rate-limit back-off");

/**
 * Octokit plugin: records the limits GitHub answers in `rateLimitBackoff`, and holds each write to a repository
 * while its owner backs off, at the moment the write is sent.
 */
export function shareRateLimitBackoff(
  octokit: Pick<GitHubClient, "hook">,
  options: RateLimitBackoffOptions,
): void {
  const backoff = options.rateLimitBackoff;
  if (!backoff) return;
  octokit.hook.before("request", (requestOptions) => {
    const fetch: Fetch = requestOptions.request?.fetch ?? globalThis.fetch;
    if ((fetch as { [GUARDED]?: true })[GUARDED]) return;
    requestOptions.request = { ...requestOptions.request, fetch: guardedFetch(fetch, backoff) };
  });
}

function guardedFetch(fetch: Fetch, backoff: RateLimitBackoff): Fetch {
  const guarded = async (input: Parameters<Fetch>[0], init?: RequestInit): Promise<Response> => {
    const account = accountOf(String(input instanceof Request ? input.url : input));
    if (account === null) return fetch(input, init);
    if (isWrite(init?.method)) {
      const refused = await waitOut(backoff, account);
      if (refused) return refused;
    }
    const response = await fetch(input, init);
    if (response.status === 403 || response.status === 429) {
      const ms = Math.min(await backoffAsked(response), MAX_BACKOFF_MS);
      // Not recorded (Redis unreachable): only this request's own retry waits, as without sharing.
      if (ms > 0) await backoff.hold(account, ms).catch(() => {});
    }
    return response;
  };
  return Object.assign(guarded, { [GUARDED]: true as const });
}

/** The owner of `/repos/{owner}/…` (GitHub Enterprise's `/api/v3` prefix allowed), else null. */
function accountOf(url: string): string | null {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return null;
  }
  const owner = /^(?:\/api\/v3)?\/repos\/([^/]+)\//.exec(path)?.[1];
  return owner === undefined ? null : decodeURIComponent(owner);
}

function isWrite(method: string | undefined): boolean {
  return method !== undefined && method !== "GET" && method !== "HEAD";
}

/** The wait a 403/429 asks for, in ms (0: none), by the same rules as a failed request's (client.ts). */
async function backoffAsked(response: Response): Promise<number> {
  const message = await response
    .clone()
    .text()
    .catch(() => "");
  const header = (name: string) => response.headers.get(name) ?? undefined;
  return (limitWaitSeconds({ status: response.status, header, message }) ?? 0) * 1000;
}

/** Waits while `account` backs off; a back-off longer than a request may wait answers the write instead. */
async function waitOut(backoff: RateLimitBackoff, account: string): Promise<Response | null> {
  for (;;) {
    // Redis unreachable: writes go, each still waiting out its own limit.
    const left = await backoff.remaining(account).catch(() => 0);
    if (left <= 0) return null;
    // The write fails as GitHub would have answered it, so the sync pauses (and frees its place in the queue for
    // other installations) instead of holding it for minutes.
    if (left > MAX_RETRY_AFTER_SECONDS * 1000) return backedOff(account, left);
    await new Promise((resolve) => setTimeout(resolve, left));
  }
}

/**
 * The answer a write gets while its account backs off, sent by no server: a 403 secondary limit with
 * `retry-after`, so the throttle, the retry plugin and the sync read it as they read GitHub's.
 */
function backedOff(account: string, ms: number): Response {
  const seconds = Math.ceil(ms / 1000);
  const message = `secondary rate limit: writes for ${account} are backing off for ${seconds} s`;
  return new Response(JSON.stringify({ message }), {
    status: 403,
    headers: { "content-type": "application/json", "retry-after": String(seconds) },
  });
}
