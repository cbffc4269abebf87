// Prometheus metrics (SPEC.md §5): syncs, GitHub API calls by route and status, writes saved, durations and
// rate-limit waits. Each app instance owns its registry (never prom-client's global one), so two Probot
// instances in one process, or two tests, never share counts.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { SyncMetrics } from "../app/deps.js";
import type { GitHubRequest } from "../github/index.js";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** `primary`: the hourly quota ran out; `secondary`: GitHub's abuse limits (403/429 with retry-after). */
export type RateLimitKind = "primary" | "secondary";

/** The work queue's jobs as a scrape sees them (src/runtime/in-process-queue.ts, redis/bull-queue.ts). */
export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  /** Age of the oldest job still waiting, 0 when none waits. */
  oldestWaitingMs: number;
}

export interface Metrics extends SyncMetrics {
  readonly registry: Registry;
  /** Give it to the Octokit class (`observeRequests`): every GitHub request is counted by route and status. */
  observeGitHubRequest(request: GitHubRequest): void;
  countRateLimitWait(kind: RateLimitKind): void;
  /** Reads the queue's jobs at each scrape (with BullMQ: every instance's, from Redis). */
  watchQueue(queue: { counts(): Promise<QueueCounts> }): void;
}

export interface MetricsOptions {
  /** Also export Node's process metrics (CPU, memory, event loop lag, GC). Off by default for tests. */
  processMetrics?: boolean;
}

// Syncs take from a few milliseconds (nothing changed) to minutes (a first sync of hundreds of issues,
// paced by GitHub's content-creation limits).
const SYNC_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  const syncs = new Counter({
    name: "plan_sync_syncs_total",
    help: "Plan syncs by outcome (success, failure, error, superseded, partial).",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  const durations = new Histogram({
    name: "plan_sync_sync_duration_seconds",
    help: "Time from the start of a plan sync to its end, by outcome.",
    labelNames: ["outcome"] as const,
    buckets: SYNC_BUCKETS,
    registers: [registry],
  });
  const requests = new Counter({
    name: "plan_sync_github_requests_total",
    help: "GitHub API requests by route template and HTTP status (0: no answer).",
    labelNames: ["route", "status"] as const,
    registers: [registry],
  });
  const writesAvoided = new Counter({
    name: "plan_sync_writes_avoided_total",
    help: "Issue and comment writes skipped because GitHub already matched the plan.",
    registers: [registry],
  });
  const rateLimitWaits = new Counter({
    name: "plan_sync_rate_limit_waits_total",
    help: "Times writes waited for a GitHub rate limit, by kind (primary, secondary).",
    labelNames: ["kind"] as const,
    registers: [registry],
  });
  let queue: { counts(): Promise<QueueCounts> } | null = null;
  const jobs = new Gauge({
    name: "plan_sync_jobs",
    help: "Jobs in the work queue by state (waiting, active, delayed, failed).",
    labelNames: ["state"] as const,
    registers: [registry],
    async collect() {
      if (!queue) return;
      const counts = await queue.counts().catch(() => null);
      if (!counts) return;
      for (const state of ["waiting", "active", "delayed", "failed"] as const)
        this.labels(state).set(counts[state]);
      oldestWaiting.set(counts.oldestWaitingMs / 1000);
    },
  });
  const oldestWaiting = new Gauge({
    name: "plan_sync_oldest_waiting_job_seconds",
    help: "Age of the oldest job waiting in the work queue (0: none waits).",
    registers: [registry],
  });
  for (const state of ["waiting", "active", "delayed", "failed"] as const) jobs.labels(state).set(0);
  // Label values known in advance start at 0, so rate() works from the first scrape.
  for (const outcome of ["success", "failure", "error", "superseded", "partial"] as const) {
    syncs.labels(outcome).inc(0);
  }
  for (const kind of ["primary", "secondary"] as const) rateLimitWaits.labels(kind).inc(0);

  return {
    registry,
    observeSync(outcome, seconds) {
      syncs.labels(outcome).inc();
      durations.labels(outcome).observe(seconds);
    },
    observeGitHubRequest(request) {
      requests.labels(routeLabel(request.method, request.url), String(request.status)).inc();
    },
    countWritesAvoided(count) {
      if (count > 0) writesAvoided.inc(count);
    },
    countRateLimitWait(kind) {
      rateLimitWaits.labels(kind).inc();
    },
    watchQueue(watched) {
      queue = watched;
    },
  };
}

/**
 * `GET /repos/{owner}/{repo}/issues`. Octokit hands the hook the route template for `octokit.rest.*` calls,
 * but `paginate` expands it (`/repos/acme/roadmap/issues`) and follows `Link` URLs
 * (`https://api.github.com/repositories/123/issues?page=2`). Those are folded back into templates, so the
 * label set stays bounded whatever repositories the app serves.
 */
export function routeLabel(method: string, url: string): string {
  const path = url
    .replace(/^[a-z]+:\/\/[^/]+/i, "")
    .replace(/^\/api\/v3(?=\/|$)/, "")
    .split(/[?#]/, 1)[0] as string;
  return `${method.toUpperCase()} ${path.includes("{") ? path : templateOf(path)}`;
}

// The name Octokit's templates give a number after each kind of resource; other numbers become {id}.
const NUMBER_NAMES: Record<string, string> = {
  issues: "{issue_number}",
  pulls: "{pull_number}",
  comments: "{comment_id}",
  "check-runs": "{check_run_id}",
  milestones: "{milestone_number}",
  installations: "{installation_id}",
  repositories: "{repository_id}",
};
// Segments that name something by a free-form value, and the rest of the path when the value may hold slashes.
const NAMED_AFTER: Record<string, string> = { labels: "{name}", branches: "{branch}", commits: "{ref}" };
const REST_AFTER: Record<string, string> = { contents: "{path}", ref: "{ref}", refs: "{ref}" };

function templateOf(path: string): string {
  const segments = path.split("/");
  const out: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as string;
    const before = out[out.length - 1] ?? "";
    if (i === 2 && segments[1] === "repos") out.push("{owner}");
    else if (i === 3 && segments[1] === "repos") out.push("{repo}");
    else if (i === 2 && (segments[1] === "orgs" || segments[1] === "users"))
      out.push(segments[1] === "orgs" ? "{org}" : "{username}");
    else if (i > 3 && REST_AFTER[before]) {
      out.push(REST_AFTER[before] as string);
      break;
    } else if (i > 3 && NAMED_AFTER[before]) out.push(NAMED_AFTER[before] as string);
    else if (/^\d+$/.test(segment)) out.push(NUMBER_NAMES[before] ?? "{id}");
    else if (/^[0-9a-f]{40}$/.test(segment)) out.push("{sha}");
    else out.push(segment);
  }
  return out.join("/") || "/";
}

const METRICS_PATH = "/metrics";

/**
 * A Probot 14 server handler (`addHandler`) answering `GET /metrics` in Prometheus text format; any other
 * request is left to the next handler.
 */
export function createMetricsHandler(metrics: Metrics) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if ((req.url ?? "/").split("?")[0] !== METRICS_PATH) return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return true;
    }
    const body = await metrics.registry.metrics();
    res.writeHead(200, { "content-type": metrics.registry.contentType, "cache-control": "no-store" });
    res.end(req.method === "HEAD" ? undefined : body);
    return true;
  };
}
