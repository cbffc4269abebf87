// What `probot run` loads on the server (src/runtime/main.ts): the app with the shared coordination, plus
// `/healthz` and `/metrics` on Probot's server.
import type { ApplicationFunctionOptions, Probot } from "probot";
import { BackgroundWork } from "./background-work.js";
import { createApp, type PlanSyncApp } from "./create-app.js";
import { createHealthHandler } from "./health.js";
import { createLogger } from "./logging.js";
import { createMetrics, createMetricsHandler } from "./metrics.js";
import { createWorkerParser } from "./parse-pool.js";
import { coordinationFromEnv } from "./redis/coordination.js";
import { OpenCheckRuns, stopOnSigterm } from "./shutdown.js";

/** The server's logger (credentials redacted: logging.ts); main.ts gives it to Probot too. */
export const serverLog = await createLogger();

// Made when this module loads, before Probot is: the Octokit class Probot must be given (`serverApp.Octokit`,
// main.ts) carries the shared back-off and the metrics in its plugins.
// REDIS_URL: delivery claims, plan locks and rate-limit back-offs shared by every instance (else in process);
// PLAN_SYNC_CONCURRENCY: plans synced at once.
const coordination = await coordinationFromEnv(process.env, serverLog);
const { deliveries, planQueue, backoff } = coordination;
// One registry per process, served at /metrics.
const serverMetrics = createMetrics({ processMetrics: true });
// Webhooks are answered at once; their work runs in one BackgroundWork per process, which `serverApp.idle()`
// waits for.
const background = new BackgroundWork();
const openRuns = new OpenCheckRuns();
// Plans are parsed in a worker thread so a large one never stalls the server (SPEC.md §6). Probot gives an app
// no "server stopped" hook: an idle worker is unref'd (it never keeps the process up) and ends after a minute;
// SIGTERM ends the process and the worker with it.
const parsePlan = createWorkerParser().parse;
const app = createApp({
  metrics: serverMetrics,
  parsePlan,
  deliveries,
  planQueue,
  backoff,
  background,
  openRuns,
});

/**
 * The server app: the app plus `/healthz` and `/metrics` on Probot's server. (createApp alone is for tests and
 * Action mode, which have no server: `addHandler` is absent there.)
 */
const serverAppFn = async (probot: Probot, options: ApplicationFunctionOptions) => {
  options.addHandler?.(createHealthHandler());
  options.addHandler?.(createMetricsHandler(serverMetrics));
  // SIGTERM: running work gets a few seconds, runs still open are concluded as interrupted, Redis is closed.
  stopOnSigterm({ background, openRuns, close: coordination.close, log: probot.log });
  await app(probot, options);
};
const serverApp: PlanSyncApp = Object.assign(serverAppFn, {
  idle: () => background.idle(),
  Octokit: app.Octokit,
});
export default serverApp;
