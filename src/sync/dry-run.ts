// A first sync played out in memory (no GitHub): reconcile's rounds applied to a list of issues until nothing is
// left to do, so `plan-sync preview --bodies` prints each body exactly as the app would write it — with the issue
// numbers an empty repository would give. Links are taken as made (their markers record them).
import { decodeMarker } from "./marker.js";
import type { IssueChanges, ManagedIssue, Operation, ReconcileInput } from "./model.js";
import { reconcile } from "./reconcile.js";

/** Rounds are bounded like the applier's (items × 2 + 10); a plan that does not settle is a bug, not a hang. */
export function dryRunFirstSync(input: Omit<ReconcileInput, "issues">): ManagedIssue[] {
  const issues: ManagedIssue[] = [];
  const author = input.context.botLogins[0] ?? "plan-sync[bot]";
  const limit = ((input.plan?.steps.length ?? 0) + (input.plan?.questions.length ?? 0)) * 2 + 50;
  for (let round = 0; round < limit; round++) {
    const ops = reconcile({ ...input, issues });
    if (ops.length === 0) return issues;
    for (const op of ops) {
      apply(op, issues, author);
      if (op.type === "create") break; // later bodies need the new number: reconcile again
    }
  }
  throw new Error(`dry run of ${input.path} did not settle after ${limit} rounds`);
}

function apply(op: Operation, issues: ManagedIssue[], author: string): void {
  if (op.type === "create") {
    const number = issues.length + 1;
    issues.push({
      id: number,
      number,
      title: op.title,
      body: op.body,
      state: "open",
      stateReason: null,
      labels: op.labels,
      assignees: op.assignees,
      milestone: op.milestone ? { number: 1, title: op.milestone } : null,
      authorLogin: author,
      marker: decodeMarker(op.body),
    });
    return;
  }
  if (op.type !== "update" && op.type !== "close" && op.type !== "reopen") return;
  const issue = issues.find((candidate) => candidate.number === op.number);
  if (!issue) return;
  patch(issue, op.changes);
  if (op.type === "close") Object.assign(issue, { state: "closed", stateReason: op.reason });
  if (op.type === "reopen") Object.assign(issue, { state: "open", stateReason: "reopened" });
}

function patch(issue: ManagedIssue, changes: IssueChanges): void {
  if (changes.title !== undefined) issue.title = changes.title;
  if (changes.body !== undefined) {
    issue.body = changes.body;
    issue.marker = decodeMarker(changes.body);
  }
  if (changes.labels) issue.labels = changes.labels;
  if (changes.assignees) issue.assignees = changes.assignees;
  if (changes.milestone !== undefined) issue.milestone = { number: 1, title: changes.milestone };
}
