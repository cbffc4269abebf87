// What `probot run` loads on the server (src/runtime/main.ts): the app with the shared coordination, plus
// `/healthz` and `/metrics` on Probot's server.
import type { ApplicationFunctionOptions, Probot } from "probot";
import { BackgroundWork } from "./background-work.js";
import { createApp, type PlanSyncApp } from "./create-app.js";
import { createHealthHandler } from "./health.js";
import { createMetricsHandler } from "./metrics.js";
import { createWorkerParser } from "./parse-pool.js";
import { coordinationFromEnv } from "./redis/coordination.js";
import { serverMetrics } from "./server-metrics.js";
import { OpenCheckRuns, stopOnSigterm } from "./shutdown.js";

/**
 * The server app: the app plus `/healthz` and `/metrics` on Probot's server, with
 * plans parsed in a worker thread so a large one never stalls the server (SPEC.md §6). Webhooks are answered at
 * once; their work runs in one BackgroundWork per process, which `serverApp.idle()` waits for.
 * (createApp alone is for tests and Action mode, which have no server: `addHandler` is absent there.)
 */
const serverBackground = new BackgroundWork();
const serverAppFn = async (app: Probot, options: ApplicationFunctionOptions) => {
  const metrics = serverMetrics;
  // REDIS_URL: delivery claims, plan locks and rate-limit back-offs shared by every instance (else in process);
  // PLAN_SYNC_CONCURRENCY: plans synced at once.
  const coordination = await coordinationFromEnv(process.env, app.log);
  options.addHandler?.(createHealthHandler());
  options.addHandler?.(createMetricsHandler(metrics));
  // Probot gives an app no "server stopped" hook: an idle worker is unref'd (it never keeps the process up) and
  // ends after a minute; SIGTERM ends the process and the worker with it.
  const { deliveries, planQueue, backoff } = coordination;
  const parsePlan = createWorkerParser().parse;
  const background = serverBackground;
  const openRuns = new OpenCheckRuns();
  // SIGTERM: running work gets a few seconds, runs still open are concluded as interrupted, Redis is closed.
  stopOnSigterm({ background, openRuns, close: coordination.close, log: app.log });
  await createApp({ metrics, parsePlan, deliveries, planQueue, backoff, background, openRuns })(app, options);
};
const serverApp: PlanSyncApp = Object.assign(serverAppFn, { idle: () => serverBackground.idle() });
export default serverApp;
