// Applying a plan's operations on GitHub: the loop of src/sync/apply-loop.ts (reconcile, apply, re-reconcile to
// a fixed point) driven here, one operation at a time, against the issue and link endpoints. A failed write
// throws: the next sync starts over from a fresh read and is safe.
import {
  applyLoop,
  maxRoundsFor,
  type AppliedOperation,
  type ApplyResult,
  type LinkOutcome,
} from "../sync/apply-loop.js";
import type { IssueTarget, Operation, ReconcileInput } from "../sync/model.js";
import type { IssueLinks } from "./issue-links.js";
import type { IssueWrites } from "./issue-writes.js";

export interface ApplyTools {
  writes: IssueWrites;
  links: IssueLinks;
}

/** Runs reconcile → apply to a fixed point. `itemCount` (plan items) sets the round cap. */
export async function applyPlan(
  input: ReconcileInput,
  tools: ApplyTools,
  itemCount: number,
): Promise<ApplyResult> {
  const loop = applyLoop(input, maxRoundsFor(itemCount));
  let step = loop.next();
  while (!step.done) {
    let applied: AppliedOperation;
    try {
      applied = await applyOperation(step.value, tools, input);
    } catch (error) {
      // The loop answers with the failure and what was applied before it (ApplyInterrupted).
      step = loop.throw(error);
      continue;
    }
    step = loop.next(applied);
  }
  return step.value;
}

/** Applies one operation: the writes it takes, and what GitHub answered to them. */
async function applyOperation(
  op: Operation,
  { writes, links }: ApplyTools,
  input: ReconcileInput,
): Promise<AppliedOperation> {
  switch (op.type) {
    case "create": {
      const issue = await writes.create(op);
      const self: IssueTarget = {
        item: op.item,
        owner: input.context.owner,
        repo: input.context.repo,
        number: issue.number,
        id: issue.id,
      };
      // The new issue's marker records these links already: they are made in the same operation.
      const parent = op.parent ? await links.addSubIssue(op.parent, self, false) : undefined;
      const blockers: LinkOutcome[] = [];
      for (const blocker of op.blockedBy) blockers.push(await links.addBlockedBy(self, blocker));
      return { issue, blockers, ...(parent ? { parent } : {}) };
    }
    case "update":
      return { issue: await writes.update(op.number, op.changes) };
    case "close":
      if (op.comment) await writes.comment(op.number, op.comment);
      return {
        issue: await writes.update(op.number, op.changes, { state: "closed", state_reason: op.reason }),
      };
    case "reopen":
      return { issue: await writes.update(op.number, op.changes, { state: "open" }) };
    case "comment":
      await writes.comment(op.number, op.body);
      return {};
    case "add-sub-issue":
      return { parent: await links.addSubIssue(op.parent, op.child, op.replaceParent) };
    case "remove-sub-issue":
      return { parent: await links.removeSubIssue(op.parent, op.child) };
    case "add-blocked-by":
      return { blockers: [await links.addBlockedBy(op.issue, op.blocker)] };
    case "remove-blocked-by":
      return { blockers: [await links.removeBlockedBy(op.issue, op.blocker)] };
  }
}
