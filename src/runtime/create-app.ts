// createApp: plan-sync's handlers (src/app) with what the runtime gives them — the GitHub layer, the queue, the
// delivery ledger, background work — each defaulting to its in-process kind. Tests and Action mode call it; the
// server (server.ts) passes the shared kinds.
import type { ApplicationFunction, Probot } from "probot";
import type { AppDeps, RunReporter } from "../app/deps.js";
import { HANDLED_EVENTS, registerHandlers, type RunDelivery } from "../app/index.js";
import { createGitHubLayer, describeFailure, type ApiCallCounter } from "../github/index.js";
import { parsePlan } from "../plan/parse.js";
import { BackgroundWork } from "./background-work.js";
import { botLoginsOf } from "./bot-identity.js";
import { InProcessDeliveryLedger, oncePerDelivery, type DeliveryLedger } from "./deliveries.js";
import { instrumentOctokit, type Metrics } from "./metrics.js";
import { PlanQueue } from "./plan-queue.js";
import { InProcessBackoff, shareRateLimitBackoff, type RateLimitBackoff } from "./redis/backoff.js";
import { OpenCheckRuns } from "./shutdown.js";
import { dropUnhandledDeliveries } from "./webhook-filter.js";

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
  /** Told what each run did, as it happens (Action mode's log, job summary and outputs). */
  reporter?: RunReporter;
}

/** The app, and a way to wait until the work its webhooks started has finished (tests, the Action). */
export type PlanSyncApp = ApplicationFunction & { idle(): Promise<void> };

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
      ...(options.reporter ? { reporter: options.reporter } : {}),
    };

    // A redelivered webhook already handled successfully does nothing; one that failed runs again.
    const deliveries = options.deliveries ?? new InProcessDeliveryLedger();
    // In the background, the claim is taken by the job: a job that fails releases it like any failed handler.
    const once: RunDelivery = async (context, work) => {
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
    registerHandlers(app, deps, once);
  };
  return Object.assign(appFn, { idle: async () => (background ? background.idle() : undefined) });
}
