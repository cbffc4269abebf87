// The one place jobs run (src/app/jobs.ts), whichever queue handed them over: it rebuilds the GitHub client from
// the job's installation id (`app.auth`, whose installation tokens Probot caches), and a Probot context for the
// handlers that read the config through it, then calls the workflow. Every job logs its start and end with its
// delivery id (`id`, as the handlers' own lines).
import { Context, type Logger, type Probot } from "probot";
import type { AppDeps } from "../app/deps.js";
import { handleDelivery } from "../app/index.js";
import type { DeliveryJob, KeyedJob, PullRequestJob, SyncPlanJob, WriteBackJob } from "../app/jobs.js";
import { planKey, type BatchOutcome, type JobRunner } from "../app/work-queue.js";
import { handlePullRequest } from "../app/handlers/pull-request.js";
import { syncPlanJobs } from "../app/workflows/sync-plan-jobs.js";
import { mergeClosedItems, writeBackClosedItem } from "../app/workflows/write-back-closed-items.js";
import type { GitHubClient, RepoRef } from "../github/index.js";

export interface JobRunnerOptions {
  /** The level of each job's start and end lines; default `info`. */
  jobLogLevel?: "info" | "debug";
}

export function createJobRunner(app: Probot, deps: AppDeps, options: JobRunnerOptions = {}): JobRunner {
  const clientOf = async (installationId: number | null): Promise<GitHubClient> =>
    (await app.auth(installationId ?? undefined)) as unknown as GitHubClient;
  const logOf = (deliveryId: string): Logger => app.log.child({ name: "event", id: deliveryId });
  const contextOf = async (job: DeliveryJob | PullRequestJob, log: Logger) =>
    new Context(
      { id: job.deliveryId, name: job.name, payload: job.payload } as ConstructorParameters<
        typeof Context
      >[0],
      (await clientOf(job.installationId)) as unknown as Context["octokit"],
      log,
    );
  const logged = async <T>(jobs: (DeliveryJob | KeyedJob)[], work: (log: Logger) => Promise<T>) => {
    const last = jobs[jobs.length - 1] as DeliveryJob | KeyedJob;
    const log = logOf(last.deliveryId);
    const fields = { job: last.kind, deliveries: jobs.map((job) => job.deliveryId) };
    const started = performance.now();
    const note = options.jobLogLevel === "debug" ? log.debug.bind(log) : log.info.bind(log);
    note(fields, `plan-sync: job ${last.kind} started`);
    try {
      return await work(log);
    } finally {
      const ms = Math.round(performance.now() - started);
      note({ ...fields, ms }, `plan-sync: job ${last.kind} ended`);
    }
  };
  /** The repository's batch, plan by plan in the order they came: each plan's jobs are served by one sync. */
  const syncEachPlan = async (jobs: SyncPlanJob[], pauses: number, log: Logger): Promise<BatchOutcome> => {
    const byPlan = new Map<string, SyncPlanJob[]>();
    for (const job of jobs) {
      const key = planKey(job.repo.owner, job.repo.repo, job.path);
      const planJobs = byPlan.get(key);
      if (planJobs) planJobs.push(job);
      else byPlan.set(key, [job]);
    }
    const rest: SyncPlanJob[] = [];
    let resumeAt = 0;
    for (const planJobs of byPlan.values()) {
      const newest = planJobs[planJobs.length - 1] as SyncPlanJob;
      const github = deps.github(await clientOf(newest.installationId), repoOf(newest.repo));
      const outcome = await syncPlanJobs({ jobs: planJobs, github, log, pauses }, deps);
      if (outcome.resumeAt === undefined) continue;
      rest.push(...planJobs);
      resumeAt = Math.max(resumeAt, outcome.resumeAt);
    }
    return rest.length > 0 ? { resumeAt, rest } : {};
  };
  return {
    runDelivery: (job) => logged([job], async (log) => handleDelivery(await contextOf(job, log), deps)),
    runBatch: (jobs, pauses) =>
      logged(jobs, async (log) => {
        const first = jobs[0] as KeyedJob;
        switch (first.kind) {
          case "sync-plan":
            return syncEachPlan(jobs as SyncPlanJob[], pauses, log);
          case "pull-request": {
            // The newest event of the PR: its head is the one to preview; older ones' work it covers.
            const newest = jobs[jobs.length - 1] as PullRequestJob;
            await handlePullRequest(
              (await contextOf(newest, log)) as Parameters<typeof handlePullRequest>[0],
              deps,
            );
            return {};
          }
          case "write-back": {
            const batch = jobs as WriteBackJob[];
            const items = batch.map((job) => job.items).reduce(mergeClosedItems);
            const newest = batch[batch.length - 1] as WriteBackJob;
            const github = deps.github(await clientOf(newest.installationId), repoOf(newest.repo));
            const request = {
              path: newest.path,
              defaultBranch: newest.repo.branch,
              botLogins: newest.botLogins,
              items,
              config: newest.config,
            };
            await writeBackClosedItem(github, request, deps, log);
            return {};
          }
        }
      }),
  };
}

/** Owner and name only: the GitHub layer spreads them into every request. */
function repoOf({ owner, repo }: RepoRef): RepoRef {
  return { owner, repo };
}
