// The one Octokit type the GitHub layer takes: Probot's context.octokit and a plain @octokit/rest client (Action
// mode, benches) both fit it.
import type { Octokit } from "@octokit/rest";

/** What the layer uses of an Octokit (structural: ProbotOctokit lacks the legacy top-level endpoint methods). */
export type GitHubClient = Pick<Octokit, "rest" | "paginate" | "hook" | "request">;

/** A repository, as every request names it. */
export interface RepoRef {
  owner: string;
  repo: string;
}

/** The HTTP status of an Octokit RequestError, or undefined for anything else (network errors, bugs). */
export function statusOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("status" in error)) return undefined;
  const status = (error as { status: unknown }).status;
  return typeof status === "number" ? status : undefined;
}

/**
 * A failure as logs and check runs should say it: for a GitHub answer, which request got which status
 * (`POST /repos/acme/gateway/issues answered 502: Bad Gateway`), without the query or any header.
 */
export function describeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const status = statusOf(error);
  const request = (error as { request?: { method?: unknown; url?: unknown } } | null)?.request;
  if (status === undefined || typeof request?.method !== "string" || typeof request.url !== "string")
    return message;
  let path = request.url;
  try {
    path = decodeURIComponent(new URL(request.url).pathname.replace(/^\/api\/v3(?=\/)/, ""));
  } catch {
    // not an absolute URL: keep it as sent
  }
  return `${request.method} ${path} answered ${status}: ${message.replace(/ - https:\/\/docs\.github\.com\S*$/, "")}`;
}

/** https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api — "at least one minute". */
const SECONDARY_LIMIT_FALLBACK_SECONDS = 60;

/** A 403/429 as the rate-limit rules read it: from an Octokit error or from a raw response. */
export interface LimitAnswer {
  status: number | undefined;
  header: (name: string) => string | undefined;
  message: string;
}

/**
 * How long GitHub asks us to wait, in seconds, when an answer is a rate limit: a 403/429 with `retry-after`; with
 * the primary quota spent (`x-ratelimit-remaining: 0`, wait until `x-ratelimit-reset`); or a secondary limit's
 * message alone (at least a minute). Null otherwise.
 * https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#handle-rate-limit-errors-appropriately
 */
export function limitWaitSeconds(answer: LimitAnswer, now: Date = new Date()): number | null {
  if (answer.status !== 403 && answer.status !== 429) return null;
  const retryAfterHeader = answer.header("retry-after");
  const retryAfter = Number(retryAfterHeader);
  if (retryAfterHeader !== undefined && Number.isFinite(retryAfter)) return Math.max(0, retryAfter);
  const reset = Number(answer.header("x-ratelimit-reset"));
  if (answer.header("x-ratelimit-remaining") === "0" && Number.isFinite(reset))
    return Math.max(0, Math.ceil(reset - now.getTime() / 1000));
  if (/secondary rate limit/i.test(answer.message)) return SECONDARY_LIMIT_FALLBACK_SECONDS;
  return null;
}

/** `limitWaitSeconds` of an Octokit error (or anything else thrown: null). */
export function rateLimitWaitOf(error: unknown, now: Date = new Date()): number | null {
  const headers =
    (error as { response?: { headers?: Record<string, unknown> } } | null)?.response?.headers ?? {};
  return limitWaitSeconds(
    {
      status: statusOf(error),
      header: (name) => (headers[name] === undefined ? undefined : String(headers[name])),
      message: error instanceof Error ? error.message : "",
    },
    now,
  );
}
