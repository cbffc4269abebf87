import { ApiError, notFound } from "../api-error.js";
import type { Repo } from "../store.js";
import { actorOf, json, repoOf, type RouteContext, type RouteHandlers } from "./context.js";

/** Only branches are modelled: `heads/<name>` refs. */
function refJson(context: RouteContext, repo: Repo, branch: string, sha: string) {
  return {
    ref: `refs/heads/${branch}`,
    node_id: `REF_${Buffer.from(`${repo.id}:${branch}`).toString("base64url")}`,
    url: `${context.shapes.api}/repos/${repo.fullName}/git/refs/heads/${branch}`,
    object: { sha, type: "commit", url: `${context.shapes.api}/repos/${repo.fullName}/git/commits/${sha}` },
  };
}

function branchOfRef(ref: string): string | undefined {
  return /^(?:refs\/)?heads\/(.+)$/.exec(ref)?.[1];
}

export const gitRoutes: RouteHandlers = {
  "git/get-ref": (context) => {
    const repo = repoOf(context);
    const branch = branchOfRef(String(context.params["ref"]));
    const sha = branch && repo.git.branches.get(branch);
    if (!branch || !sha) throw notFound();
    return json(refJson(context, repo, branch, sha));
  },

  "git/create-ref": (context) => {
    const repo = repoOf(context);
    actorOf(context);
    const { ref, sha } = context.body as { ref: string; sha: string };
    const branch = ref.startsWith("refs/") ? branchOfRef(ref) : undefined;
    if (!branch) throw new ApiError(422, "Reference name must start with 'refs/heads/' in this fake");
    if (repo.git.branches.has(branch)) throw new ApiError(422, "Reference already exists");
    if (!repo.git.commits.has(sha)) throw new ApiError(422, "Object does not exist");
    repo.git.branches.set(branch, sha);
    return json(refJson(context, repo, branch, sha), 201);
  },

  "git/update-ref": (context) => {
    const repo = repoOf(context);
    actorOf(context);
    const { sha, force } = context.body as { sha: string; force?: boolean };
    const branch = branchOfRef(String(context.params["ref"]));
    const current = branch && repo.git.branches.get(branch);
    if (!branch || !current) throw new ApiError(422, "Reference does not exist");
    if (!repo.git.commits.has(sha)) throw new ApiError(422, "Object does not exist");
    const fastForward = repo.git.history(sha).some((commit) => commit.sha === current);
    if (!fastForward && !force) throw new ApiError(422, "Update is not a fast forward");
    repo.git.branches.set(branch, sha);
    return json(refJson(context, repo, branch, sha));
  },

  "git/get-tree": (context) => {
    const repo = repoOf(context);
    const wanted = String(context.params["tree_sha"]);
    // GitHub also takes a commit sha or a branch name here.
    const treeSha = repo.git.tree(wanted, false) ? wanted : repo.git.resolve(wanted)?.treeSha;
    const recursive = context.query["recursive"] !== undefined;
    const entries = treeSha ? repo.git.tree(treeSha, recursive) : undefined;
    if (!treeSha || !entries) throw notFound();
    const api = `${context.shapes.api}/repos/${repo.fullName}/git`;
    return json({
      sha: treeSha,
      url: `${api}/trees/${treeSha}`,
      tree: entries.map((entry) => ({ ...entry, url: `${api}/${entry.type}s/${entry.sha}` })),
      truncated: false,
    });
  },
};
