// Pull requests: the files a PR changes, our one status comment on it (found by author AND marker, on every
// page), the live state of issues a plan references, the PRs a merge commit belongs to, and the open PRs an
// issue event refreshes.
// Nothing here writes to an issue: PR events only write their comment and check run.
import type { ReferenceState } from "../sync/model.js";
import type { IssueAddress } from "../sync/references.js";
import { statusOf, type GitHubClient, type RepoRef } from "./client.js";
import { readIssueStates } from "./issue-states.js";

export interface PullRequestFile {
  path: string;
  status: string;
  /** The path before a rename. */
  previousPath: string | null;
}

/** An open PR as listed: its number and the commit its head was at. */
export interface OpenPullRequest {
  number: number;
  headSha: string;
}

export interface StatusComment {
  id: number;
  body: string;
}

export interface PullRequestGitHub {
  /** The `limit` most recently updated open PRs into `base`, newest first: one request (limit ≤ 100). */
  listOpen(base: string, limit: number): Promise<OpenPullRequest[]>;
  listFiles(number: number): Promise<PullRequestFile[]>;
  /** Our bot's comment carrying our marker; a person's comment with the marker is never ours. */
  findStatusComment(
    number: number,
    botLogins: string[],
    isOurs: (body: string) => boolean,
  ): Promise<StatusComment | null>;
  /** Creates the comment, or edits it when its body differs; answers whether it wrote. */
  upsertStatusComment(number: number, existing: StatusComment | null, body: string): Promise<boolean>;
  /** Live states by `owner/repo#N` (lower-cased); unreachable issues are left out. */
  readIssueStates(keys: Map<string, IssueAddress>): Promise<Record<string, ReferenceState>>;
  /** Merged PRs whose merge produced `sha` (GitHub's commit → pulls association). */
  mergedPullRequestsOf(sha: string): Promise<number[]>;
}

export function createPullRequestGitHub(octokit: GitHubClient, repo: RepoRef): PullRequestGitHub {
  return {
    async listOpen(base, limit) {
      // https://docs.github.com/en/rest/pulls/pulls#list-pull-requests
      // One page on purpose: a bound, not a walk.
      const { data } = await octokit.rest.pulls.list({
        ...repo,
        state: "open",
        base,
        sort: "updated",
        direction: "desc",
        per_page: Math.min(limit, 100),
      });
      return data.slice(0, limit).map((pull) => ({ number: pull.number, headSha: pull.head.sha }));
    },

    async listFiles(number) {
      // https://docs.github.com/en/rest/pulls/pulls#list-pull-requests-files — 100 a page, 3,000 files at most.
      const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
        ...repo,
        pull_number: number,
        per_page: 100,
      });
      return files.map((file) => ({
        path: file.filename,
        status: file.status,
        previousPath: file.previous_filename ?? null,
      }));
    },

    async findStatusComment(number, botLogins, isOurs) {
      const bots = new Set(botLogins.map((login) => login.toLowerCase()));
      const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
        ...repo,
        issue_number: number,
        per_page: 100,
      });
      for await (const page of pages) {
        for (const comment of page.data) {
          const author = comment.user?.login.toLowerCase() ?? "";
          if (bots.has(author) && isOurs(comment.body ?? ""))
            return { id: comment.id, body: comment.body ?? "" };
        }
      }
      return null;
    },

    async upsertStatusComment(number, existing, body) {
      if (existing) {
        if (existing.body === body) return false;
        await octokit.rest.issues.updateComment({ ...repo, comment_id: existing.id, body });
        return true;
      }
      await octokit.rest.issues.createComment({ ...repo, issue_number: number, body });
      return true;
    },

    readIssueStates: (keys) => readIssueStates(octokit, keys),

    async mergedPullRequestsOf(sha) {
      try {
        const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
          ...repo,
          commit_sha: sha,
        });
        return data
          .filter((pull) => pull.merged_at !== null && pull.merge_commit_sha === sha)
          .map((pull) => pull.number);
      } catch (error) {
        if (statusOf(error) === 404 || statusOf(error) === 422) return [];
        throw error;
      }
    },
  };
}
