// Counts every GitHub API call a client makes, by route and status, through an Octokit request hook, so benches,
// tests and metrics see what a sync cost without wrapping each call site.
import type { GitHubClient } from "./client.js";
import { statusOf } from "./client.js";

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

export class ApiCallCounter {
  readonly calls: ApiCall[] = [];
  private readonly listeners: Array<(call: ApiCall) => void> = [];

  /** Called for each finished call (metrics hang off this). */
  onCall(listener: (call: ApiCall) => void): void {
    this.listeners.push(listener);
  }

  record(call: ApiCall): void {
    this.calls.push(call);
    for (const listener of this.listeners) listener(call);
  }

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

const counted = new WeakMap<GitHubClient, Set<ApiCallCounter>>();

/** Hooks `counter` into `octokit` once (idempotent per pair): every request is recorded when it settles. */
export function countApiCalls(octokit: GitHubClient, counter: ApiCallCounter): void {
  const counters = counted.get(octokit) ?? new Set<ApiCallCounter>();
  if (counters.has(counter)) return;
  counters.add(counter);
  counted.set(octokit, counters);
  octokit.hook.wrap("request", async (request, options) => {
    const call = { method: String(options.method).toUpperCase(), route: routeOf(String(options.url)) };
    try {
      const response = await request(options);
      counter.record({ ...call, status: response.status });
      return response;
    } catch (error) {
      counter.record({ ...call, status: statusOf(error) ?? 0 });
      throw error;
    }
  });
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
