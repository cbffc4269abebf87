// The applier protocol of model.ts as one loop: reconcile, hand each operation to the applier, record what it
// answered in a snapshot of the issues, re-reconcile after each create (later bodies and links need the new
// number), after a refused link, and after a list without either, until reconcile returns nothing.
//
// A generator, so the loop stays pure: whoever drives it applies the operation it yields and passes back what
// came of it (`next(applied)`), or the failure (`throw(error)`). src/github/apply.ts drives it against GitHub;
// the tests' in-memory GitHub drives the same loop.
import type { ManagedIssue, Operation, ReconcileInput } from "./model.js";
import { reconcile } from "./reconcile.js";
import { canonicalRef } from "./references.js";

/**
 * How GitHub answered a link write. `linked`: it holds the link now (or no longer, for a removal).
 * `unreachable`: it cannot be made here (the other issue cannot be read, no permission, no such feature).
 * `rejected`: GitHub's rules refused it (422: a cap, a cross-repository link, or the link is there already).
 */
export type LinkOutcome = "linked" | "unreachable" | "rejected";

/** What applying one operation did, as far as the loop must know. */
export interface AppliedOperation {
  /** The issue as the write answered it (create, update, close, reopen). */
  issue?: ManagedIssue | null;
  /** The parent link: a create with a parent, `add-sub-issue`, `remove-sub-issue`. */
  parent?: LinkOutcome;
  /** "Blocked by" links: a create's, in the order of its `blockedBy`; the one of `add-blocked-by`. */
  blockers?: LinkOutcome[];
}

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

/** The loop as its driver sees it: operations out, what came of each in. */
export type ApplyLoop = Generator<Operation, ApplyResult, AppliedOperation>;

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

/** The round cap for a plan of `itemCount` items: reaching it is a bug (NoFixedPointError). */
export function maxRoundsFor(itemCount: number): number {
  return itemCount * 2 + 10;
}

/** Reconcile → apply to a fixed point, at most `maxRounds` rounds. */
export function* applyLoop(input: ReconcileInput, maxRounds: number): ApplyLoop {
  const snapshot = new Snapshot(input.issues);
  const result: ApplyResult = { applied: [], rounds: 0, linksAsText: 0, issues: [] };
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
      let applied: AppliedOperation;
      try {
        applied = yield op;
      } catch (error) {
        throw new ApplyInterrupted(error, result.applied);
      }
      const asText = record(op, applied, snapshot);
      result.linksAsText += asText;
      refused ||= asText > 0;
      result.applied.push(op);
      if (op.type === "create") break;
    }
  }
  throw new NoFixedPointError(result.rounds, ops);
}

function isLinkOperation(op: Operation): boolean {
  switch (op.type) {
    case "add-sub-issue":
    case "remove-sub-issue":
    case "add-blocked-by":
    case "remove-blocked-by":
      return true;
    case "create":
    case "update":
    case "close":
    case "reopen":
    case "comment":
      return false;
  }
}

/**
 * Records what an operation did in the snapshot; answers the number of links GitHub refused (left as text),
 * each recorded as refused this sync.
 */
function record(op: Operation, applied: AppliedOperation, snapshot: Snapshot): number {
  switch (op.type) {
    case "create": {
      const created = applied.issue;
      if (!created) throw new Error(`the applier answered no issue for the create of ${op.item}`);
      snapshot.put(created);
      let asText = 0;
      // The new issue's marker records these links already; any GitHub refused (a new issue has no link yet,
      // so a 422 is a refusal) are taken out of it by the next reconcile.
      if (op.parent) {
        const linked = applied.parent === "linked";
        snapshot.observeParent(created.number, linked ? op.parent.number : undefined);
        if (!linked) asText += snapshot.refuseParent(created.number, op.parent.number);
      }
      op.blockedBy.forEach((blocker, index) => {
        if (applied.blockers?.[index] !== "linked")
          asText += snapshot.refuseBlocker(created.number, canonicalRef(blocker));
      });
      snapshot.forgetBlockedBy(created.number);
      return asText;
    }
    case "update":
    case "close":
    case "reopen":
      snapshot.put(applied.issue ?? null);
      return 0;
    case "comment":
      return 0;
    case "add-sub-issue": {
      const linked = applied.parent === "linked";
      snapshot.observeParent(op.child.number, linked ? op.parent.number : undefined);
      return linked ? 0 : snapshot.refuseParent(op.child.number, op.parent.number);
    }
    case "remove-sub-issue":
      snapshot.observeParent(op.child.number, applied.parent === "linked" ? null : undefined);
      return 0;
    case "add-blocked-by": {
      snapshot.forgetBlockedBy(op.issue.number);
      const ref = canonicalRef(op.blocker);
      return blockerRefused(applied.blockers?.[0], snapshot.get(op.issue.number), ref)
        ? snapshot.refuseBlocker(op.issue.number, ref)
        : 0;
    }
    case "remove-blocked-by":
      snapshot.forgetBlockedBy(op.issue.number);
      return 0;
  }
}

/**
 * A 422 on a link the marker records is a re-send (reconcile saw fewer links than it made and sent them all):
 * the link is there. Anything else not linked is a refusal.
 */
function blockerRefused(outcome: LinkOutcome | undefined, issue: ManagedIssue | undefined, ref: string) {
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
