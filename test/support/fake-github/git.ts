import { createHash } from "node:crypto";

/** One file in a commit; `sha` is the git blob id, computed as git does, so it matches what tools expect. */
export interface FileEntry {
  path: string;
  content: string;
  sha: string;
}

export interface Commit {
  sha: string;
  treeSha: string;
  parents: string[];
  message: string;
  author: { name: string; email: string; date: string };
  files: ReadonlyMap<string, FileEntry>;
}

/** A file's change between two commits, shaped like the entries of GitHub's compare / PR files APIs. */
export interface FileDiff {
  filename: string;
  status: "added" | "modified" | "removed" | "renamed";
  previous_filename?: string;
  sha: string | null;
  additions: number;
  deletions: number;
  changes: number;
}

/** Path → new content; null deletes the file. */
export type FileChanges = Record<string, string | null>;

export interface TreeEntry {
  path: string;
  mode: string;
  type: "blob" | "tree";
  sha: string;
  size?: number;
}

const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");

export function blobSha(content: string): string {
  const bytes = Buffer.from(content, "utf8");
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

/** Branches and commits of one repository. Commits are immutable snapshots of every file. */
export class GitHistory {
  readonly commits = new Map<string, Commit>();
  readonly branches = new Map<string, string>();
  /** tree sha → the directory (prefix "" for the root) of a commit it names. */
  private readonly trees = new Map<string, { commit: Commit; prefix: string }>();
  private counter = 0;

  commit(
    branch: string,
    changes: FileChanges,
    meta: { message: string; date: string; author?: string; parent?: string; merging?: string },
  ): Commit {
    const parentSha = meta.parent ?? this.branches.get(branch);
    const parent = parentSha ? this.commits.get(parentSha) : undefined;
    const files = new Map(parent?.files ?? []);
    for (const [path, content] of Object.entries(changes)) {
      const clean = path.replace(/^\/+/, "");
      if (content === null) files.delete(clean);
      else files.set(clean, { path: clean, content, sha: blobSha(content) });
    }
    const treeSha = this.treeShaOf(files, "");
    const author = meta.author ?? "fake-github";
    const sha = sha1(`${treeSha}\n${parentSha ?? ""}\n${meta.message}\n${meta.date}\n${++this.counter}`);
    const commit: Commit = {
      sha,
      treeSha,
      // A merge commit's second parent is the merged head (history walks it; diffs use the first parent).
      parents: [...(parentSha ? [parentSha] : []), ...(meta.merging ? [meta.merging] : [])],
      message: meta.message,
      author: { name: author, email: `${author}@users.noreply.github.com`, date: meta.date },
      files,
    };
    this.commits.set(sha, commit);
    this.registerTrees(commit);
    this.branches.set(branch, sha);
    return commit;
  }

  /** A branch name (`main`, `heads/main`, `refs/heads/main`), a full sha or an unambiguous prefix of 7+. */
  resolve(ref: string): Commit | undefined {
    const name = ref.replace(/^refs\//, "").replace(/^heads\//, "");
    const branchSha = this.branches.get(name);
    if (branchSha) return this.commits.get(branchSha);
    if (!/^[0-9a-f]{7,40}$/.test(ref)) return undefined;
    const found = [...this.commits.values()].filter((commit) => commit.sha.startsWith(ref));
    return found.length === 1 ? found[0] : undefined;
  }

  /** Commits reachable from `sha`, newest first (breadth-first over parents). */
  history(sha: string): Commit[] {
    const seen = new Set<string>();
    const out: Commit[] = [];
    const queue = [sha];
    while (queue.length > 0) {
      const next = this.commits.get(queue.shift() as string);
      if (!next || seen.has(next.sha)) continue;
      seen.add(next.sha);
      out.push(next);
      queue.push(...next.parents);
    }
    return out;
  }

  mergeBase(base: Commit, head: Commit): Commit | undefined {
    const baseAncestors = new Set(this.history(base.sha).map((commit) => commit.sha));
    return this.history(head.sha).find((commit) => baseAncestors.has(commit.sha));
  }

  /** Renames are detected only when the content is identical (GitHub also finds similar-content renames). */
  diff(base: Commit | undefined, head: Commit): FileDiff[] {
    const before = base?.files ?? new Map<string, FileEntry>();
    const out: FileDiff[] = [];
    const removed = [...before.values()].filter((file) => !head.files.has(file.path));
    for (const file of head.files.values()) {
      const old = before.get(file.path);
      if (old?.sha === file.sha) continue;
      if (old) {
        out.push(lineStats(file.path, "modified", file.sha, old.content, file.content));
        continue;
      }
      const renamedFrom = removed.findIndex((candidate) => candidate.sha === file.sha);
      if (renamedFrom >= 0) {
        const [from] = removed.splice(renamedFrom, 1);
        const stats = lineStats(file.path, "renamed", file.sha, file.content, file.content);
        out.push({ ...stats, previous_filename: from?.path ?? "" });
        continue;
      }
      out.push(lineStats(file.path, "added", file.sha, "", file.content));
    }
    for (const file of removed) out.push(lineStats(file.path, "removed", null, file.content, ""));
    return out.sort((a, b) => a.filename.localeCompare(b.filename));
  }

  /** Entries of a tree; `recursive` lists every file and directory below it. */
  tree(treeSha: string, recursive: boolean): TreeEntry[] | undefined {
    const found = this.trees.get(treeSha);
    if (!found) return undefined;
    const { commit, prefix } = found;
    const dirs = new Map<string, string>();
    const entries: TreeEntry[] = [];
    for (const file of commit.files.values()) {
      if (!file.path.startsWith(prefix)) continue;
      const rest = file.path.slice(prefix.length);
      const parts = rest.split("/");
      for (let depth = 1; depth < parts.length; depth++) {
        const dir = parts.slice(0, depth).join("/");
        if (!dirs.has(dir) && (recursive || depth === 1))
          dirs.set(dir, this.treeShaOf(commit.files, `${prefix}${dir}/`));
      }
      if (recursive || parts.length === 1)
        entries.push({ path: rest, mode: "100644", type: "blob", sha: file.sha, size: byteLength(file) });
    }
    for (const [path, sha] of dirs) entries.push({ path, mode: "040000", type: "tree", sha });
    return entries.sort((a, b) => a.path.localeCompare(b.path));
  }

  private treeShaOf(files: ReadonlyMap<string, FileEntry>, prefix: string): string {
    const listing = [...files.values()]
      .filter((file) => file.path.startsWith(prefix))
      .map((file) => `${file.path.slice(prefix.length)} ${file.sha}`)
      .sort()
      .join("\n");
    return sha1(`tree ${prefix}\n${listing}`);
  }

  private registerTrees(commit: Commit) {
    this.trees.set(commit.treeSha, { commit, prefix: "" });
    const dirs = new Set<string>();
    for (const path of commit.files.keys()) {
      const parts = path.split("/");
      for (let depth = 1; depth < parts.length; depth++) dirs.add(`${parts.slice(0, depth).join("/")}/`);
    }
    for (const prefix of dirs) this.trees.set(this.treeShaOf(commit.files, prefix), { commit, prefix });
  }
}

function byteLength(file: FileEntry) {
  return Buffer.byteLength(file.content, "utf8");
}

/** Line counts by multiset difference: close enough to `git diff --stat` for tests, and linear in size. */
function lineStats(
  filename: string,
  status: FileDiff["status"],
  sha: string | null,
  before: string,
  after: string,
): FileDiff {
  const count = (text: string) => {
    const lines = new Map<string, number>();
    // A final newline ends the last line; it does not start another.
    if (text !== "")
      for (const line of text.replace(/\n$/, "").split("\n")) lines.set(line, (lines.get(line) ?? 0) + 1);
    return lines;
  };
  const old = count(before);
  const now = count(after);
  let additions = 0;
  let deletions = 0;
  for (const [line, n] of now) additions += Math.max(0, n - (old.get(line) ?? 0));
  for (const [line, n] of old) deletions += Math.max(0, n - (now.get(line) ?? 0));
  return { filename, status, sha, additions, deletions, changes: additions + deletions };
}
