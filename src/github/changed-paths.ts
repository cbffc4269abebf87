// The paths a push changed, from GitHub's compare API, for pushes whose payload may not list them all (see
// src/app/push-changes.ts). Compare answers every changed file up to 300, on its first page; past that the list is
// cut and the caller falls back to the tree at the head.
// https://docs.github.com/en/rest/commits/commits#compare-two-commits ("Working with large comparisons")
import { statusOf, type GitHubClient, type RepoRef } from "./client.js";
import type { Rename } from "./plan-files.js";

/** GitHub lists at most this many files of a comparison; a list this long may be cut. */
export const COMPARE_FILE_LIMIT = 300;

export interface ChangedPaths {
  added: Set<string>;
  modified: Set<string>;
  removed: Set<string>;
  renames: Rename[];
}

interface CompareFile {
  filename: string;
  status: string;
  previous_filename?: string;
}

/**
 * What differs between `base` and `head`, or null when compare cannot tell it all: `base` is no commit (a new
 * branch), GitHub does not know it (404), or the list reached GitHub's limit. A force push compares both ways
 * from the merge base (three-dot compare shows only the head's side), so a change the push dropped counts too.
 */
export async function changedPathsBetween(
  octokit: GitHubClient,
  repo: RepoRef,
  base: string,
  head: string,
  forced: boolean,
): Promise<ChangedPaths | null> {
  if (/^0+$/.test(base)) return null;
  const ahead = await compareFiles(octokit, repo, base, head);
  if (!ahead) return null;
  const changes = pathsOf(ahead);
  if (!forced) return changes;
  const dropped = await compareFiles(octokit, repo, head, base);
  if (!dropped) return null;
  for (const file of dropped) {
    for (const [path, change] of droppedChanges(file)) {
      if (changes.added.has(path) || changes.modified.has(path) || changes.removed.has(path)) continue;
      changes[change].add(path);
    }
  }
  return changes;
}

/** The files of one comparison, or null when GitHub cannot compare or the list may be cut. */
async function compareFiles(
  octokit: GitHubClient,
  repo: RepoRef,
  base: string,
  head: string,
): Promise<CompareFile[] | null> {
  try {
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
      ...repo,
      basehead: `${base}...${head}`,
      per_page: 1, // commits are not needed; the files come whole with the first page
    });
    const files = (data.files ?? []) as CompareFile[];
    return files.length >= COMPARE_FILE_LIMIT ? null : files;
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw error;
  }
}

/**
 * A change only on the side a force push dropped (merge base → old head): at the new head the path is as at the
 * merge base, so what the old side added or renamed to is gone, and what it changed or removed is there.
 */
function droppedChanges(file: CompareFile): Array<[string, "modified" | "removed"]> {
  if (file.status === "added") return [[file.filename, "removed"]];
  if (file.status === "renamed" && file.previous_filename)
    return [
      [file.filename, "removed"],
      [file.previous_filename, "modified"],
    ];
  return [[file.filename, "modified"]];
}

function pathsOf(files: CompareFile[]): ChangedPaths {
  const changes: ChangedPaths = { added: new Set(), modified: new Set(), removed: new Set(), renames: [] };
  for (const file of files) {
    if (file.status === "added") changes.added.add(file.filename);
    else if (file.status === "removed") changes.removed.add(file.filename);
    else if (file.status === "renamed" && file.previous_filename) {
      changes.removed.add(file.previous_filename);
      changes.added.add(file.filename);
      changes.renames.push({ from: file.previous_filename, to: file.filename });
    } else changes.modified.add(file.filename);
  }
  return changes;
}
