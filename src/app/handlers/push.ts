// `push` to the default branch (or a configured one) touching plan files or the config: each touched plan is
// synced at the branch head, under one `plan-sync` check run on the pushed commit.
import type { Context } from "probot";
import { CONFIG_FILE, CONFIG_PATH, describeFailure, type GitHubLayer } from "../../github/index.js";
import { createPullRequestGitHub } from "../../github/pull-requests.js";
import { defaultConfig, isPlanPath } from "../../sync/config.js";
import type { RepoContext } from "../../sync/model.js";
import type { AppDeps } from "../deps.js";
import { loadConfig } from "../load-config.js";
import { updateMergedPullRequests } from "../workflows/merged-pull-requests.js";
import { changesOfPush, touchedPaths, type PushChanges } from "../workflows/push-changes.js";
import { targetsOf } from "../workflows/push-targets.js";
import type { PlanRunResult } from "../workflows/sync-check-run.js";
import { reportInvalidConfig, syncPlans } from "../workflows/sync-plans.js";
import { hostOf } from "./repository.js";

/** Answers false when a plan's sync failed (the check run says why): a redelivery of this push runs again. */
export async function onPush(context: Context<"push">, deps: AppDeps): Promise<boolean> {
  const { payload } = context;
  if (payload.deleted || !payload.ref?.startsWith("refs/heads/")) return true;
  const branch = payload.ref.slice("refs/heads/".length);
  const repository = payload.repository;
  const repo = {
    owner: repository.owner?.login ?? repository.full_name.split("/")[0] ?? "",
    repo: repository.name,
  };
  const github = deps.github(context.octokit, repo);
  // Asked once, and only for a push on a branch that matters: compare costs a read when the payload may be cut.
  let pushed: PushChanges | undefined;
  const changesNow = async () => (pushed ??= await changesOfPush(payload, github));
  const touchedNow = async () => {
    const changes = await changesNow();
    return changes.kind === "listed" ? touchedPaths(changes.changes) : null;
  };

  const loaded = await loadConfig(() => context.config(CONFIG_FILE));
  if (!loaded.ok) {
    const watched = { ...defaultConfig(), paths: loaded.paths };
    const touched = branch === repository.default_branch ? await touchedNow() : new Set<string>();
    const relevant =
      touched === null || touched.has(CONFIG_PATH) || [...touched].some((path) => isPlanPath(watched, path));
    if (branch === repository.default_branch && relevant) {
      await reportInvalidConfig(github, payload.after, loaded.errors, context.log);
      deps.reporter?.configRejected?.(loaded.errors);
    }
    return true;
  }
  const config = loaded.config;
  const branches = config.branches.length > 0 ? config.branches : [repository.default_branch];
  if (!branches.includes(branch)) return true;
  const touched = await touchedNow();
  // Changes past what compare can tell: every plan is a candidate, as when the config changes.
  const everyPlan = touched === null || touched.has(CONFIG_PATH);
  if (!everyPlan && ![...touched].some((path) => isPlanPath(config, path))) return true;

  const botLogins = await deps.botLogins();
  const { targets, notSynced } = await targetsOf(
    github,
    config,
    await changesNow(),
    everyPlan,
    payload,
    botLogins,
  );
  const host = hostOf(repository.html_url);
  const results = await syncPlans(
    {
      github,
      config,
      branch,
      checkSha: payload.after,
      host,
      botLogins,
      targets,
      notSynced,
      staleRunsAt: [payload.before, payload.after],
      log: context.log,
    },
    deps,
  );
  // A merge's push: its PR's comment lists the issues now that they exist (`closed` may have come first). Asked
  // when this run created issues, or when the head commit names a pull request (GitHub's merge and squash
  // messages do): another push's run may have created this merge's issues (merges landing close together).
  const namesPullRequest = /Merge pull request #\d+|\(#\d+\)\s*$/m.test(payload.head_commit?.message ?? "");
  if (branch === repository.default_branch && (results.some(createdIssues) || namesPullRequest))
    await reportMergedPullRequests(
      context,
      github,
      { host, ...repo, sha: payload.after, branch, botLogins },
      deps,
    );
  return results.every((result) => result.status !== "failed" && result.status !== "paused");
}

/** This push's own run created issues (when a newer push's run served it, that push reports them). */
function createdIssues(result: PlanRunResult): boolean {
  return result.supersededBy === undefined && result.applied.some((operation) => operation.type === "create");
}

/** One extra read (commit → PRs), then the merge sections; a failure leaves the push's result as is. */
async function reportMergedPullRequests(
  context: Context<"push">,
  github: GitHubLayer,
  repo: RepoContext,
  deps: AppDeps,
): Promise<void> {
  const prs = createPullRequestGitHub(context.octokit, github.repo);
  try {
    const updated = await updateMergedPullRequests({ github, prs, repo, planQueue: deps.planQueue });
    if (updated.length > 0)
      context.log.info({ pulls: updated }, "plan-sync: merged pull requests' comments list the new issues");
  } catch (error) {
    // The issues are synced, only the comment is behind: "not created yet" until `closed` is redelivered.
    context.log.error(
      { error: describeFailure(error) },
      "plan-sync: could not update the merged pull requests' comments",
    );
  }
}
