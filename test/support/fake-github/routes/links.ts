import { addBlockedBy, addSubIssue, blocking, removeBlockedBy, removeSubIssue } from "../issue-rules.js";
import { actorOf, json, paginated, type RouteHandlers } from "./context.js";
import { issueOf } from "./issues.js";

/**
 * Sub-issues and "blocked by" dependencies. Both name the other issue by its id, not its number.
 * https://docs.github.com/en/rest/issues/sub-issues and https://docs.github.com/en/rest/issues/issue-dependencies
 */
export const linkRoutes: RouteHandlers = {
  "issues/add-sub-issue": (context) => {
    const parent = issueOf(context);
    actorOf(context);
    const { sub_issue_id: childId, replace_parent: replace } = context.body as {
      sub_issue_id: number;
      replace_parent?: boolean;
    };
    addSubIssue(context.store, parent, childId, replace === true);
    return json(context.shapes.issue(parent), 201);
  },

  "issues/remove-sub-issue": (context) => {
    const parent = issueOf(context);
    actorOf(context);
    removeSubIssue(context.store, parent, Number(context.body["sub_issue_id"]));
    return json(context.shapes.issue(parent));
  },

  "issues/list-sub-issues": (context) => {
    const parent = issueOf(context);
    const children = (context.store.subIssues.get(parent.id) ?? []).map((id) => context.store.issueById(id));
    return paginated(context, children, (child) => context.shapes.issue(child));
  },

  "issues/get-parent": (context) => {
    const child = issueOf(context);
    const parentId = context.store.parentOf.get(child.id);
    return json(context.shapes.issue(context.store.issueById(parentId ?? -1)));
  },

  // Answers the blocked issue (the one in the path); GitHub's description only says "Issue".
  "issues/add-blocked-by-dependency": (context) => {
    const issue = issueOf(context);
    actorOf(context);
    addBlockedBy(context.store, issue, Number(context.body["issue_id"]));
    return json(context.shapes.issue(issue), 201);
  },

  "issues/remove-dependency-blocked-by": (context) => {
    const issue = issueOf(context);
    actorOf(context);
    removeBlockedBy(context.store, issue, Number(context.params["issue_id"]));
    return json(context.shapes.issue(issue));
  },

  "issues/list-dependencies-blocked-by": (context) => {
    const issue = issueOf(context);
    const blockers = (context.store.blockedBy.get(issue.id) ?? []).map((id) => context.store.issueById(id));
    return paginated(context, blockers, (blocker) => context.shapes.issue(blocker));
  },

  "issues/list-dependencies-blocking": (context) => {
    const issue = issueOf(context);
    const blocked = blocking(context.store, issue).map((id) => context.store.issueById(id));
    return paginated(context, blocked, (other) => context.shapes.issue(other));
  },
};
