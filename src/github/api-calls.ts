// Every GitHub API call a client makes, by route and status, told by an Octokit plugin to whoever listens (the
// counter here for benches and tests, the server's metrics), so no call site is wrapped.
import type { GitHubClient } from "./client.js";

export interface ApiCall {
  method: string;
  /** The route template as Octokit knows it: `/repos/{owner}/{repo}/issues`. */
  route: string;
  /** HTTP status, or 0 when no answer came (network error). */
  status: number;
}

export interface ApiCallTotals {
  reads: number;
  writes: number;
  /** `GET /repos/{owner}/{repo}/issues` → count. */
  byRoute: Record<string, number>;
}

/** Reads are GET/HEAD; everything else changes something (or tries to). */
function isRead(method: string): boolean {
  return method === "GET" || method === "HEAD";
}

/** Every call a client made (give `counter.observe` to the client's `observeRequests`). */
export class ApiCallCounter {
  readonly calls: ApiCall[] = [];

  readonly observe: RequestObserver = ({ method, url, status }) => {
    this.calls.push({ method, route: routeOf(url), status });
  };

  totals(since = 0): ApiCallTotals {
    const totals: ApiCallTotals = { reads: 0, writes: 0, byRoute: {} };
    for (const call of this.calls.slice(since)) {
      if (isRead(call.method)) totals.reads++;
      else totals.writes++;
      const key = `${call.method} ${call.route}`;
      totals.byRoute[key] = (totals.byRoute[key] ?? 0) + 1;
    }
    return totals;
  }

  /** A position to pass to `totals(since)` later: the calls of one piece of work. */
  mark(): number {
    return this.calls.length;
  }
}

/** A finished request as a plugin sees it: `url` as sent to `octokit.request` (a template, or a page's URL). */
export interface GitHubRequest {
  method: string;
  url: string;
  /** HTTP status, or 0 when no answer came (network error). */
  status: number;
}

export type RequestObserver = (request: GitHubRequest) => void;

export interface ObserveRequestsOptions {
  /** Octokit hands a plugin all its constructor options. */
  [option: string]: unknown;
  /** Each hears of every request the client makes, once it settles (counters, metrics). */
  observeRequests?: readonly RequestObserver[];
}

/**
 * Octokit plugin: tells the `observeRequests` given at construction of every request, once per call of
 * `octokit.request` (installed after Probot's throttle and retry plugins, so their retries are one call).
 */
export function observeRequests(octokit: Pick<GitHubClient, "hook">, options: ObserveRequestsOptions): void {
  const observers = options.observeRequests ?? [];
  if (observers.length === 0) return;
  const tell = (request: GitHubRequest) => {
    for (const observer of observers) observer(request);
  };
  octokit.hook.wrap("request", async (request, requestOptions) => {
    const call = { method: String(requestOptions.method).toUpperCase(), url: String(requestOptions.url) };
    try {
      const response = await request(requestOptions);
      tell({ ...call, status: response.status });
      return response;
    } catch (error) {
      tell({ ...call, status: answeredStatus(error) });
      throw error;
    }
  });
}

// Octokit reports a request that got no answer (refused, reset, DNS) as a RequestError with status 500 and no
// response; only a response carries the status GitHub sent.
function answeredStatus(error: unknown): number {
  const status = (error as { response?: { status?: unknown } } | null)?.response?.status;
  return typeof status === "number" ? status : 0;
}

/**
 * The route template of a request. Calls through an endpoint method carry it (`/repos/{owner}/{repo}/issues`);
 * pagination follows `link` URLs, which are expanded: those are folded back to the same shape.
 */
export function routeOf(url: string): string {
  if (!/^https?:\/\//.test(url)) return url.split("?")[0] ?? url;
  const path = new URL(url).pathname.replace(/^\/api\/v3(?=\/)/, "");
  return path
    .replace(/^\/repos\/[^/]+\/[^/]+/, "/repos/{owner}/{repo}")
    .replace(/\/issues\/\d+/, "/issues/{issue_number}")
    .replace(/\/(\d+)(?=\/|$)/g, "/{id}");
}
