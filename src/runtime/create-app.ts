// createApp: plan-sync's handlers (src/app) with what the runtime gives them — the GitHub layer, the queue, the
// delivery ledger, background work — each defaulting to its in-process kind, and the Octokit class Probot must
// build its clients from (`app.Octokit`: metrics, back-off, API counting and bot identity as its plugins). Tests
// and Action mode call it; the server (server.ts) passes the shared kinds.
import type { ApplicationFunction, Probot } from "probot";
import type { AppDeps, RunReporter } from "../app/deps.js";
import { HANDLED_EVENTS, registerHandlers, type RunDelivery } from "../app/index.js";
import {
  createGitHubLayer,
  createPlanSyncOctokit,
  describeFailure,
  planSyncClient,
  type ApiCallCounter,
  type PlanSyncOctokit,
  type RequestObserver,
} from "../github/index.js";
import { parsePlan } from "../plan/parse.js";
import { BackgroundWork } from "./background-work.js";
import { InProcessDeliveryLedger, oncePerDelivery, type DeliveryLedger } from "./deliveries.js";
import type { Metrics } from "./metrics.js";
import { PlanQueue } from "./plan-queue.js";
import { InProcessBackoff, type RateLimitBackoff } from "./redis/backoff.js";
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
  /** Longest `retry-after` a request waits out; default 60 s (a longer one pauses the sync). Tests shorten it. */
  maxRateLimitWaitSeconds?: number;
  /**
   * Where handlers run their work after the webhook is answered (SPEC.md §6); default a new one per app.
   * `false`: the work runs before the answer and a handler's error reaches Probot (Action mode, which must finish
   * before the step ends; tests that drive `probot.receive`).
   */
  background?: BackgroundWork | false;
  /** Told what each run did, as it happens (Action mode's log, job summary and outputs). */
  reporter?: RunReporter;
}

/**
 * The app; the Octokit class the Probot running it must be given (`new Probot({ Octokit: app.Octokit })`: the
 * handlers refuse a client of any other); and a way to wait until the work its webhooks started has finished.
 */
export type PlanSyncApp = ApplicationFunction & { idle(): Promise<void>; readonly Octokit: PlanSyncOctokit };

export function createApp(options: AppOptions = {}): PlanSyncApp {
  const background = options.background ?? new BackgroundWork();
  const Octokit = octokitOf(options);
  const appFn = (app: Probot) => {
    const now = options.now ?? (() => new Date());
    const deps: AppDeps = {
      now,
      parsePlan: options.parsePlan ?? parsePlan,
      github: (octokit, repo) =>
        createGitHubLayer(planSyncClient(octokit), repo, {
          now,
          warn: (message) => app.log.warn(`plan-sync: ${message}`),
        }),
      botLogins: async () => planSyncClient(await app.auth()).botLogins(),
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
  return Object.assign(appFn, { idle: async () => (background ? background.idle() : undefined), Octokit });
}

/** The class with this app's plugin options: what it counts into, where back-offs are kept, who the bot is. */
function octokitOf(options: AppOptions): PlanSyncOctokit {
  const { metrics, counter } = options;
  const observeRequests: RequestObserver[] = [];
  if (metrics) observeRequests.push((request) => metrics.observeGitHubRequest(request));
  if (counter) observeRequests.push(counter.observe);
  return createPlanSyncOctokit({
    throttle: {
      ...(options.maxRateLimitWaitSeconds === undefined
        ? {}
        : { maxWaitSeconds: options.maxRateLimitWaitSeconds }),
      ...(metrics ? { onWait: (kind) => metrics.countRateLimitWait(kind) } : {}),
    },
    observeRequests,
    rateLimitBackoff: options.backoff ?? new InProcessBackoff(),
    ...(options.botLogins ? { botLogins: options.botLogins } : {}),
  });
}
