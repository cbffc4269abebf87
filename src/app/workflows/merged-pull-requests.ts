// After a merge, the status comment lists the issues the merge created. Two triggers call the same idempotent
// update (no write when the body is unchanged; neither creates a comment, so running side by side is harmless):
//   - `pull_request.closed` with `merged: true` (pull-request.ts). GitHub sends it at the same time as the
//     merge's `push`, so it may run before that push's sync has created the issues: those show as "not
//     created yet".
//   - the push to the default branch that the merge produced, once its sync created issues
//     (`updateMergedPullRequests`, called when the push's run concludes): it runs when the issues exist, so it is the one that
//     is always right; it finds the PR through GitHub's commit → pull requests association.
import type { GitHubLayer } from "../../github/index.js";
import type { PullRequestGitHub } from "../../github/pull-requests.js";
import type { RepoContext } from "../../sync/model.js";
import { commentStateOf, isStatusComment, withMergeSection } from "../../sync/pr-comment.js";
import { mergedPlans, renderMergeSection } from "../../sync/pr-merge.js";

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

/** The push a merge may have produced, once its plans are synced. */
export interface SyncedPush {
  github: GitHubLayer;
  prs: PullRequestGitHub;
  /** `sha`: the pushed head of the default branch; `branch`: that branch. */
  repo: RepoContext;
}

/**
 * The merged pull requests whose merge commit is the pushed head get their comment's merge section. One read
 * when the commit is no merge of a PR. Answers the numbers of the PRs whose comment was written.
 */
export async function updateMergedPullRequests(push: SyncedPush): Promise<number[]> {
  const { github, prs, repo } = push;
  const written: number[] = [];
  for (const number of await prs.mergedPullRequestsOf(repo.sha)) {
    if (await reportMerge(github, prs, number, repo)) written.push(number);
  }
  return written;
}
