// One run of a plan's sync jobs (src/app/jobs.ts): the jobs that waited for the plan together are served by ONE
// sync of the branch head. Each job's check run gets the result (a push older than the newest one served gets
// "superseded by <sha>"); the last plan of a run to report concludes that run. Paused by GitHub's rate limit:
// the run says when it resumes, and the queue runs the batch again then (a delayed job that survives a restart).
import type { Logger } from "probot";
import type { GitHubLayer } from "../../github/index.js";
import type { AppDeps, SyncOutcome } from "../deps.js";
import type { SyncPlanJob } from "../jobs.js";
import type { RunRecord } from "../run-ledger.js";
import { refreshPullRequestComments } from "./refresh-pr-comments.js";
import { reportOfPause, reportOfRun, type PlanRunResult } from "./sync-check-run.js";
import { mergeTargets, syncPlan, type PlanSyncResult } from "./sync-one-plan.js";
import { concludeStaleRuns, unsettle } from "./stale-check-runs.js";
import { updateMergedPullRequests } from "./merged-pull-requests.js";
import { describeFailure } from "../../github/index.js";

/** A plan sync's outcome as the metrics count it. */
const OUTCOMES: Record<PlanSyncResult["status"], SyncOutcome> = {
  synced: "success",
  deleted: "success",
  skipped: "success",
  missing: "success",
  refused: "failure",
  paused: "partial",
  failed: "error",
};

/** How many times a plan's sync waits out GitHub's rate limit before it leaves the rest to the next push. */
export const MAX_PAUSES = 6;

export interface PlanJobsRun {
  jobs: SyncPlanJob[];
  github: GitHubLayer;
  log: Logger;
  /** Times this batch was paused already. */
  pauses: number;
}

type Deps = Pick<
  AppDeps,
  "parsePlan" | "metrics" | "reporter" | "queue" | "runs" | "botLogins" | "openRuns" | "now"
>;

/** Answers `resumeAt` when the sync paused and is to run again then. */
export async function syncPlanJobs(run: PlanJobsRun, deps: Deps): Promise<{ resumeAt?: number }> {
  const { jobs, github, log } = run;
  const newest = jobs[jobs.length - 1] as SyncPlanJob;
  const target = jobs.reduce((older, newer) => ({ ...newer, ...mergeTargets(older, newer) }));
  const withRuns = jobs.filter((job) => job.run !== undefined);
  const newestRun = withRuns[withRuns.length - 1]?.run;
  const { owner, repo, branch, host } = newest.repo;
  const botLogins = await deps.botLogins();
  if (run.pauses > 0) await reportProgress(github, withRuns, deps, "resuming", new Date(), log);
  for (const job of jobs) if (job.run) deps.reporter?.planStarted?.(job);
  const started = performance.now();
  const result = await syncPlan(
    github,
    {
      path: target.path,
      previousPath: target.previousPath,
      ...(target.removed !== undefined ? { removed: target.removed } : {}),
      config: newest.config,
      context: { host, owner, repo, branch, botLogins },
      ...(newestRun ? { fallbackSha: newestRun.checkSha } : {}),
      ...(newest.sha ? { sha: newest.sha } : {}),
    },
    deps,
  );
  deps.metrics?.observeSync(OUTCOMES[result.status], (performance.now() - started) / 1000);
  logResult(log, newest.repo, result);
  if (result.status === "paused" && result.resumeAfterSeconds !== null && run.pauses < MAX_PAUSES) {
    const resumeAt = Date.now() + (result.resumeAfterSeconds + 1) * 1000;
    for (const job of withRuns) await report(job, result, false, github, deps, log);
    await reportProgress(github, withRuns, deps, "paused", new Date(resumeAt), log);
    return { resumeAt };
  }
  deps.metrics?.countWritesAvoided(result.untouched);
  for (const job of jobs) {
    const own = job.run && newestRun && job.run.checkSha !== newestRun.checkSha ? null : result;
    const shown: PlanRunResult = own ?? { ...result, supersededBy: newestRun?.checkSha as string };
    if (!own) deps.metrics?.observeSync("superseded", 0);
    deps.reporter?.planSynced?.(shown);
    if (job.run) await report(job, shown, true, github, deps, log);
    else if (result.status === "failed" || result.status === "paused")
      await deps.queue.forgetDelivery(job.deliveryId);
  }
  await followUps(jobs, result, github, log, deps);
  return {};
}

/** Records the plan's result on its run; the report that completes the run concludes it. */
async function report(
  job: SyncPlanJob,
  result: PlanRunResult,
  final: boolean,
  github: GitHubLayer,
  deps: Deps,
  log: Logger,
): Promise<void> {
  const slot = job.run;
  if (!slot) return;
  const complete = await deps.runs.report(slot.checkRunId, slot.index, result, final);
  if (complete) await concludeRun(complete.record, complete.results, github, deps, log);
}

/** Every plan of the run is in: the check run concludes, then what a push does after its sync. */
export async function concludeRun(
  record: RunRecord,
  results: PlanRunResult[],
  github: GitHubLayer,
  deps: Pick<Deps, "queue" | "runs" | "openRuns" | "botLogins">,
  log: Logger,
): Promise<void> {
  try {
    await github.completeCheckRun(record.checkRunId, reportOfRun(results, record.notSynced));
  } catch (error) {
    unsettle(deps.runs, record.repo, record.checkSha); // left in progress: the next push there looks for it
    throw error;
  }
  deps.openRuns?.close(record.checkRunId);
  const failed = results.some((result) => result.status === "failed" || result.status === "paused");
  if (failed) await deps.queue.forgetDelivery(record.deliveryId);
  // Last, so the sync never waits on it: the runs a dead process left open on this push's commits.
  if (record.staleRunsAt.length > 0)
    await concludeStaleRuns(github, { repo: record.repo, shas: record.staleRunsAt }, deps.runs, log);
  // A merge's push: its PR's comment lists the issues now that they exist (`closed` may have come first). Asked
  // when this run created issues, or when the head commit names a pull request (GitHub's merge and squash
  // messages do): another push's run may have created this merge's issues (merges landing close together).
  if (record.defaultBranch && (results.some(createdIssues) || record.namesPullRequest))
    await reportMergedPullRequests(record, github, deps, log);
}

/** This push's own run created issues (when a newer push's run served it, that push reports them). */
function createdIssues(result: PlanRunResult): boolean {
  return result.supersededBy === undefined && result.applied.some((operation) => operation.type === "create");
}

/** One extra read (commit → PRs), then the merge sections; a failure leaves the push's result as is. */
async function reportMergedPullRequests(
  record: RunRecord,
  github: GitHubLayer,
  deps: Pick<Deps, "botLogins">,
  log: Logger,
): Promise<void> {
  try {
    const repo = { ...record.repo, sha: record.checkSha, botLogins: await deps.botLogins() };
    const updated = await updateMergedPullRequests({ github, prs: github.pulls, repo });
    if (updated.length > 0)
      log.info({ pulls: updated }, "plan-sync: merged pull requests' comments list the new issues");
  } catch (error) {
    // The issues are synced, only the comment is behind: "not created yet" until `closed` is redelivered.
    log.error(
      { error: describeFailure(error) },
      "plan-sync: could not update the merged pull requests' comments",
    );
  }
}

/**
 * GitHub's rate limit stopped the plan part way (a first sync past the hourly budget): the check runs stay in
 * progress and say how far it got and when it resumes (or, resuming, that it does).
 */
async function reportProgress(
  github: GitHubLayer,
  jobs: SyncPlanJob[],
  deps: Pick<Deps, "runs">,
  moment: "paused" | "resuming",
  resumesAt: Date,
  log: Logger,
): Promise<void> {
  for (const job of jobs) {
    const slot = job.run as NonNullable<SyncPlanJob["run"]>;
    try {
      const results = (await deps.runs.results(slot.checkRunId))?.filter(Boolean) ?? [];
      await github.reportCheckRunProgress(slot.checkRunId, reportOfPause(results, resumesAt, moment));
    } catch (error) {
      // The limit may refuse this write too; the wait and the resume do not depend on it.
      log.warn({ error: String(error) }, "plan-sync: could not report the pause on the check run");
    }
  }
  if (moment === "paused")
    log.warn(
      { resumesAt: resumesAt.toISOString(), seconds: Math.ceil((resumesAt.getTime() - Date.now()) / 1000) },
      "plan-sync: paused by GitHub's rate limit",
    );
}

/** An issue event's sync is followed by the open PRs' comments, and the writeback of an item closed as done. */
async function followUps(
  jobs: SyncPlanJob[],
  result: PlanSyncResult,
  github: GitHubLayer,
  log: Logger,
  deps: Deps,
): Promise<void> {
  const asked = jobs.filter((job) => job.followUp);
  const last = asked[asked.length - 1];
  if (!last) return;
  const botLogins = await deps.botLogins();
  const repo = { ...last.repo, botLogins };
  const refresh = { github, prs: github.pulls, path: result.path, config: last.config, repo, log };
  await refreshPullRequestComments(refresh, deps);
  // After the refresh: `writeback: pull_request` ticks the items people closed as completed in the plan file.
  for (const job of asked) {
    const closed = job.followUp?.closed;
    if (!closed) continue;
    await deps.queue.add({
      kind: "write-back",
      installationId: job.installationId,
      deliveryId: job.deliveryId,
      repo: job.repo,
      path: result.path,
      botLogins,
      items: [closed],
      config: { max_items: job.config.max_items, draft: job.config.draft },
    });
  }
}

export function logResult(
  log: Logger,
  repoOf: { owner: string; repo: string },
  result: PlanSyncResult,
): void {
  const fields = {
    repo: `${repoOf.owner}/${repoOf.repo}`,
    plan: result.path,
    previousPath: result.previousPath ?? undefined,
    sha: result.sha ?? undefined,
    status: result.status,
    operations: result.applied.length,
    errors: result.diagnostics.filter((diagnostic) => diagnostic.severity === "error").length,
  };
  if (result.status === "failed") log.error({ ...fields, error: result.error }, "plan-sync: sync failed");
  else if (result.status === "paused")
    log.warn(
      {
        ...fields,
        error: result.error,
        resumeAfterSeconds: result.resumeAfterSeconds,
        progress: result.progress,
      },
      "plan-sync: sync paused by GitHub's rate limit",
    );
  else log.info(fields, "plan-sync: plan synced");
}
