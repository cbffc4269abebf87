// One run over the plans a push (or an install) touched: a `plan-sync` check run around a syncPlan per plan.
import type { Logger } from "probot";
import type { GitHubLayer } from "../../github/index.js";
import type { Config } from "../../sync/config.js";
import {
  reportOfFailedRun,
  reportOfInvalidConfig,
  reportOfPause,
  reportOfRun,
  type PlanRunResult,
} from "./sync-check-run.js";
import type { AppDeps, SyncOutcome } from "../deps.js";
import { mergeTargets, planKey } from "../work-queue.js";
import { concludeStaleRuns } from "./stale-check-runs.js";
import { syncPlan, type PlanSyncResult, type PlanTarget } from "./sync-one-plan.js";

export interface PlanRun {
  github: GitHubLayer;
  config: Config;
  branch: string;
  /** The commit the check run reports on (the pushed head). */
  checkSha: string;
  /** `github.com` or the GitHub Enterprise host. */
  host: string;
  botLogins: string[];
  targets: PlanTarget[];
  /** Commits where a run a dead process left in progress may be (a push's before and after): concluded first. */
  staleRunsAt?: string[];
  /** Plans this run leaves out (past `max_plans_per_push`): the check run names them. */
  notSynced?: string[];
  log: Logger;
  /** `{ sha }` when the caller read the head already (install): the plans are read at that commit. */
  at?: { sha: string };
}

/** Which run's work produced a result: one object per `syncPlans` call, compared by identity. */
export interface RunTag {
  /** The pushed commit whose run it was; null for an issue event's run (it supersedes no push). */
  sha: string | null;
}

/**
 * A result as the plan queue hands it out. Coalesced callers all get the result of the newest one's work: the tag
 * tells each caller whether its own work ran (an issue event's sync, which shares the queue, carries sha null).
 */
export type TaggedResult = PlanSyncResult & { ranFor?: RunTag };

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

/** How many times one run waits out GitHub's rate limit before it leaves the rest to the next push. */
export const MAX_PAUSES = 6;

export async function syncPlans(
  run: PlanRun,
  deps: Pick<AppDeps, "parsePlan" | "planQueue" | "metrics" | "openRuns" | "reporter">,
): Promise<PlanRunResult[]> {
  const checkRunId = await run.github.startCheckRun(run.checkSha);
  const closed = deps.openRuns?.open(run.github, checkRunId) ?? (() => {});
  try {
    return await syncAll(run, checkRunId, deps);
  } finally {
    closed();
    // Last, so the sync never waits on it: the runs a dead process left open on this push's commits.
    if (run.staleRunsAt && deps.openRuns)
      await concludeStaleRuns(run.github, run.staleRunsAt, deps.openRuns, run.log);
  }
}

async function syncAll(
  run: PlanRun,
  checkRunId: number,
  deps: Pick<AppDeps, "parsePlan" | "planQueue" | "metrics" | "reporter">,
): Promise<PlanRunResult[]> {
  const results: PlanRunResult[] = [];
  const own: RunTag = { sha: run.checkSha };
  const { owner, repo } = run.github.repo;
  const context = { host: run.host, owner, repo, branch: run.branch, botLogins: run.botLogins };
  const syncTarget = async (target: PlanTarget): Promise<PlanRunResult> => {
    // Read at the branch as it is now, not the event's sha: a late or out-of-order event cannot roll a plan back.
    // Queued behind a sync of the same plan, this run may serve later pushes too (the newest one's request).
    const sync = async (queued: PlanTarget): Promise<TaggedResult> => {
      const started = performance.now();
      const result = await syncPlan(
        run.github,
        { ...queued, config: run.config, context, fallbackSha: run.checkSha, ...run.at },
        deps,
      );
      deps.metrics?.observeSync(OUTCOMES[result.status], (performance.now() - started) / 1000);
      return { ...result, ranFor: own };
    };
    const queued = performance.now();
    const { ranFor, ...result }: TaggedResult = deps.planQueue
      ? await deps.planQueue.run(planKey(owner, repo, target.path), target, sync, mergeTargets)
      : await sync(target);
    // Only the caller whose work ran logs and counts it: coalesced callers would repeat the same sync.
    if (ranFor === own) {
      logResult(run.log, run.github.repo, result);
      deps.metrics?.countWritesAvoided(result.untouched);
    }
    const newer = ranFor !== undefined && ranFor !== own ? ranFor.sha : null;
    if (newer === null || newer === run.checkSha) return result;
    deps.metrics?.observeSync("superseded", (performance.now() - queued) / 1000);
    return { ...result, supersededBy: newer };
  };
  try {
    let pending = run.targets.map((target, index) => ({ target, index }));
    for (let pauses = 0; ; pauses++) {
      for (const { target, index } of pending) {
        deps.reporter?.planStarted?.(target);
        const result = await syncTarget(target);
        results[index] = result;
        deps.reporter?.planSynced?.(result);
      }
      pending = pending.filter(({ index }) => isPaused(results[index]));
      if (pending.length === 0 || pauses >= MAX_PAUSES) break;
      await waitOutRateLimit(run, checkRunId, results);
    }
  } catch (error) {
    // syncPlan keeps its own failures; this is the lock or the log failing. The run must not stay in progress.
    run.log.error({ error: String(error) }, "plan-sync: run failed before its plans were synced");
    await run.github.completeCheckRun(checkRunId, reportOfFailedRun(error));
    throw error;
  }
  await run.github.completeCheckRun(checkRunId, reportOfRun(results, run.notSynced));
  return results;
}

function isPaused(result: PlanRunResult | undefined): boolean {
  return result?.status === "paused" && result.supersededBy === undefined;
}

/**
 * GitHub's rate limit stopped some plans part way (a first sync past the hourly budget): the check run stays in
 * progress and says how far they got and when they resume; then the run waits, and syncs them again (each sync
 * starts from a fresh read, so it carries on where the last one stopped).
 */
async function waitOutRateLimit(run: PlanRun, checkRunId: number, results: PlanRunResult[]) {
  const now = new Date(); // the real clock: this is a wait, whatever clock the check runs are stamped with
  const seconds = Math.max(...results.filter(isPaused).map((result) => result.resumeAfterSeconds ?? 0)) + 1;
  const resumesAt = new Date(now.getTime() + seconds * 1000);
  run.log.warn({ seconds, resumesAt: resumesAt.toISOString() }, "plan-sync: paused by GitHub's rate limit");
  const report = async (moment: "paused" | "resuming") => {
    try {
      await run.github.reportCheckRunProgress(checkRunId, reportOfPause(results, resumesAt, moment));
    } catch (error) {
      // The limit may refuse this write too; the wait and the resume do not depend on it.
      run.log.warn({ error: String(error) }, "plan-sync: could not report the pause on the check run");
    }
  };
  await report("paused");
  // Until the time given, not for so long: the report itself may have waited out the shared back-off.
  const left = resumesAt.getTime() - Date.now();
  if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
  await report("resuming");
}

/** An invalid config: a failing check run that says why, and nothing else written. */
export async function reportInvalidConfig(
  github: GitHubLayer,
  checkSha: string,
  errors: string[],
  log: Logger,
) {
  log.warn({ errors }, "plan-sync: invalid .github/plan-sync.yml, nothing synced");
  const checkRunId = await github.startCheckRun(checkSha);
  await github.completeCheckRun(checkRunId, reportOfInvalidConfig(errors));
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
