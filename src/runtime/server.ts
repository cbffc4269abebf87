// What `probot run` loads on the server (src/runtime/main.ts): the app with the shared coordination, plus
// `/healthz` and `/metrics` on Probot's server.
import type { ApplicationFunctionOptions, Probot } from "probot";
import { createApp, logFailure, type PlanSyncApp } from "./create-app.js";
import { createHealthHandler } from "./health.js";
import { createMetricsHandler } from "./metrics.js";
import { createWorkerParser } from "./parse-pool.js";
import { coordinationFromEnv, type Coordination } from "./redis/coordination.js";
import { serverMetrics } from "./server-metrics.js";
import { OpenCheckRuns, stopOnSigterm } from "./shutdown.js";

/**
 * The server app: the app plus `/healthz` and `/metrics` on Probot's server, with plans parsed in a worker
 * thread so a large one never stalls the server (SPEC.md §6). Webhooks are answered at once; their jobs run
 * from the queue (BullMQ with REDIS_URL, else in process), which `serverApp.idle()` waits for.
 * (createApp alone is for tests and Action mode, which have no server: `addHandler` is absent there.)
 */
let coordination: Coordination | undefined;
const serverAppFn = async (app: Probot, options: ApplicationFunctionOptions) => {
  const metrics = serverMetrics;
  // REDIS_URL: the jobs, the push runs and rate-limit back-offs shared by every instance (else in process);
  // PLAN_SYNC_CONCURRENCY: jobs run at once by this instance.
  const failed = (job: Parameters<typeof logFailure>[1], error: unknown) => logFailure(app, job, error);
  coordination = await coordinationFromEnv(
    process.env,
    app.log,
    {
      failed,
      skipped: (job) =>
        app.log.info(`plan-sync: delivery ${job.deliveryId} (${job.name}) already handled: ignored`),
    },
    failed,
  );
  options.addHandler?.(createHealthHandler());
  options.addHandler?.(createMetricsHandler(metrics));
  const { queue, runs, backoff } = coordination;
  metrics.watchQueue(queue);
  // Probot gives an app no "server stopped" hook: an idle worker is unref'd (it never keeps the process up) and
  // ends after a minute; SIGTERM ends the process and the worker with it.
  const parsePlan = createWorkerParser().parse;
  // In process, runs still open when the server stops are concluded as interrupted (their jobs die with it);
  // with BullMQ they stay queued, and so do their runs.
  const openRuns = coordination.durable ? undefined : new OpenCheckRuns();
  // SIGTERM: no new job is taken, the running ones get a few seconds, then Redis is closed.
  stopOnSigterm({
    drain: () => queue.drain(),
    ...(openRuns ? { openRuns } : {}),
    close: coordination.close,
    log: app.log,
  });
  await createApp({ metrics, parsePlan, queue, runs, backoff, ...(openRuns ? { openRuns } : {}) })(
    app,
    options,
  );
};
const serverApp: PlanSyncApp = Object.assign(serverAppFn, {
  idle: async () => coordination?.queue.idle(),
});
export default serverApp;
