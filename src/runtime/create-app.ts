// createApp: plan-sync's handlers (src/app) with what the runtime gives them — the GitHub layer, the work queue
// and its worker, the push runs' ledger — each defaulting to its in-process kind. Tests and Action mode call it;
// the server (server.ts) passes the BullMQ kinds when REDIS_URL is set.
import type { ApplicationFunction, Probot } from "probot";
import type { AppDeps, RunReporter } from "../app/deps.js";
import { HANDLED_EVENTS, registerHandlers } from "../app/index.js";
import type { Job } from "../app/jobs.js";
import type { RunLedger } from "../app/run-ledger.js";
import type { JobRunner, WorkQueue } from "../app/work-queue.js";
import { createGitHubLayer, describeFailure, type ApiCallCounter } from "../github/index.js";
import { parsePlan } from "../plan/parse.js";
import { botLoginsOf } from "./bot-identity.js";
import type { DeliveryLedger } from "./deliveries.js";
import { InProcessWorkQueue } from "./in-process-queue.js";
import { createJobRunner } from "./job-worker.js";
import { instrumentOctokit, type Metrics } from "./metrics.js";
import { InProcessBackoff, shareRateLimitBackoff, type RateLimitBackoff } from "./redis/backoff.js";
import { InProcessRunLedger } from "./run-ledger.js";
import type { OpenCheckRuns } from "./shutdown.js";
import { dropUnhandledDeliveries } from "./webhook-filter.js";

/** A queue adapter: the app adds jobs to it, and it hands them to the worker (`start`). */
export interface QueueAdapter extends WorkQueue {
  start(runner: JobRunner): void | Promise<void>;
  /** Resolves once no job of this process runs or waits (tests, the Action). */
  idle(): Promise<void>;
}

export interface AppOptions {
  now?: () => Date;
  parsePlan?: AppDeps["parsePlan"];
  /** Known bot logins (skips GET /app), e.g. `["plan-sync[bot]"]`. */
  botLogins?: string[];
  /** Counts every API call the app makes (benches, metrics). */
  counter?: ApiCallCounter;
  /** Prometheus metrics: every GitHub request and every push's sync are counted into it. */
  metrics?: Metrics;
  /** Deliveries already handled (X-GitHub-Delivery) for the in-process queue; default a new ledger per app. */
  deliveries?: DeliveryLedger;
  /** Where jobs wait and who runs them; default in process, 4 keys at once. */
  queue?: QueueAdapter;
  /** Push runs waiting for their plans; default in process. */
  runs?: RunLedger;
  /** Check runs not completed yet (the in-process server concludes them as interrupted when it stops). */
  openRuns?: OpenCheckRuns;
  /** Rate-limit back-offs by account, holding every sync's writes (Redis: every instance's); default in process. */
  backoff?: RateLimitBackoff;
  /**
   * `false`: every job runs before `add` returns, so the work runs before the webhook's answer and a handler's
   * error reaches Probot (Action mode, which must finish before the step ends; tests that drive `probot.receive`).
   */
  background?: false;
  /** Told what each run did, as it happens (Action mode's log, job summary and outputs). */
  reporter?: RunReporter;
}

/** The app, and a way to wait until the work its webhooks started has finished (tests, the Action). */
export type PlanSyncApp = ApplicationFunction & { idle(): Promise<void> };

export function createApp(options: AppOptions = {}): PlanSyncApp {
  let queue: QueueAdapter | undefined = options.queue;
  const appFn = async (app: Probot) => {
    const now = options.now ?? (() => new Date());
    const backoff = options.backoff ?? new InProcessBackoff();
    queue ??= new InProcessWorkQueue({
      inline: options.background === false,
      ...(options.deliveries ? { deliveries: options.deliveries } : {}),
      failed: (job, error) => logFailure(app, job, error),
      skipped: (job) =>
        app.log.info(`plan-sync: delivery ${job.deliveryId} (${job.name}) already handled: ignored`),
    });
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
      queue,
      runs: options.runs ?? new InProcessRunLedger(),
      ...(options.metrics ? { metrics: options.metrics } : {}),
      // The in-process server concludes the runs still open when it stops.
      ...(options.openRuns ? { openRuns: options.openRuns } : {}),
      ...(options.reporter ? { reporter: options.reporter } : {}),
    };
    dropUnhandledDeliveries(app.webhooks, HANDLED_EVENTS);
    registerHandlers(app, deps);
    await queue.start(createJobRunner(app, deps));
  };
  return Object.assign(appFn, { idle: async () => queue?.idle() });
}

/** A job that threw: logged with its delivery id, its only trace (Probot no longer sees the error). */
export function logFailure(app: Probot, job: Job, error: unknown): void {
  const event = job.kind === "delivery" || job.kind === "pull-request" ? job.name : job.kind;
  app.log
    .child({ name: "event", id: job.deliveryId })
    .error(
      { err: error, event },
      `plan-sync: delivery ${job.deliveryId} (${event}) failed: ${describeFailure(error)}; a redelivery runs it again`,
    );
}
