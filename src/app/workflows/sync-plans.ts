// A push (or an install) that touches plans: one `plan-sync` check run on the pushed commit, and one sync job per
// plan (src/app/jobs.ts), each reporting to that run; the last to report concludes it (sync-plan-jobs.ts).
import type { Logger } from "probot";
import type { GitHubLayer } from "../../github/index.js";
import type { Config } from "../../sync/config.js";
import { reportOfFailedRun, reportOfInvalidConfig, reportOfQueued } from "./sync-check-run.js";
import type { AppDeps } from "../deps.js";
import type { JobRepo } from "../jobs.js";
import type { RunLedger, RunRecord } from "../run-ledger.js";
import type { PlanTarget } from "./sync-one-plan.js";
import { concludeRun } from "./sync-plan-jobs.js";
import { unsettle } from "./stale-check-runs.js";

export interface PlanRun {
  github: GitHubLayer;
  installationId: number | null;
  deliveryId: string;
  reason: "push" | "install";
  repo: JobRepo;
  config: Config;
  /** The commit the check run reports on (the pushed head). */
  checkSha: string;
  targets: PlanTarget[];
  /** Commits where a run a dead process left in progress may be (a push's before, then after): concluded last. */
  staleRunsAt?: string[];
  /** Plans this run leaves out (past `max_plans_per_push`): the check run names them. */
  notSynced?: string[];
  /** A push to the default branch: merged PRs' comments may list the issues its sync creates. */
  defaultBranch?: boolean;
  /** The head commit's message names a pull request (a merge). */
  namesPullRequest?: boolean;
  /** `{ sha }` when the caller read the head already (install): the plans are read at that commit. */
  at?: { sha: string };
}

/** Starts the run's check run and adds one sync job per plan. */
export async function syncPlans(
  run: PlanRun,
  deps: Pick<AppDeps, "queue" | "runs" | "openRuns" | "botLogins">,
  log: Logger,
): Promise<void> {
  unsettle(deps.runs, run.repo, run.checkSha);
  const checkRunId = await run.github.startCheckRun(
    run.checkSha,
    run.targets.length > 0 ? reportOfQueued(run.targets) : undefined,
  );
  deps.openRuns?.open(run.github, checkRunId);
  const record: RunRecord = {
    checkRunId,
    checkSha: run.checkSha,
    installationId: run.installationId,
    deliveryId: run.deliveryId,
    repo: run.repo,
    plans: run.targets.length,
    notSynced: run.notSynced ?? [],
    staleRunsAt: run.staleRunsAt ?? [],
    namesPullRequest: run.namesPullRequest ?? false,
    defaultBranch: run.defaultBranch ?? false,
  };
  try {
    if (run.targets.length === 0) return await concludeRun(record, [], run.github, deps, log);
    await deps.runs.open(record);
    for (const [index, target] of run.targets.entries())
      await deps.queue.add({
        kind: "sync-plan",
        ...target,
        installationId: run.installationId,
        deliveryId: run.deliveryId,
        reason: run.reason,
        repo: run.repo,
        config: run.config,
        ...run.at,
        run: { checkRunId, checkSha: run.checkSha, index },
      });
  } catch (error) {
    // The queue (Redis) refused the jobs: the run must not stay in progress.
    log.error({ error: String(error) }, "plan-sync: run failed before its plans were synced");
    await run.github.completeCheckRun(checkRunId, reportOfFailedRun(error));
    throw error;
  }
}

/** An invalid config: a failing check run that says why, and nothing else written. */
export async function reportInvalidConfig(
  github: GitHubLayer,
  at: { repo: { owner: string; repo: string }; checkSha: string; runs: Pick<RunLedger, "settled"> },
  errors: string[],
  log: Logger,
) {
  log.warn({ errors }, "plan-sync: invalid .github/plan-sync.yml, nothing synced");
  const { checkSha } = at;
  unsettle(at.runs, at.repo, checkSha);
  const checkRunId = await github.startCheckRun(checkSha);
  await github.completeCheckRun(checkRunId, reportOfInvalidConfig(errors));
}
