// `push` to the default branch (or a configured one) touching plan files or the config: each touched plan is
// synced at the branch head, under one `plan-sync` check run on the pushed commit.
import type { Context } from "probot";
import {
  CONFIG_FILE,
  CONFIG_PATH,
  describeFailure,
  type GitHubLayer,
  type Rename,
} from "../../github/index.js";
import { createPullRequestGitHub } from "../../github/pull-requests.js";
import { defaultConfig, isPlanPath, type Config } from "../../sync/config.js";
import type { RepoContext } from "../../sync/model.js";
import type { PlanRunResult } from "../workflows/sync-check-run.js";
import { loadConfig } from "../load-config.js";
import { hostOf } from "./repository.js";
import type { AppDeps } from "../deps.js";
import { updateMergedPullRequests } from "../workflows/merged-pull-requests.js";
import { reportInvalidConfig, syncPlans } from "../workflows/sync-plans.js";
import type { PlanTarget } from "../workflows/sync-one-plan.js";

interface FileChanges {
  added: Set<string>;
  modified: Set<string>;
  removed: Set<string>;
}

/** Answers false when a plan's sync failed (the check run says why): a redelivery of this push runs again. */
export async function onPush(context: Context<"push">, deps: AppDeps): Promise<boolean> {
  const { payload } = context;
  if (payload.deleted || !payload.ref.startsWith("refs/heads/")) return true;
  const branch = payload.ref.slice("refs/heads/".length);
  const repository = payload.repository;
  const repo = {
    owner: repository.owner?.login ?? repository.full_name.split("/")[0] ?? "",
    repo: repository.name,
  };
  const changes = changesOf(payload.commits);
  const touched = new Set([...changes.added, ...changes.modified, ...changes.removed]);

  const loaded = await loadConfig(() => context.config(CONFIG_FILE));
  if (!loaded.ok) {
    const watched = { ...defaultConfig(), paths: loaded.paths };
    const relevant = touched.has(CONFIG_PATH) || [...touched].some((path) => isPlanPath(watched, path));
    if (branch === repository.default_branch && relevant)
      await reportInvalidConfig(
        deps.github(context.octokit, repo),
        payload.after,
        loaded.errors,
        context.log,
      );
    return true;
  }
  const config = loaded.config;
  const branches = config.branches.length > 0 ? config.branches : [repository.default_branch];
  if (!branches.includes(branch)) return true;
  const configChanged = touched.has(CONFIG_PATH);
  const planPaths = [...touched].filter((path) => isPlanPath(config, path));
  if (!configChanged && planPaths.length === 0) return true;

  const github = deps.github(context.octokit, repo);
  const targets = await targetsOf(github, config, changes, planPaths, configChanged, payload);
  const botLogins = await deps.botLogins();
  const host = hostOf(repository.html_url);
  const results = await syncPlans(
    { github, config, branch, checkSha: payload.after, host, botLogins, targets, log: context.log },
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

/** Added/modified/removed paths over all the push's commits. */
function changesOf(
  commits: Array<{ added?: string[]; modified?: string[]; removed?: string[] }>,
): FileChanges {
  const changes: FileChanges = { added: new Set(), modified: new Set(), removed: new Set() };
  for (const commit of commits) {
    for (const path of commit.added ?? []) changes.added.add(path);
    for (const path of commit.modified ?? []) changes.modified.add(path);
    for (const path of commit.removed ?? []) changes.removed.add(path);
  }
  return changes;
}

/**
 * The plans to sync: the touched ones (every plan at the head when the config changed), a renamed file once
 * under its new path with the old one as `previousPath` (its issues follow it).
 */
async function targetsOf(
  github: GitHubLayer,
  config: Config,
  changes: FileChanges,
  planPaths: string[],
  configChanged: boolean,
  payload: { before: string; after: string },
): Promise<PlanTarget[]> {
  const renames = await renamesOf(github, config, changes, payload);
  const movedAway = new Set(renames.map((rename) => rename.from));
  const previous = new Map(renames.map((rename) => [rename.to, rename.from]));
  const paths = new Set(planPaths);
  if (configChanged) {
    const { paths: all } = await github.listPlanPaths(payload.after, (path) => isPlanPath(config, path));
    for (const path of all) paths.add(path);
  }
  return [...paths]
    .filter((path) => !movedAway.has(path) || previous.has(path))
    .sort()
    .map((path) => ({
      path,
      previousPath: previous.get(path) ?? null,
      ...(changes.removed.has(path) && !changes.added.has(path) ? { removed: true } : {}),
    }));
}

/**
 * Plan files that moved within the push: the compare API's `renamed` entries when GitHub can compare the two
 * commits; otherwise one removed and one added plan path are taken as a move.
 */
async function renamesOf(
  github: GitHubLayer,
  config: Config,
  changes: FileChanges,
  payload: { before: string; after: string },
): Promise<Rename[]> {
  const removed = [...changes.removed].filter((path) => isPlanPath(config, path) && !changes.added.has(path));
  const added = [...changes.added].filter((path) => isPlanPath(config, path) && !changes.removed.has(path));
  if (removed.length === 0 || added.length === 0) return [];
  const reported = await github.renamesBetween(payload.before, payload.after);
  if (reported)
    return reported.filter((rename) => removed.includes(rename.from) && added.includes(rename.to));
  const [from] = removed;
  const [to] = added;
  return removed.length === 1 && added.length === 1 && from && to ? [{ from, to }] : [];
}
