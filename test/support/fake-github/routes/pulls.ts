import { ApiError, notFound } from "../api-error.js";
import { createIssue } from "../issue-rules.js";
import { pullEnds, pullRequestsOfCommit } from "../pull-merge.js";
import type { Shapes } from "../shapes.js";
import type { Issue, Repo } from "../store.js";
import { actorOf, json, paginated, repoOf, type RouteContext, type RouteHandlers } from "./context.js";

function pullOf(context: RouteContext): Issue {
  const issue = context.store.issueByNumber(repoOf(context), Number(context.params["pull_number"]));
  if (!issue.pull) throw notFound();
  return issue;
}

/** A branch name, or `owner:branch` as pulls/list and pulls/create accept it (only same-repo heads here). */
function branchName(value: string): string {
  return value.includes(":") ? value.slice(value.indexOf(":") + 1) : value;
}

export function pullJson(shapes: Shapes, issue: Issue) {
  const pull = issue.pull as NonNullable<Issue["pull"]>;
  const repo = issue.repo;
  const side = (branch: string, merged: string | undefined) => ({
    label: `${repo.owner.login}:${branch}`,
    ref: branch,
    sha: merged ?? repo.git.branches.get(branch) ?? null,
    repo: shapes.repo(repo),
    user: shapes.user(repo.owner),
  });
  const asIssue = shapes.issue(issue);
  return {
    ...asIssue,
    url: `${shapes.api}/repos/${repo.fullName}/pulls/${issue.number}`,
    issue_url: asIssue.url,
    // Once merged, the commits the merge joined (the branches may have moved on since).
    head: side(pull.head, pull.merge?.headSha),
    base: side(pull.base, pull.merge?.baseSha),
    draft: pull.draft,
    merged: pull.merge !== null,
    merged_at: pull.merge?.at ?? null,
    merge_commit_sha: pull.merge?.sha ?? null,
    mergeable: pull.merge ? null : true,
  };
}

/** A merged PR keeps the files of the two commits its merge joined. */
function diffOf(repo: Repo, pull: NonNullable<Issue["pull"]>) {
  const { base, head } = pullEnds(repo, pull);
  return { head, files: repo.git.diff(repo.git.mergeBase(base, head), head) };
}

export const pullRoutes: RouteHandlers = {
  "pulls/get": (context) => json(pullJson(context.shapes, pullOf(context))),

  "pulls/list": (context) => {
    const repo = repoOf(context);
    const state = String(context.query["state"] ?? "open");
    const head = context.query["head"] === undefined ? undefined : branchName(String(context.query["head"]));
    const base = context.query["base"] === undefined ? undefined : String(context.query["base"]);
    const pulls = context.store
      .issuesOf(repo)
      .filter((issue) => issue.pull && (state === "all" || issue.state === state))
      .filter(
        (issue) =>
          (head === undefined || issue.pull?.head === head) &&
          (base === undefined || issue.pull?.base === base),
      )
      .reverse();
    return paginated(context, pulls, (issue) => pullJson(context.shapes, issue));
  },

  "pulls/create": (context) => {
    const repo = repoOf(context);
    const actor = actorOf(context);
    const body = context.body as {
      title?: string;
      head: string;
      base: string;
      body?: string;
      draft?: boolean;
    };
    const head = branchName(body.head);
    const invalid = (field: string) =>
      new ApiError(422, "Validation Failed", [{ resource: "PullRequest", code: "invalid", field }]);
    if (!repo.git.branches.has(head)) throw invalid("head");
    if (!repo.git.branches.has(body.base)) throw invalid("base");
    const pull = { head, base: body.base, draft: body.draft ?? false, merge: null };
    if (diffOf(repo, pull).files.length === 0)
      throw new ApiError(422, "Validation Failed", [
        { resource: "PullRequest", code: "custom", message: `No commits between ${body.base} and ${head}` },
      ]);
    const issue = createIssue(
      context.store,
      repo,
      { title: body.title ?? head, body: body.body ?? null },
      actor,
    );
    issue.pull = pull;
    return json(pullJson(context.shapes, issue), 201);
  },

  "pulls/list-files": (context) => {
    const issue = pullOf(context);
    const { head, files } = diffOf(issue.repo, issue.pull as NonNullable<Issue["pull"]>);
    return paginated(context, files, (file) => context.shapes.fileDiff(issue.repo, head, file));
  },

  "repos/list-pull-requests-associated-with-commit": (context) => {
    const repo = repoOf(context);
    const pulls = pullRequestsOfCommit(context.store, repo, String(context.params["commit_sha"]));
    return paginated(context, pulls, (issue) => pullJson(context.shapes, issue));
  },
};
