// The applier protocol of src/sync/model.ts: reconcile, apply the operations one write at a time, re-reconcile
// after each create (later bodies and links need the new number) and after a list without one, until
// reconcile returns nothing. A failed write throws: the next sync starts over from a fresh read and is safe.
import { reconcile } from "../sync/reconcile.js";
import { canonicalRef } from "../sync/references.js";
import type { IssueTarget, ManagedIssue, Operation, ReconcileInput } from "../sync/model.js";
import type { IssueLinks, LinkOutcome } from "./issue-links.js";
import type { IssueWrites } from "./issue-writes.js";

export interface ApplyResult {
  /** Operations applied, in order. */
  applied: Operation[];
  /** Rounds of reconcile (1 when nothing needed doing). */
  rounds: number;
  /** Links GitHub refused (a cap, a missing feature): their text in the bodies stands in for them. */
  linksAsText: number;
  /** The issues as they are after the sync (every issue read, updated with what was written). */
  issues: ManagedIssue[];
}

export interface ApplyTools {
  writes: IssueWrites;
  links: IssueLinks;
}

/** Thrown when reconcile does not settle: a bug in the sync core, worth an error log with the last operations. */
export class NoFixedPointError extends Error {
  constructor(
    readonly rounds: number,
    readonly lastOps: Operation[],
  ) {
    super(
      `reconcile did not settle after ${rounds} rounds; last operations: ${lastOps.map((op) => op.type).join(", ")}`,
    );
    this.name = "NoFixedPointError";
  }
}

/** A write failed part way: what was applied before it (a sync's progress), and the failure as `cause`. */
export class ApplyInterrupted extends Error {
  constructor(
    override readonly cause: unknown,
    readonly applied: Operation[],
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = "ApplyInterrupted";
  }
}

/** Runs reconcile → apply to a fixed point. `itemCount` (plan items) sets the round cap: items × 2 + 10. */
export async function applyPlan(
  input: ReconcileInput,
  tools: ApplyTools,
  itemCount: number,
): Promise<ApplyResult> {
  const snapshot = new Snapshot(input.issues);
  const result: ApplyResult = { applied: [], rounds: 0, linksAsText: 0, issues: [] };
  const maxRounds = itemCount * 2 + 10;
  let ops: Operation[] = [];
  while (result.rounds < maxRounds) {
    result.rounds++;
    ops = reconcile({ ...input, issues: snapshot.issues() });
    if (ops.length === 0) {
      // What GitHub refused this sync is now in the markers; a later sync starts from what it reads.
      result.issues = snapshot.issues().map(({ refusedThisSync: _refused, ...issue }) => issue);
      return result;
    }
    let refused = false;
    for (const op of ops) {
      // A refused link changes what its issue's marker should say: reconcile again before the next write that
      // is not a link, so the update it sends records the refusal (no second write for it).
      if (refused && !isLinkOperation(op)) break;
      let asText: number;
      try {
        asText = await applyOperation(op, snapshot, tools, input);
      } catch (error) {
        throw new ApplyInterrupted(error, result.applied);
      }
      result.linksAsText += asText;
      refused ||= asText > 0;
      result.applied.push(op);
      if (op.type === "create") break;
    }
  }
  throw new NoFixedPointError(result.rounds, ops);
}

function isLinkOperation(op: Operation): boolean {
  return (
    op.type === "add-sub-issue" ||
    op.type === "remove-sub-issue" ||
    op.type === "add-blocked-by" ||
    op.type === "remove-blocked-by"
  );
}

/**
 * Applies one operation and records its effect in the snapshot; answers the number of links GitHub refused
 * (left as text), each recorded in the snapshot as refused this sync.
 */
async function applyOperation(
  op: Operation,
  snapshot: Snapshot,
  { writes, links }: ApplyTools,
  input: ReconcileInput,
): Promise<number> {
  switch (op.type) {
    case "create": {
      const created = await writes.create(op);
      snapshot.put(created);
      const self: IssueTarget = {
        item: op.item,
        owner: input.context.owner,
        repo: input.context.repo,
        number: created.number,
        id: created.id,
      };
      let asText = 0;
      // The new issue's marker records these links already: they are applied before the next reconcile, and
      // any GitHub refuses (a new issue has no link yet, so a 422 is a refusal) are taken out of it.
      if (op.parent) {
        const outcome = await links.addSubIssue(op.parent, self, false);
        snapshot.observeParent(created.number, outcome === "linked" ? op.parent.number : undefined);
        if (outcome !== "linked") asText += snapshot.refuseParent(created.number, op.parent.number);
      }
      for (const blocker of op.blockedBy) {
        if ((await links.addBlockedBy(self, blocker)) !== "linked")
          asText += snapshot.refuseBlocker(created.number, canonicalRef(blocker));
      }
      snapshot.forgetBlockedBy(created.number);
      return asText;
    }
    case "update":
      snapshot.put(await writes.update(op.number, op.changes));
      return 0;
    case "close":
      if (op.comment) await writes.comment(op.number, op.comment);
      snapshot.put(await writes.update(op.number, op.changes, { state: "closed", state_reason: op.reason }));
      return 0;
    case "reopen":
      snapshot.put(await writes.update(op.number, op.changes, { state: "open" }));
      return 0;
    case "comment":
      await writes.comment(op.number, op.body);
      return 0;
    case "add-sub-issue": {
      const outcome = await links.addSubIssue(op.parent, op.child, op.replaceParent);
      snapshot.observeParent(op.child.number, outcome === "linked" ? op.parent.number : undefined);
      return outcome === "linked" ? 0 : snapshot.refuseParent(op.child.number, op.parent.number);
    }
    case "remove-sub-issue": {
      const outcome = await links.removeSubIssue(op.parent, op.child);
      snapshot.observeParent(op.child.number, outcome === "linked" ? null : undefined);
      return 0;
    }
    case "add-blocked-by": {
      const outcome = await links.addBlockedBy(op.issue, op.blocker);
      snapshot.forgetBlockedBy(op.issue.number);
      const ref = canonicalRef(op.blocker);
      return blockerRefused(outcome, snapshot.get(op.issue.number), ref)
        ? snapshot.refuseBlocker(op.issue.number, ref)
        : 0;
    }
    case "remove-blocked-by":
      await links.removeBlockedBy(op.issue, op.blocker);
      snapshot.forgetBlockedBy(op.issue.number);
      return 0;
  }
}

/**
 * A 422 on a link the marker records is a re-send (reconcile saw fewer links than it made and sent them all):
 * the link is there. Anything else not linked is a refusal.
 */
function blockerRefused(outcome: LinkOutcome, issue: ManagedIssue | undefined, ref: string): boolean {
  if (outcome === "linked") return false;
  return !(outcome === "rejected" && issue?.marker?.blockedBy.includes(ref));
}

/** The issues as the applier believes GitHub holds them, by number. */
class Snapshot {
  private readonly byNumber = new Map<number, ManagedIssue>();

  constructor(issues: ManagedIssue[]) {
    for (const issue of issues) this.byNumber.set(issue.number, issue);
  }

  issues(): ManagedIssue[] {
    return [...this.byNumber.values()];
  }

  get(number: number): ManagedIssue | undefined {
    return this.byNumber.get(number);
  }

  /** An issue as a write answered it. The answer's link fields can predate links made since: keep ours. */
  put(issue: ManagedIssue | null): void {
    if (!issue) return;
    const before = this.byNumber.get(issue.number);
    const next: ManagedIssue = { ...issue };
    if (before) {
      if ("parentNumber" in before) next.parentNumber = before.parentNumber;
      else delete next.parentNumber;
      if ("blockedByCount" in before) next.blockedByCount = before.blockedByCount;
      else delete next.blockedByCount;
      if (before.refusedThisSync) next.refusedThisSync = before.refusedThisSync;
    }
    this.byNumber.set(issue.number, next);
  }

  /** The parent now known (a number or null), or undefined: unknown, reconcile trusts the marker. */
  observeParent(number: number, parent: number | null | undefined): void {
    const issue = this.byNumber.get(number);
    if (!issue) return;
    if (parent === undefined) delete issue.parentNumber;
    else issue.parentNumber = parent;
  }

  /** GitHub would not attach the issue to `parent`; answers 1 (one link left as text). */
  refuseParent(number: number, parent: number): number {
    const issue = this.byNumber.get(number);
    if (issue) issue.refusedThisSync = { blockedBy: [], ...issue.refusedThisSync, parent };
    return 1;
  }

  /** GitHub would not make the "blocked by" link to `ref`; answers 1 (one link left as text). */
  refuseBlocker(number: number, ref: string): number {
    const issue = this.byNumber.get(number);
    if (issue) {
      const refused = issue.refusedThisSync ?? { parent: null, blockedBy: [] };
      issue.refusedThisSync = { ...refused, blockedBy: [...new Set([...refused.blockedBy, ref])] };
    }
    return 1;
  }

  /** After a blocked-by change the count is not known without a read: reconcile trusts the marker. */
  forgetBlockedBy(number: number): void {
    const issue = this.byNumber.get(number);
    if (issue) delete issue.blockedByCount;
  }
}
