// SPEC.md §2 "Issue events": when a person closes, reopens or edits a managed issue, the open PRs that change
// the plan get their status comment refreshed, so its table of issues shows the person's change before the
// PR's next push. Recipe: list the open PRs into the branch plans sync from (the 10 most recently updated) →
// read each one's files → for a PR that touches this plan and has our comment at its head, render the same
// preview and edit the comment (no write when nothing in it changed).
//
// No check run: a check run belongs to the head commit and reports the plan at that commit, which an issue
// event does not change; a new one per issue event would repeat the same result on the PR's checks. The
// comment is what shows the issues' states. And no new comment: a PR that never got one gets none from an
// issue.
import type { Logger } from "probot";
import { describeFailure, type GitHubLayer } from "../../github/index.js";
import type { OpenPullRequest, PullRequestGitHub } from "../../github/pull-requests.js";
import type { Config } from "../../sync/config.js";
import type { RepoContext } from "../../sync/model.js";
import { commentStateOf, isStatusComment } from "../../sync/pr-comment.js";
import type { AppDeps } from "../deps.js";
import { renderPreview, targetsOf } from "./preview-pull-request.js";

/**
 * Open PRs checked per issue event, the most recently updated first: each costs a read of its files, and
 * an issue event must stay cheap in a repository with hundreds of open PRs. A PR past the bound is refreshed
 * by its own next push.
 */
export const MAX_REFRESHED_PULL_REQUESTS = 10;

export interface PullRequestRefresh {
  github: GitHubLayer;
  prs: PullRequestGitHub;
  /** The plan the issue belongs to (its current path). */
  path: string;
  config: Config;
  /** `branch`: the branch plans sync from, which the PRs must merge into. */
  repo: Omit<RepoContext, "sha">;
  log: Logger;
}

/** What became of one PR's comment. */
export type RefreshOutcome =
  | "written"
  | "unchanged"
  /** No status comment of ours on the PR. */
  | "no comment"
  /** The comment shows another commit than the head listed: that push's own event owns it. */
  | "other commit";

/**
 * Refreshes the status comments of the open PRs that change `refresh.path`. Never throws: a failure is logged
 * with its PR and the issue event's sync stands. Answers the outcome of each PR that touches the plan.
 */
export async function refreshPullRequestComments(
  refresh: PullRequestRefresh,
  deps: Pick<AppDeps, "parsePlan">,
): Promise<Map<number, RefreshOutcome>> {
  const { prs, repo, log } = refresh;
  const outcomes = new Map<number, RefreshOutcome>();
  let pulls: OpenPullRequest[];
  try {
    pulls = await prs.listOpen(repo.branch, MAX_REFRESHED_PULL_REQUESTS);
  } catch (error) {
    log.warn({ err: error }, `plan-sync: open pull requests not listed: ${describeFailure(error)}`);
    return outcomes;
  }
  for (const pull of pulls) {
    try {
      const outcome = await refreshOne(refresh, pull, deps);
      if (outcome) outcomes.set(pull.number, outcome);
    } catch (error) {
      log.warn(
        { err: error, pull: pull.number, plan: refresh.path },
        `plan-sync: status comment of #${pull.number} not refreshed: ${describeFailure(error)}`,
      );
    }
  }
  if (outcomes.size > 0)
    log.info(
      { plan: refresh.path, pulls: Object.fromEntries(outcomes) },
      "plan-sync: status comments of open pull requests refreshed",
    );
  return outcomes;
}

/** Null: the PR does not touch the plan. */
async function refreshOne(
  refresh: PullRequestRefresh,
  pull: OpenPullRequest,
  deps: Pick<AppDeps, "parsePlan">,
): Promise<RefreshOutcome | null> {
  const { prs, repo, config } = refresh;
  const targets = targetsOf(await prs.listFiles(pull.number), config);
  if (!targets.some((target) => target.path === refresh.path || target.previousPath === refresh.path))
    return null;
  const existing = await prs.findStatusComment(pull.number, repo.botLogins, isStatusComment);
  const state = existing && commentStateOf(existing.body);
  if (!existing || !state) return "no comment";
  // A push since the listing has its own preview, which must not be rolled back.
  if (state.sha !== pull.headSha) return "other commit";
  const { github, log } = refresh;
  const run = {
    github,
    prs,
    log,
    number: pull.number,
    repo: { ...repo, sha: pull.headSha },
    parsePlan: deps.parsePlan,
  };
  // Read per PR, not shared: a refresh that took a while must see the issues as they are now.
  const issues = await github.listManagedIssues(repo.botLogins);
  const { body } = await renderPreview(run, config, targets, issues);
  return (await prs.upsertStatusComment(pull.number, existing, body)) ? "written" : "unchanged";
}
