import { ApiError, notFound, unprocessable } from "./api-error.js";
import type { Actor, Comment, Issue, Repo, StateReason, Store } from "./store.js";

// GitHub's limits that the OpenAPI schemas do not state.
// https://docs.github.com/en/issues/tracking-your-work-with-issues/using-issues/adding-sub-issues
export const MAX_SUB_ISSUES = 100;
// https://docs.github.com/en/issues/tracking-your-work-with-issues/using-issues/creating-issue-dependencies
export const MAX_BLOCKED_BY = 50;
export const MAX_BODY = 65_536;
export const MAX_TITLE = 256;

/** The fields of issues/create and issues/update, after schema validation. */
export interface IssueFields {
  title?: string | number | null;
  body?: string | null;
  state?: "open" | "closed";
  state_reason?: StateReason;
  labels?: Array<string | { name?: string }>;
  assignees?: Array<string | { login?: string }>;
  assignee?: string | null;
  milestone?: string | number | null;
}

export function createIssue(store: Store, repo: Repo, fields: IssueFields, actor: Actor): Issue {
  const now = store.now();
  const issue: Issue = {
    id: store.nextId(),
    repo,
    number: repo.nextNumber++,
    title: "",
    body: null,
    state: "open",
    stateReason: null,
    labels: [],
    assignees: [],
    milestone: null,
    user: actor.user,
    viaApp: actor.app,
    createdAt: now,
    updatedAt: now,
    closedAt: null,
    closedBy: null,
    pull: null,
  };
  applyFields(store, issue, { ...fields, title: fields.title ?? "" }, actor);
  store.issues.set(issue.id, issue);
  return issue;
}

export function updateIssue(store: Store, issue: Issue, fields: IssueFields, actor: Actor): Issue {
  applyFields(store, issue, fields, actor);
  issue.updatedAt = store.now();
  return issue;
}

function applyFields(store: Store, issue: Issue, fields: IssueFields, actor: Actor) {
  // Check everything first: a rejected request changes nothing.
  const title = fields.title === undefined || fields.title === null ? undefined : String(fields.title);
  if (title !== undefined && title.trim() === "") throw unprocessable("Issue", "title", "missing_field");
  if (title !== undefined && title.length > MAX_TITLE)
    throw unprocessable("Issue", "title", "custom", `title is too long (maximum is ${MAX_TITLE} characters)`);
  if (typeof fields.body === "string" && fields.body.length > MAX_BODY)
    throw unprocessable("Issue", "body", "custom", `body is too long (maximum is ${MAX_BODY} characters)`);
  const milestone = resolveMilestone(issue.repo, fields.milestone);

  if (title !== undefined) issue.title = title;
  if (fields.body !== undefined) issue.body = fields.body;
  if (milestone !== undefined) issue.milestone = milestone;
  if (fields.labels !== undefined) issue.labels = labelNames(store, issue.repo, fields.labels);
  if (fields.assignees !== undefined)
    issue.assignees = unique(fields.assignees.map((a) => (typeof a === "string" ? a : (a.login ?? ""))));
  else if (fields.assignee !== undefined) issue.assignees = fields.assignee ? [fields.assignee] : [];
  for (const login of issue.assignees) store.user(login);
  applyState(store, issue, fields, actor);
}

function applyState(store: Store, issue: Issue, fields: IssueFields, actor: Actor) {
  if (fields.state === "closed" && issue.state === "open") {
    issue.state = "closed";
    issue.closedAt = store.now();
    issue.closedBy = actor.user;
    issue.stateReason = fields.state_reason ?? "completed";
  } else if (fields.state === "open" && issue.state === "closed") {
    issue.state = "open";
    issue.closedAt = null;
    issue.stateReason = "reopened";
  } else if (fields.state_reason !== undefined && issue.state === "closed") {
    issue.stateReason = fields.state_reason ?? "completed";
  }
}

function resolveMilestone(repo: Repo, value: IssueFields["milestone"]): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  const number = Number(value);
  if (!repo.milestones.some((milestone) => milestone.number === number))
    throw unprocessable("Issue", "milestone", "invalid");
  return number;
}

/** GitHub creates labels that do not exist yet when an issue is given them. */
function labelNames(store: Store, repo: Repo, labels: NonNullable<IssueFields["labels"]>): string[] {
  const names = labels.map((label) => (typeof label === "string" ? label : (label.name ?? "")));
  return unique(names.map((name) => (store.label(repo, name) ?? store.createLabel(repo, name)).name));
}

function unique(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const key = value.toLowerCase();
    if (value === "" || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function addComment(store: Store, issue: Issue, body: string, actor: Actor): Comment {
  checkCommentBody(body);
  const now = store.now();
  const comment: Comment = {
    id: store.nextId(),
    issue,
    body,
    user: actor.user,
    viaApp: actor.app,
    createdAt: now,
    updatedAt: now,
  };
  store.comments.set(comment.id, comment);
  return comment;
}

export function updateComment(store: Store, comment: Comment, body: string): Comment {
  checkCommentBody(body);
  comment.body = body;
  comment.updatedAt = store.now();
  return comment;
}

function checkCommentBody(body: string) {
  if (body.trim() === "") throw unprocessable("IssueComment", "body", "missing_field");
  if (body.length > MAX_BODY)
    throw unprocessable(
      "IssueComment",
      "body",
      "custom",
      `Body is too long (maximum is ${MAX_BODY} characters)`,
    );
}

export function addSubIssue(store: Store, parent: Issue, childId: number, replaceParent: boolean) {
  const child = store.issueById(childId);
  if (child.pull || child.repo.owner !== parent.repo.owner) throw notFound();
  if (child === parent) throw new ApiError(422, "An issue cannot be a sub-issue of itself");
  for (let up: number | undefined = parent.id; up !== undefined; up = store.parentOf.get(up))
    if (up === child.id) throw new ApiError(422, "A sub-issue cannot be an ancestor of its parent");
  const children = store.subIssues.get(parent.id) ?? [];
  if (children.includes(child.id)) throw new ApiError(422, "Issue may not contain duplicate sub-issues");
  const currentParent = store.parentOf.get(child.id);
  if (currentParent !== undefined && !replaceParent)
    throw new ApiError(422, "Sub-issue may only have one parent");
  if (children.length >= MAX_SUB_ISSUES)
    throw new ApiError(422, `Parent cannot have more than ${MAX_SUB_ISSUES} sub-issues`);
  if (currentParent !== undefined) removeFromList(store.subIssues, currentParent, child.id);
  store.subIssues.set(parent.id, [...children, child.id]);
  store.parentOf.set(child.id, parent.id);
}

export function removeSubIssue(store: Store, parent: Issue, childId: number) {
  if (store.parentOf.get(childId) !== parent.id) throw notFound();
  removeFromList(store.subIssues, parent.id, childId);
  store.parentOf.delete(childId);
}

export function addBlockedBy(store: Store, issue: Issue, blockerId: number) {
  const blocker = store.issueById(blockerId);
  if (blocker === issue) throw new ApiError(422, "An issue cannot be blocked by itself");
  const blockers = store.blockedBy.get(issue.id) ?? [];
  if (blockers.includes(blocker.id)) throw new ApiError(422, "This dependency already exists");
  if (blockers.length >= MAX_BLOCKED_BY)
    throw new ApiError(422, `An issue cannot be blocked by more than ${MAX_BLOCKED_BY} issues`);
  store.blockedBy.set(issue.id, [...blockers, blocker.id]);
}

export function removeBlockedBy(store: Store, issue: Issue, blockerId: number) {
  if (!(store.blockedBy.get(issue.id) ?? []).includes(blockerId)) throw notFound();
  removeFromList(store.blockedBy, issue.id, blockerId);
}

/** Ids of the issues that `issue` blocks. */
export function blocking(store: Store, issue: Issue): number[] {
  return [...store.blockedBy].filter(([, blockers]) => blockers.includes(issue.id)).map(([id]) => id);
}

function removeFromList(map: Map<number, number[]>, key: number, value: number) {
  const rest = (map.get(key) ?? []).filter((entry) => entry !== value);
  if (rest.length > 0) map.set(key, rest);
  else map.delete(key);
}
