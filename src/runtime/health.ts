// `GET /healthz` for load balancers, Docker's HEALTHCHECK and Kubernetes probes. The handler is only reached
// once Probot has initialised (Probot's server registers added handlers when it starts), so answering at all
// means the webhook endpoint is up; checks add what the app depends on beyond that, such as Redis.
import type { IncomingMessage, ServerResponse } from "node:http";

/** Resolves when the dependency is usable; rejects (or throws) with the reason when not. */
export type HealthCheck = () => unknown;

export interface HealthOptions {
  /** Named checks run on every request, side by side: `{ redis: () => redis.ping() }`. */
  checks?: Record<string, HealthCheck>;
  /** A check that has not settled within this is failed, so a hung dependency cannot hang the probe. */
  timeoutMs?: number;
}

export type HealthReport = { status: "ok" } | { status: "unavailable"; failed: Record<string, string> };

export const HEALTH_PATH = "/healthz";

/** Runs every check; `ok` only when all pass. */
export async function checkHealth(options: HealthOptions = {}): Promise<HealthReport> {
  const timeoutMs = options.timeoutMs ?? 2_000;
  const entries = Object.entries(options.checks ?? {});
  const results = await Promise.all(
    entries.map(async ([name, check]) => [name, await failureOf(check, timeoutMs)] as const),
  );
  const failed = Object.fromEntries(results.filter(([, reason]) => reason !== undefined)) as Record<
    string,
    string
  >;
  return Object.keys(failed).length === 0 ? { status: "ok" } : { status: "unavailable", failed };
}

async function failureOf(check: HealthCheck, timeoutMs: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
  });
  try {
    return await Promise.race([
      Promise.resolve()
        .then(check)
        .then(() => undefined),
      timeout,
    ]);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A Probot 14 server handler (`addHandler`): `GET /healthz` answers 200 `{"status":"ok"}`, or 503 with the
 * failed checks; any other path is left to the next handler.
 */
export function createHealthHandler(options: HealthOptions = {}) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if ((req.url ?? "/").split("?")[0] !== HEALTH_PATH) return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return true;
    }
    const report = await checkHealth(options);
    const body = JSON.stringify(report);
    res.writeHead(report.status === "ok" ? 200 : 503, {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
    });
    res.end(req.method === "HEAD" ? undefined : body);
    return true;
  };
}
