import { ApiError, notFound } from "../api-error.js";
import type { Commit, FileEntry } from "../git.js";
import type { Repo } from "../store.js";
import {
  actorOf,
  json,
  paginate,
  paginated,
  repoOf,
  type RouteContext,
  type RouteHandlers,
} from "./context.js";

/** A commit by ref (branch, sha or sha prefix), or 404 as GitHub answers for an unknown ref. */
export function commitAt(repo: Repo, ref: string): Commit {
  const commit = repo.git.resolve(ref);
  if (!commit) throw new ApiError(404, `No commit found for the ref ${ref}`);
  return commit;
}

function fileJson(context: RouteContext, repo: Repo, file: FileEntry, ref: string) {
  const name = file.path.split("/").pop() as string;
  const url = `${context.shapes.api}/repos/${repo.fullName}/contents/${file.path}?ref=${ref}`;
  const html = `${context.shapes.html}/${repo.fullName}/blob/${ref}/${file.path}`;
  const git = `${context.shapes.api}/repos/${repo.fullName}/git/blobs/${file.sha}`;
  return {
    type: "file",
    name,
    path: file.path,
    sha: file.sha,
    size: Buffer.byteLength(file.content, "utf8"),
    url,
    html_url: html,
    git_url: git,
    download_url: `${context.shapes.html}/${repo.fullName}/raw/${ref}/${file.path}`,
    _links: { self: url, git, html },
  };
}

/** GitHub wraps base64 content at 60 characters, with a trailing newline. */
function base64Lines(text: string): string {
  return `${(
    Buffer.from(text, "utf8")
      .toString("base64")
      .match(/.{1,60}/g) ?? []
  ).join("\n")}\n`;
}

function touchesPath(repo: Repo, commit: Commit, path: string): boolean {
  const parent = commit.parents[0] ? repo.git.commits.get(commit.parents[0]) : undefined;
  const inside = (file: string) => file === path || file.startsWith(`${path.replace(/\/$/, "")}/`);
  return repo.git
    .diff(parent, commit)
    .some((diff) => inside(diff.filename) || inside(diff.previous_filename ?? ""));
}

/** https://docs.github.com/en/rest/commits/commits#compare-two-commits */
const COMPARE_FILES = 300;

export const repoRoutes: RouteHandlers = {
  "repos/get": (context) => json(context.shapes.repo(repoOf(context))),

  "repos/get-branch": (context) => {
    const repo = repoOf(context);
    const name = String(context.params["branch"]);
    const sha = repo.git.branches.get(name);
    if (!sha) throw new ApiError(404, "Branch not found");
    const commit = repo.git.commits.get(sha) as Commit;
    return json({ name, commit: context.shapes.commit(repo, commit), protected: false });
  },

  "repos/get-content": (context) => {
    const repo = repoOf(context);
    const ref = String(context.query["ref"] ?? repo.defaultBranch);
    const commit = commitAt(repo, ref);
    const path = String(context.params["path"]).replace(/^\/+|\/+$/g, "");
    const file = commit.files.get(path);
    if (file) {
      if (/\bvnd\.github(\.v3)?\.raw\b/.test(context.accept))
        return { status: 200, raw: { text: file.content, contentType: "text/plain; charset=utf-8" } };
      return json({
        ...fileJson(context, repo, file, ref),
        encoding: "base64",
        content: base64Lines(file.content),
      });
    }
    const prefix = path === "" ? "" : `${path}/`;
    const entries = new Map<string, unknown>();
    for (const entry of commit.files.values()) {
      if (!entry.path.startsWith(prefix)) continue;
      const [name = "", ...rest] = entry.path.slice(prefix.length).split("/");
      if (rest.length === 0) entries.set(name, fileJson(context, repo, entry, ref));
      else if (!entries.has(name)) entries.set(name, { type: "dir", name, path: `${prefix}${name}` });
    }
    if (entries.size === 0) throw notFound();
    return json([...entries.values()]);
  },

  "repos/create-or-update-file-contents": (context) => {
    const repo = repoOf(context);
    const actor = actorOf(context);
    const body = context.body as { message: string; content: string; sha?: string; branch?: string };
    const branch = body.branch ?? repo.defaultBranch;
    if (!repo.git.branches.has(branch)) throw new ApiError(404, `Branch ${branch} not found`);
    const head = commitAt(repo, branch);
    const path = String(context.params["path"]).replace(/^\/+/, "");
    const existing = head.files.get(path);
    if (existing && body.sha === undefined)
      throw new ApiError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.');
    if (existing && body.sha !== existing.sha) throw new ApiError(409, `${path} does not match ${body.sha}`);
    const content = Buffer.from(body.content, "base64").toString("utf8");
    const commit = repo.git.commit(
      branch,
      { [path]: content },
      {
        message: body.message,
        date: context.store.now(),
        author: actor.user.login,
      },
    );
    const file = commit.files.get(path) as FileEntry;
    return json(
      { content: fileJson(context, repo, file, branch), commit: context.shapes.commit(repo, commit) },
      existing ? 200 : 201,
    );
  },

  "repos/list-commits": (context) => {
    const repo = repoOf(context);
    const start = commitAt(repo, String(context.query["sha"] ?? repo.defaultBranch));
    const path = context.query["path"] === undefined ? undefined : String(context.query["path"]);
    const commits = repo.git.history(start.sha).filter((commit) => !path || touchesPath(repo, commit, path));
    return paginated(context, commits, (commit) => context.shapes.commit(repo, commit));
  },

  "repos/get-commit": (context) => {
    const repo = repoOf(context);
    const commit = commitAt(repo, String(context.params["ref"]));
    const parent = commit.parents[0] ? repo.git.commits.get(commit.parents[0]) : undefined;
    const files = repo.git.diff(parent, commit);
    const additions = files.reduce((sum, file) => sum + file.additions, 0);
    const deletions = files.reduce((sum, file) => sum + file.deletions, 0);
    return json({
      ...context.shapes.commit(repo, commit, files),
      stats: { additions, deletions, total: additions + deletions },
    });
  },

  "repos/compare-commits-with-basehead": (context) => {
    const repo = repoOf(context);
    const [baseRef = "", headRef = ""] = String(context.params["basehead"]).split(/\.{2,3}/);
    const base = commitAt(repo, baseRef);
    const head = commitAt(repo, headRef);
    const mergeBase = repo.git.mergeBase(base, head);
    const baseHistory = new Set(repo.git.history(base.sha).map((commit) => commit.sha));
    const headHistory = repo.git.history(head.sha);
    const ahead = headHistory.filter((commit) => !baseHistory.has(commit.sha)).reverse();
    const behindBy = [...baseHistory].filter(
      (sha) => !headHistory.some((commit) => commit.sha === sha),
    ).length;
    const status =
      base.sha === head.sha
        ? "identical"
        : behindBy === 0
          ? "ahead"
          : ahead.length === 0
            ? "behind"
            : "diverged";
    // Compare answers every commit (up to 250) unless the client asks for pages.
    const commits =
      context.query["per_page"] === undefined ? { items: ahead, headers: {} } : paginate(context, ahead);
    return {
      status: 200,
      headers: commits.headers,
      body: {
        url: `${context.shapes.api}/repos/${repo.fullName}/compare/${baseRef}...${headRef}`,
        html_url: `${context.shapes.html}/${repo.fullName}/compare/${baseRef}...${headRef}`,
        status,
        ahead_by: ahead.length,
        behind_by: behindBy,
        total_commits: ahead.length,
        base_commit: context.shapes.commit(repo, base),
        merge_base_commit: mergeBase ? context.shapes.commit(repo, mergeBase) : null,
        commits: commits.items.map((commit) => context.shapes.commit(repo, commit)),
        // GitHub lists at most 300 files, on the first page only ("Working with large comparisons").
        files:
          context.query["page"] !== undefined && Number(context.query["page"]) > 1
            ? []
            : repo.git
                .diff(mergeBase, head)
                .slice(0, COMPARE_FILES)
                .map((file) => context.shapes.fileDiff(repo, head, file)),
      },
    };
  },
};
