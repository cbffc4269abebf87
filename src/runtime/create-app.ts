// createApp: plan-sync's handlers (src/app) with what the runtime gives them — the GitHub layer, the work queue
// and its worker, the push runs' ledger — each defaulting to its in-process kind, and the Octokit class Probot must
// build its clients from (`app.Octokit`: metrics, back-off, API counting and bot identity as its plugins). Tests
// and Action mode call it; the server (server.ts) passes the BullMQ kinds when REDIS_URL is set.
import type { ApplicationFunction, Probot } from "probot";
import type { AppDeps, RunReporter } from "../app/deps.js";
import { HANDLED_EVENTS, registerHandlers } from "../app/index.js";
import type { DeliveryJob, Job } from "../app/jobs.js";
import type { RunLedger } from "../app/run-ledger.js";
import type { JobRunner, WorkQueue } from "../app/work-queue.js";
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
import type { DeliveryLedger } from "./deliveries.js";
import { InProcessWorkQueue } from "./in-process-queue.js";
import { createJobRunner, type JobRunnerOptions } from "./job-worker.js";
import type { Metrics } from "./metrics.js";
import { InProcessBackoff, type RateLimitBackoff } from "./redis/backoff.js";
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
  /** Longest `retry-after` a request waits out; default 60 s (a longer one pauses the sync). Tests shorten it. */
  maxRateLimitWaitSeconds?: number;
  /**
   * `false`: every job runs before `add` returns, so the work runs before the webhook's answer and a handler's
   * error reaches Probot (Action mode, which must finish before the step ends; tests that drive `probot.receive`).
   */
  background?: false;
  /** Told what each run did, as it happens (Action mode's log, job summary and outputs). */
  reporter?: RunReporter;
  /** The level of each job's start and end lines; default `info` (Action mode: `debug`, see src/action/). */
  jobLogLevel?: JobRunnerOptions["jobLogLevel"];
}

/**
 * The app; the Octokit class the Probot running it must be given (`new Probot({ Octokit: app.Octokit })`: the
 * handlers refuse a client of any other); and a way to wait until the work its webhooks started has finished.
 */
export type PlanSyncApp = ApplicationFunction & { idle(): Promise<void>; readonly Octokit: PlanSyncOctokit };

export function createApp(options: AppOptions = {}): PlanSyncApp {
  let queue: QueueAdapter | undefined = options.queue;
  const Octokit = octokitOf(options);
  const appFn = async (app: Probot) => {
    const now = options.now ?? (() => new Date());
    queue ??= new InProcessWorkQueue({
      inline: options.background === false,
      ...(options.deliveries ? { deliveries: options.deliveries } : {}),
      failed: (job, error) => logFailure(app.log, job, error),
      skipped: (job) => logSkipped(app.log, job),
    });
    const deps: AppDeps = {
      now,
      parsePlan: options.parsePlan ?? parsePlan,
      github: (octokit, repo) =>
        createGitHubLayer(planSyncClient(octokit), repo, {
          now,
          warn: (message) => app.log.warn(`plan-sync: ${message}`),
        }),
      botLogins: async () => planSyncClient(await app.auth()).botLogins(),
      queue,
      runs: options.runs ?? new InProcessRunLedger(),
      ...(options.metrics ? { metrics: options.metrics } : {}),
      // The in-process server concludes the runs still open when it stops.
      ...(options.openRuns ? { openRuns: options.openRuns } : {}),
      ...(options.reporter ? { reporter: options.reporter } : {}),
    };
    dropUnhandledDeliveries(app.webhooks, HANDLED_EVENTS);
    registerHandlers(app, deps);
    const jobLogLevel = options.jobLogLevel ?? "info";
    await queue.start(createJobRunner(app, deps, { jobLogLevel }));
  };
  return Object.assign(appFn, { idle: async () => queue?.idle(), Octokit });
}

/** A job that threw: logged with its delivery id, its only trace (Probot no longer sees the error). */
export function logFailure(log: Probot["log"], job: Job, error: unknown): void {
  const event = job.kind === "delivery" || job.kind === "pull-request" ? job.name : job.kind;
  log
    .child({ name: "event", id: job.deliveryId })
    .error(
      { err: error, event },
      `plan-sync: delivery ${job.deliveryId} (${event}) failed: ${describeFailure(error)}; a redelivery runs it again`,
    );
}

/** A delivery whose id was handled already (a redelivery, or one claimed by another instance): not run again. */
export function logSkipped(log: Pick<Probot["log"], "info">, job: DeliveryJob): void {
  log.info(`plan-sync: delivery ${job.deliveryId} (${job.name}) already handled: ignored`);
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
