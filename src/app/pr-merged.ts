// After a merge, the status comment lists the issues the merge created. Two triggers call the same idempotent
// update (no write when the body is unchanged):
//   - `pull_request.closed` with `merged: true` (wired in index.ts). GitHub sends it at the same time as the
//     merge's `push`, so it may run before that push's sync has created the issues: those show as "not created
//     yet".
//   - the push to the default branch that the merge produced, after its sync (`updateMergedPullRequests`, to be
//     called by the push handler once its plans are synced): it runs when the issues exist, so it is the one
//     that is always right; it finds the PR through GitHub's commit → pull requests association.
import type { Context } from "probot";
import type { GitHubLayer } from "../github/index.js";
import { createPullRequestGitHub, type PullRequestGitHub } from "../github/pull-requests.js";
import type { RepoContext } from "../sync/model.js";
import { commentStateOf, isStatusComment, withMergeSection } from "../sync/pr-comment.js";
import { mergedPlans, renderMergeSection } from "../sync/pr-merge.js";
import type { AppDeps } from "./deps.js";
import { hostOf } from "./push.js";

/** `repo.sha` is the merge commit. Answers whether the comment was written. */
export async function reportMerge(
  github: GitHubLayer,
  prs: PullRequestGitHub,
  number: number,
  repo: RepoContext,
): Promise<boolean> {
  const existing = await prs.findStatusComment(number, repo.botLogins, isStatusComment);
  const state = existing ? commentStateOf(existing.body) : null;
  if (!existing || !state) return false; // the PR never touched plans
  const creates = state.plans.some((plan) => plan.creates.length > 0);
  const issues = creates ? await github.listManagedIssues(repo.botLogins) : [];
  const body = withMergeSection(
    existing.body,
    renderMergeSection(mergedPlans(state, issues, repo.botLogins), repo),
  );
  return body !== null && (await prs.upsertStatusComment(number, existing, body));
}

/**
 * For the push handler, after `syncPlans` on the default branch: the merged pull requests this push's head commit
 * belongs to get their comment's merge section. One read when the commit is no merge of a PR.
 */
export async function updateMergedPullRequests(
  context: Context<"push">,
  deps: Pick<AppDeps, "github" | "botLogins">,
  pullRequests: typeof createPullRequestGitHub = createPullRequestGitHub,
): Promise<void> {
  const { payload } = context;
  const repository = payload.repository;
  if (payload.ref !== `refs/heads/${repository.default_branch}` || payload.deleted) return;
  const repo = {
    owner: repository.owner?.login ?? repository.full_name.split("/")[0] ?? "",
    repo: repository.name,
  };
  const prs = pullRequests(context.octokit, repo);
  const numbers = await prs.mergedPullRequestsOf(payload.after);
  if (numbers.length === 0) return;
  const github = deps.github(context.octokit, repo);
  const botLogins = await deps.botLogins();
  const target: RepoContext = {
    host: hostOf(repository.html_url),
    ...repo,
    sha: payload.after,
    branch: repository.default_branch,
    botLogins,
  };
  for (const number of numbers) await reportMerge(github, prs, number, target);
}
