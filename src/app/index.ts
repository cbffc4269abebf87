// plan-sync as a Probot app. This file is the table of contents: one line per event; the handlers get the
// GitHub layer and the rest of their dependencies from `createApp(deps)`.
import type { ApplicationFunction, ApplicationFunctionOptions, Probot } from "probot";
import { createGitHubLayer, describeFailure, type ApiCallCounter } from "../github/index.js";
import { parsePlan } from "../plan/parse.js";
import { BackgroundWork } from "./background.js";
import { botLoginsOf } from "./bot-identity.js";
import { InProcessDeliveryLedger, oncePerDelivery, type DeliveryLedger } from "./dedupe.js";
import type { AppDeps } from "./deps.js";
import { createHealthHandler } from "./health.js";
import { onInstalled } from "./installation.js";
import { onIssueChanged } from "./issues.js";
import { createMetricsHandler, instrumentOctokit, type Metrics } from "./metrics.js";
import { createWorkerParser } from "./parse-pool.js";
import { onPullRequest, PULL_REQUEST_EVENTS } from "./pull-request.js";
import { onPush } from "./push.js";
import { serverMetrics } from "./server-metrics.js";
import { OpenCheckRuns, stopOnSigterm } from "./shutdown.js";
import { PlanQueue } from "./queue.js";
import { dropUnhandledDeliveries } from "./webhook-filter.js";
import { InProcessBackoff, shareRateLimitBackoff, type RateLimitBackoff } from "./redis-backoff.js";
import { coordinationFromEnv } from "./redis-coordination.js";

export interface AppOptions {
  now?: () => Date;
  parsePlan?: AppDeps["parsePlan"];
  /** Known bot logins (skips GET /app), e.g. `["plan-sync[bot]"]`. */
  botLogins?: string[];
  /** Counts every API call the app makes (benches, metrics). */
  counter?: ApiCallCounter;
  /** Prometheus metrics: every GitHub request and every push's sync are counted into it. */
  metrics?: Metrics;
  /** Deliveries already handled (X-GitHub-Delivery); default: a new in-process ledger per app. */
  deliveries?: DeliveryLedger;
  /** The per-plan queue (with a Redis lock when several instances run); default: in process, 4 plans at once. */
  planQueue?: PlanQueue;
  /** Check runs not completed yet (the server concludes them as interrupted when it stops). */
  openRuns?: OpenCheckRuns;
  /** Rate-limit back-offs by account, holding every sync's writes (Redis: every instance's); default in process. */
  backoff?: RateLimitBackoff;
  /**
   * Where handlers run their work after the webhook is answered (SPEC.md §6); default a new one per app.
   * `false`: the work runs before the answer and a handler's error reaches Probot (Action mode, which must finish
   * before the step ends; tests that drive `probot.receive`).
   */
  background?: BackgroundWork | false;
}

/** The app, and a way to wait until the work its webhooks started has finished (tests, the Action). */
export type PlanSyncApp = ApplicationFunction & { idle(): Promise<void> };

type Delivery = { id: string; name: string; log: Probot["log"] };

/** The events handled below; any other delivery is answered 2xx with nothing done. */
const HANDLED_EVENTS = new Set([
  "push",
  "pull_request",
  "issues",
  "installation",
  "installation_repositories",
]);

export function createApp(options: AppOptions = {}): PlanSyncApp {
  const background = options.background ?? new BackgroundWork();
  const appFn = (app: Probot) => {
    const now = options.now ?? (() => new Date());
    const backoff = options.backoff ?? new InProcessBackoff();
    const deps: AppDeps = {
      now,
      parsePlan: options.parsePlan ?? parsePlan,
      github: (octokit, repo) => {
        if (options.metrics) instrumentOctokit(octokit, options.metrics);
        shareRateLimitBackoff(octokit, backoff, repo.owner);
        return createGitHubLayer(octokit, repo, {
          now,
          ...(options.counter ? { counter: options.counter } : {}),
          warn: (message) => app.log.warn(`plan-sync: ${message}`),
        });
      },
      botLogins: botLoginsOf(app, options.botLogins),
      planQueue: options.planQueue ?? new PlanQueue(),
      ...(options.metrics ? { metrics: options.metrics } : {}),
      // Always: a push's run concludes the runs a dead process left open, and must know this process's own.
      openRuns: options.openRuns ?? new OpenCheckRuns(),
    };

    // A redelivered webhook already handled successfully does nothing; one that failed runs again.
    const deliveries = options.deliveries ?? new InProcessDeliveryLedger();
    // In the background, the claim is taken by the job: a job that fails releases it like any failed handler.
    const once = async (context: Delivery, work: () => Promise<boolean | void>) => {
      const job = () =>
        oncePerDelivery(deliveries, context.id, work, () =>
          app.log.info(`plan-sync: delivery ${context.id} (${context.name}) already handled: ignored`),
        );
      if (!background) return job();
      background.start(job, (error) =>
        // context.log carries the delivery id (`id`); Probot no longer sees the error, so this is its only trace.
        context.log.error(
          { err: error, event: context.name },
          `plan-sync: delivery ${context.id} (${context.name}) failed: ${describeFailure(error)}; a redelivery runs it again`,
        ),
      );
    };

    dropUnhandledDeliveries(app.webhooks, HANDLED_EVENTS);
    app.on("push", (context) => once(context, () => onPush(context, deps)));
    app.on([...PULL_REQUEST_EVENTS], (context) => once(context, () => onPullRequest(context, deps)));
    app.on(["issues.closed", "issues.reopened", "issues.edited"], (context) =>
      once(context, () => onIssueChanged(context, deps)),
    );
    app.on(["installation.created", "installation_repositories.added"], (context) =>
      once(context, () => onInstalled(context, deps)),
    );
  };
  return Object.assign(appFn, { idle: async () => (background ? background.idle() : undefined) });
}

/**
 * What `probot run ./dist/app/index.js` loads: the app plus `/healthz` and `/metrics` on Probot's server, with
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
