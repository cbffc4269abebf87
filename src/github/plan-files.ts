// Reading plan files: the branch head at the time of work (so a late or out-of-order event cannot roll a plan
// back), a file's text at that commit, every plan path in the tree, and the renames between two commits.
import { statusOf, type GitHubClient, type RepoRef } from "./client.js";

/** The commit a branch points at now, or null when the branch is gone. */
export async function branchHead(
  octokit: GitHubClient,
  repo: RepoRef,
  branch: string,
): Promise<string | null> {
  try {
    const { data } = await octokit.rest.git.getRef({ ...repo, ref: `heads/${branch}` });
    return data.object.sha;
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw error;
  }
}

/** The file's text at `sha`, or null when it does not exist there (deleted, or a directory). */
export async function readFileAt(
  octokit: GitHubClient,
  repo: RepoRef,
  sha: string,
  path: string,
): Promise<string | null> {
  try {
    // The raw media type answers the bytes themselves (files up to 100 MB, no base64 round trip).
    const response = await octokit.rest.repos.getContent({
      ...repo,
      path,
      ref: sha,
      mediaType: { format: "raw" },
    });
    const data: unknown = response.data;
    if (typeof data === "string") return data;
    return null; // a directory listing: not a file
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw error;
  }
}

/** Paths of the files in the commit's tree that `isPlan` accepts (one recursive tree read). */
export async function listPlanPaths(
  octokit: GitHubClient,
  repo: RepoRef,
  sha: string,
  isPlan: (path: string) => boolean,
): Promise<{ paths: string[]; truncated: boolean }> {
  const { data } = await octokit.rest.git.getTree({ ...repo, tree_sha: sha, recursive: "1" });
  const paths = data.tree
    .filter((entry) => entry.type === "blob" && typeof entry.path === "string" && isPlan(entry.path))
    .map((entry) => entry.path as string)
    .sort();
  // GitHub cuts recursive trees past 100,000 entries / 7 MB; the caller logs it (plans past the cut are missed).
  return { paths, truncated: data.truncated };
}

export interface Rename {
  from: string;
  to: string;
}

/**
 * Renames between two commits as the compare API reports them (`renamed` with `previous_filename`), or null
 * when GitHub cannot compare them (a new branch, a force push to an unrelated history).
 */
export async function renamesBetween(
  octokit: GitHubClient,
  repo: RepoRef,
  base: string,
  head: string,
): Promise<Rename[] | null> {
  if (/^0+$/.test(base)) return null;
  try {
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
      ...repo,
      basehead: `${base}...${head}`,
      per_page: 1, // commits are not needed; files come whole with the first page
    });
    return (data.files ?? [])
      .filter((file) => file.status === "renamed" && typeof file.previous_filename === "string")
      .map((file) => ({ from: file.previous_filename as string, to: file.filename }));
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw error;
  }
}
