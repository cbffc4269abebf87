// What `probot run` loads on the server (src/runtime/main.ts): the app with the shared coordination, plus
// `/healthz` and `/metrics` on Probot's server.
import type { ApplicationFunctionOptions, Probot } from "probot";
import { createApp, logFailure, logSkipped, type PlanSyncApp } from "./create-app.js";
import { createHealthHandler } from "./health.js";
import { createLogger } from "./logging.js";
import { createMetrics, createMetricsHandler } from "./metrics.js";
import { wholeNumberSetting } from "./env-settings.js";
import { createWorkerParser, DEFAULT_PARSE_TIMEOUT_MS } from "./parse-pool.js";
import { coordinationFromEnv } from "./redis/coordination.js";
import { OpenCheckRuns, stopOnSigterm } from "./shutdown.js";

/** The server's logger (credentials redacted: logging.ts); main.ts gives it to Probot too. */
export const serverLog = await createLogger();

// Made when this module loads, before Probot is: the Octokit class Probot must be given (`serverApp.Octokit`,
// main.ts) carries the shared back-off and the metrics in its plugins.
// REDIS_URL: the jobs (BullMQ), the push runs and rate-limit back-offs shared by every instance (else in
// process); PLAN_SYNC_CONCURRENCY: jobs run at once by this instance.
const failed = (job: Parameters<typeof logFailure>[1], error: unknown) => logFailure(serverLog, job, error);
const coordination = await coordinationFromEnv(
  process.env,
  serverLog,
  {
    failed,
    skipped: (job) => logSkipped(serverLog, job),
  },
  failed,
);
const { queue, runs, backoff } = coordination;
// One registry per process, served at /metrics; it reads the queue's jobs at each scrape.
const serverMetrics = createMetrics({ processMetrics: true });
serverMetrics.watchQueue(queue);
// In process, runs still open when the server stops are concluded as interrupted (their jobs die with it); with
// BullMQ they stay queued, and so do their runs.
const openRuns = coordination.durable ? undefined : new OpenCheckRuns();
// Plans are parsed in a worker thread so a large one never stalls the server (SPEC.md §6). Probot gives an app
// no "server stopped" hook: an idle worker is unref'd (it never keeps the process up) and ends after a minute;
// SIGTERM ends the process and the worker with it. PLAN_SYNC_PARSE_TIMEOUT_MS: each parse's time limit.
const timeoutMs = wholeNumberSetting(
  process.env,
  "PLAN_SYNC_PARSE_TIMEOUT_MS",
  DEFAULT_PARSE_TIMEOUT_MS,
  serverLog,
);
const parsePlan = createWorkerParser({ timeoutMs }).parse;
const app = createApp({
  metrics: serverMetrics,
  parsePlan,
  queue,
  runs,
  backoff,
  ...(openRuns ? { openRuns } : {}),
});

/**
 * The server app: the app plus `/healthz` and `/metrics` on Probot's server. Webhooks are answered at once; their
 * jobs run from the queue (BullMQ with REDIS_URL, else in process), which `serverApp.idle()` waits for.
 * (createApp alone is for tests and Action mode, which have no server: `addHandler` is absent there.)
 */
const serverAppFn = async (probot: Probot, options: ApplicationFunctionOptions) => {
  options.addHandler?.(createHealthHandler());
  options.addHandler?.(createMetricsHandler(serverMetrics));
  // SIGTERM: no new job is taken, the running ones get a few seconds, then Redis is closed.
  stopOnSigterm({
    drain: () => queue.drain(),
    ...(openRuns ? { openRuns } : {}),
    close: coordination.close,
    log: probot.log,
  });
  await app(probot, options);
};
const serverApp: PlanSyncApp = Object.assign(serverAppFn, {
  idle: async () => queue.idle(),
  Octokit: app.Octokit,
});
export default serverApp;
