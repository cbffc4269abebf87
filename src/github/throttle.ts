// Rate limits waited out within a request. Probot's own throttle options only log a secondary rate limit (they
// do not retry it), and `ProbotOctokit.defaults({ throttle })` as an object is overwritten by them
// (probot/probot#2039): a defaults FUNCTION runs after Probot's option merging, so its handlers win (octokit.ts).
// The rest of the throttle options (Redis `connection` when REDIS_URL is set, the write/notification limiters)
// are kept.
import type { ProbotOctokit } from "probot";

type OctokitOptions = NonNullable<ConstructorParameters<typeof ProbotOctokit>[0]>;

/** Retries of one request after a secondary limit (403/429 "secondary rate limit", `retry-after`). */
const MAX_SECONDARY_LIMIT_RETRIES = 3;
/** Retries of one request after the primary quota ran out (waits until `x-ratelimit-reset`). */
const MAX_RATE_LIMIT_RETRIES = 2;
/**
 * A wait longer than this is not worth holding a request for: it fails, and the sync pauses and resumes when
 * GitHub allows (src/app/workflows/sync-plans.ts), or with the next push. (GitHub's hourly budget can ask for most of an hour.)
 */
export const MAX_RETRY_AFTER_SECONDS = 60;

export interface ThrottleOptions {
  /** Longest `retry-after` waited out within a request; default MAX_RETRY_AFTER_SECONDS. */
  maxWaitSeconds?: number;
  /** Hears of every rate-limit wait (metrics). */
  onWait?: (kind: "secondary" | "primary") => void;
}

interface LimitedRequest {
  method: string;
  url: string;
}
interface LoggingOctokit {
  log: { warn: (message: string) => void };
}

/** The throttle handler: whether to wait `retryAfter` seconds and send the request again. */
export function retryLimited(
  kind: "secondary" | "primary",
  { onWait, maxWaitSeconds = MAX_RETRY_AFTER_SECONDS }: ThrottleOptions = {},
): (retryAfter: number, request: LimitedRequest, octokit: LoggingOctokit, retryCount: number) => boolean {
  const cap = kind === "secondary" ? MAX_SECONDARY_LIMIT_RETRIES : MAX_RATE_LIMIT_RETRIES;
  const what = kind === "secondary" ? "Secondary rate limit" : "Rate limit";
  return (retryAfter, request, octokit, retryCount) => {
    const retry = retryCount < cap && retryAfter <= maxWaitSeconds;
    octokit.log.warn(
      retry
        ? `${what} on ${request.method} ${request.url}: retrying in ${retryAfter} s (retry ${retryCount + 1} of ${cap})`
        : `${what} on ${request.method} ${request.url}: giving up after ${retryCount} retries (retry-after ${retryAfter} s)`,
    );
    if (retry) onWait?.(kind);
    return retry;
  };
}

/**
 * Adds the retrying handlers to whatever throttle options Probot (and Redis clustering) put in, and paces each
 * installation on its own: the limits are the installation's, but the client Probot builds for an event carries
 * no throttle `id`, so every installation would share one queue of writes (`"no-id"`), across instances too.
 */
export function withRetryingThrottle(
  options: OctokitOptions,
  throttle: ThrottleOptions = {},
): OctokitOptions {
  const installationId = (options.auth as { installationId?: unknown } | undefined)?.installationId;
  const id =
    options.throttle?.id ??
    (typeof installationId === "number" || typeof installationId === "string"
      ? String(installationId)
      : undefined);
  return {
    ...options,
    throttle: {
      ...options.throttle,
      ...(id === undefined ? {} : { id }),
      onSecondaryRateLimit: retryLimited("secondary", throttle),
      onRateLimit: retryLimited("primary", throttle),
    },
  } as OctokitOptions;
}
