import { ApiError } from "./api-error.js";
import type { Commit } from "./git.js";
import type { Actor, Issue, PullRequest, Repo, Store } from "./store.js";

/** The commits a PR compares: the heads of its branches, or the two commits its merge joined. */
export function pullEnds(repo: Repo, pull: PullRequest): { base: Commit; head: Commit } {
  const at = (ref: string) => {
    const commit = repo.git.resolve(ref);
    if (!commit) throw new ApiError(404, `No commit found for the ref ${ref}`);
    return commit;
  };
  return pull.merge
    ? { base: at(pull.merge.baseSha), head: at(pull.merge.headSha) }
    : { base: at(pull.base), head: at(pull.head) };
}

/** The PR's own commits: reachable from its head and not from its base. */
function commitsOf(repo: Repo, pull: PullRequest): Set<string> {
  const { base, head } = pullEnds(repo, pull);
  const onBase = new Set(repo.git.history(base.sha).map((commit) => commit.sha));
  return new Set(
    repo.git
      .history(head.sha)
      .map((commit) => commit.sha)
      .filter((sha) => !onBase.has(sha)),
  );
}

/**
 * GitHub's "Create a merge commit": the base branch gets a commit whose parents are its head and the PR's
 * head, and whose files are the base's with the PR's changes since their merge base applied (the PR's side
 * wins: the fake knows no conflicts). The PR is then closed and merged. Answers the merge commit.
 */
export function mergePullRequest(store: Store, issue: Issue, actor: Actor): Commit {
  const pull = issue.pull;
  if (!pull) throw new Error(`#${issue.number} is not a pull request`);
  if (pull.merge || issue.state === "closed") throw new Error(`#${issue.number} is closed already`);
  const { git } = issue.repo;
  const { base, head } = pullEnds(issue.repo, pull);
  const changes: Record<string, string | null> = {};
  for (const file of git.diff(git.mergeBase(base, head), head)) {
    if (file.previous_filename !== undefined) changes[file.previous_filename] = null;
    changes[file.filename] =
      file.status === "removed" ? null : (head.files.get(file.filename)?.content ?? null);
  }
  const at = store.now();
  const commit = git.commit(pull.base, changes, {
    message: `Merge pull request #${issue.number} from ${issue.repo.owner.login}/${pull.head}`,
    date: at,
    author: actor.user.login,
    parent: base.sha,
    merging: head.sha,
  });
  pull.merge = { sha: commit.sha, at, headSha: head.sha, baseSha: base.sha };
  issue.state = "closed";
  issue.closedAt = at;
  issue.closedBy = actor.user;
  issue.updatedAt = at;
  return commit;
}

/**
 * GitHub's commit → pull requests association (`GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls`): the
 * merged PRs whose merge commit it is or that brought it in, and the open PRs that contain it; newest first.
 */
export function pullRequestsOfCommit(store: Store, repo: Repo, ref: string): Issue[] {
  const commit = repo.git.resolve(ref);
  if (!commit) throw new ApiError(422, `No commit found for SHA: ${ref}`);
  return store
    .issuesOf(repo)
    .filter((issue) => {
      const pull = issue.pull;
      if (!pull || (issue.state === "closed" && !pull.merge)) return false;
      return pull.merge?.sha === commit.sha || commitsOf(repo, pull).has(commit.sha);
    })
    .sort((a, b) => b.number - a.number);
}
