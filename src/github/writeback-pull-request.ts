// The writeback pull request on GitHub (SPEC.md §2, `writeback: pull_request`): one branch and one open PR per
// plan file. Reads tell where the next commit goes; the write commits the edited file (contents API, with the
// blob sha it was read at, so a file changed meanwhile is refused rather than overwritten) and opens or updates
// the PR. A branch whose last commit is not ours is a person's work: it is never moved.
import { statusOf, type GitHubClient, type RepoRef } from "./client.js";
import { branchHead } from "./plan-files.js";

/** A file as read for an edit: its text and the blob sha the contents API needs to replace it. */
export interface EditableFile {
  text: string;
  blobSha: string;
}

export interface WritebackPullRequest {
  number: number;
  body: string;
}

/** Where the next writeback commit goes. */
export type WritebackBase =
  /** No branch yet (or one still at the default head): start from the default branch's head. */
  | { kind: "new"; from: string; branchExists: boolean }
  /** Our branch with no open PR (merged or closed): moved back to the default head, our commits dropped. */
  | { kind: "reset"; from: string }
  /** Our branch with its open PR: the next commit goes on top. */
  | { kind: "open"; head: string; pr: WritebackPullRequest }
  /** The branch's last commit is someone else's: left alone. */
  | { kind: "foreign"; head: string; author: string | null };

export interface WritebackWrite {
  branch: string;
  base: Exclude<WritebackBase, { kind: "foreign" }>;
  defaultBranch: string;
  path: string;
  /** The file as read where the commit goes (the branch's file, or the default head's). */
  file: EditableFile;
  text: string;
  message: string;
  title: string;
  body: string;
}

export interface WritebackGitHub {
  /** The file's text and blob sha at a commit or branch, or null when it is not there. */
  readEditableFile(ref: string, path: string): Promise<EditableFile | null>;
  branchHead(branch: string): Promise<string | null>;
  /** Where a commit to `branch` goes, given the default branch's head now. */
  writebackBase(branch: string, defaultHead: string, botLogins: string[]): Promise<WritebackBase>;
  /** Commits the edited file and opens the PR (or updates its body); answers the PR's number. */
  writeWriteback(write: WritebackWrite): Promise<{ pr: number; created: boolean; commit: string }>;
}

export function createWritebackGitHub(octokit: GitHubClient, repo: RepoRef): WritebackGitHub {
  return {
    async readEditableFile(ref, path) {
      try {
        const { data } = await octokit.rest.repos.getContent({ ...repo, path, ref });
        if (Array.isArray(data) || data.type !== "file") return null;
        // Files over 1 MB come without content (`encoding: none`): plans that large are refused anyway.
        if (!("content" in data) || data.encoding !== "base64") return null;
        return { text: Buffer.from(data.content, "base64").toString("utf8"), blobSha: data.sha };
      } catch (error) {
        if (statusOf(error) === 404) return null;
        throw error;
      }
    },

    branchHead: (branch) => branchHead(octokit, repo, branch),

    async writebackBase(branch, defaultHead, botLogins) {
      const head = await branchHead(octokit, repo, branch);
      if (head === null) return { kind: "new", from: defaultHead, branchExists: false };
      if (head === defaultHead) return { kind: "new", from: defaultHead, branchExists: true };
      const author = await commitAuthor(octokit, repo, head);
      const bots = botLogins.map((login) => login.toLowerCase());
      if (!author || !bots.includes(author.toLowerCase())) return { kind: "foreign", head, author };
      const pr = await openPullRequestOf(octokit, repo, branch);
      return pr ? { kind: "open", head, pr } : { kind: "reset", from: defaultHead };
    },

    async writeWriteback(write) {
      const { base, branch } = write;
      if (base.kind === "new" && !base.branchExists)
        await octokit.rest.git.createRef({ ...repo, ref: `refs/heads/${branch}`, sha: base.from });
      // Only our own commits are dropped here: `writebackBase` answers `reset` for a branch whose head is ours.
      if (base.kind === "reset")
        await octokit.rest.git.updateRef({ ...repo, ref: `heads/${branch}`, sha: base.from, force: true });
      const { data: committed } = await octokit.rest.repos.createOrUpdateFileContents({
        ...repo,
        path: write.path,
        branch,
        message: write.message,
        content: Buffer.from(write.text, "utf8").toString("base64"),
        sha: write.file.blobSha,
      });
      const commit = committed.commit.sha ?? "";
      if (base.kind === "open") {
        // A PR's body is its issue's body: the issues endpoint edits it.
        if (base.pr.body !== write.body)
          await octokit.rest.issues.update({ ...repo, issue_number: base.pr.number, body: write.body });
        return { pr: base.pr.number, created: false, commit };
      }
      const { data: pr } = await octokit.rest.pulls.create({
        ...repo,
        head: branch,
        base: write.defaultBranch,
        title: write.title,
        body: write.body,
      });
      return { pr: pr.number, created: true, commit };
    },
  };
}

/** Who wrote a commit: its GitHub account when GitHub knows it, else the git author's name. */
async function commitAuthor(octokit: GitHubClient, repo: RepoRef, sha: string): Promise<string | null> {
  const { data } = await octokit.rest.repos.getCommit({ ...repo, ref: sha, per_page: 1 });
  return data.author?.login ?? data.commit.author?.name ?? null;
}

/** The open PR from `branch` of this repository (pulls are listed by `owner:branch`). */
async function openPullRequestOf(
  octokit: GitHubClient,
  repo: RepoRef,
  branch: string,
): Promise<WritebackPullRequest | null> {
  const { data } = await octokit.rest.pulls.list({
    ...repo,
    head: `${repo.owner}:${branch}`,
    state: "open",
    per_page: 1,
  });
  const pr = data[0];
  return pr ? { number: pr.number, body: pr.body ?? "" } : null;
}
