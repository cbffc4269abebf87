import { notFound } from "../api-error.js";
import { addComment, createIssue, updateComment, updateIssue, type IssueFields } from "../issue-rules.js";
import type { Issue, Label, Repo } from "../store.js";
import { actorOf, json, paginated, repoOf, type RouteContext, type RouteHandlers } from "./context.js";

export function issueOf(context: RouteContext): Issue {
  return context.store.issueByNumber(repoOf(context), Number(context.params["issue_number"]));
}

function commentOf(context: RouteContext) {
  const comment = context.store.comments.get(Number(context.params["comment_id"]));
  if (!comment || comment.issue.repo !== repoOf(context)) throw notFound();
  return comment;
}

function labelOf(context: RouteContext, repo: Repo): Label {
  const label = context.store.label(repo, String(context.params["name"]));
  if (!label) throw notFound();
  return label;
}

const sameLogin = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The filters of GET /repos/{owner}/{repo}/issues. Pull requests are issues too, as on GitHub. */
function listFilter(query: Record<string, unknown>) {
  const state = String(query["state"] ?? "open");
  const labels = query["labels"]
    ? String(query["labels"])
        .split(",")
        .map((name) => name.trim().toLowerCase())
    : [];
  const creator = query["creator"] === undefined ? undefined : String(query["creator"]);
  const assignee = query["assignee"] === undefined ? undefined : String(query["assignee"]);
  const milestone = query["milestone"] === undefined ? undefined : String(query["milestone"]);
  const since = query["since"] === undefined ? undefined : String(query["since"]);
  return (issue: Issue) =>
    (state === "all" || issue.state === state) &&
    labels.every((name) => issue.labels.some((label) => label.toLowerCase() === name)) &&
    (creator === undefined || sameLogin(issue.user.login, creator)) &&
    (assignee === undefined ||
      (assignee === "none"
        ? issue.assignees.length === 0
        : assignee === "*"
          ? issue.assignees.length > 0
          : issue.assignees.some((login) => sameLogin(login, assignee)))) &&
    (milestone === undefined ||
      (milestone === "none"
        ? issue.milestone === null
        : milestone === "*"
          ? issue.milestone !== null
          : issue.milestone === Number(milestone))) &&
    (since === undefined || issue.updatedAt >= since);
}

export const issueRoutes: RouteHandlers = {
  "issues/list-for-repo": (context) => {
    const repo = repoOf(context);
    const sort = String(context.query["sort"] ?? "created");
    const direction = context.query["direction"] === "asc" ? 1 : -1;
    const key = (issue: Issue) =>
      sort === "updated"
        ? issue.updatedAt
        : sort === "comments"
          ? context.store.commentsOf(issue).length
          : issue.createdAt;
    const issues = context.store
      .issuesOf(repo)
      .filter(listFilter(context.query))
      .sort((a, b) =>
        key(a) < key(b) ? -direction : key(a) > key(b) ? direction : direction * (a.number - b.number),
      );
    return paginated(context, issues, (issue) => context.shapes.issue(issue));
  },

  "issues/get": (context) => json(context.shapes.issue(issueOf(context))),

  "issues/create": (context) => {
    const repo = repoOf(context);
    const issue = createIssue(context.store, repo, context.body as IssueFields, actorOf(context));
    return json(context.shapes.issue(issue), 201);
  },

  "issues/update": (context) => {
    const issue = issueOf(context);
    updateIssue(context.store, issue, context.body as IssueFields, actorOf(context));
    return json(context.shapes.issue(issue));
  },

  "issues/list-comments": (context) => {
    const issue = issueOf(context);
    const since = context.query["since"] === undefined ? "" : String(context.query["since"]);
    const comments = context.store.commentsOf(issue).filter((comment) => comment.updatedAt >= since);
    return paginated(context, comments, (comment) => context.shapes.comment(comment));
  },

  "issues/get-comment": (context) => json(context.shapes.comment(commentOf(context))),

  "issues/create-comment": (context) => {
    const issue = issueOf(context);
    const comment = addComment(context.store, issue, String(context.body["body"]), actorOf(context));
    return json(context.shapes.comment(comment), 201);
  },

  "issues/update-comment": (context) => {
    const comment = commentOf(context);
    actorOf(context);
    updateComment(context.store, comment, String(context.body["body"]));
    return json(context.shapes.comment(comment));
  },

  "issues/list-labels-for-repo": (context) => {
    const repo = repoOf(context);
    return paginated(context, [...repo.labels.values()], (label) => context.shapes.label(repo, label));
  },

  "issues/get-label": (context) => {
    const repo = repoOf(context);
    return json(context.shapes.label(repo, labelOf(context, repo)));
  },

  "issues/create-label": (context) => {
    const repo = repoOf(context);
    actorOf(context);
    const { name, color, description } = context.body as {
      name: string;
      color?: string;
      description?: string;
    };
    const label = context.store.createLabel(repo, name, color ?? "ededed", description ?? null);
    return json(context.shapes.label(repo, label), 201);
  },

  "issues/update-label": (context) => {
    const repo = repoOf(context);
    actorOf(context);
    const label = labelOf(context, repo);
    const {
      new_name: newName,
      color,
      description,
    } = context.body as {
      new_name?: string;
      color?: string;
      description?: string;
    };
    if (newName !== undefined && newName !== label.name) {
      if (context.store.label(repo, newName) && newName.toLowerCase() !== label.name.toLowerCase())
        context.store.createLabel(repo, newName); // throws GitHub's already_exists 422
      for (const issue of context.store.issuesOf(repo))
        issue.labels = issue.labels.map((name) => (name === label.name ? newName : name));
      repo.labels.delete(label.name.toLowerCase());
      label.name = newName;
      repo.labels.set(newName.toLowerCase(), label);
    }
    if (color !== undefined) label.color = color;
    if (description !== undefined) label.description = description;
    return json(context.shapes.label(repo, label));
  },

  "issues/list-milestones": (context) => {
    const repo = repoOf(context);
    const state = String(context.query["state"] ?? "open");
    const milestones = repo.milestones.filter((milestone) => state === "all" || milestone.state === state);
    return paginated(context, milestones, (milestone) => ({ ...milestone, node_id: `MI_${milestone.id}` }));
  },
};
