// An in-memory GitHub that applies operations the way the applier protocol (src/sync/model.ts) says, with
// GitHub's caps and links it refuses, and counts every API write. Lets tests run reconcile → apply → reconcile
// to a fixed point.
import { decodeMarker } from "../../src/sync/marker.js";
import type {
  IssueTarget,
  ManagedIssue,
  Operation,
  ReconcileInput,
  RefusedLinks,
} from "../../src/sync/model.js";
import { reconcile } from "../../src/sync/reconcile.js";
import { BOT, REPO } from "./plan-builder.js";

interface StoredIssue extends Omit<
  ManagedIssue,
  "parentNumber" | "blockedByCount" | "refusedThisSync" | "marker"
> {
  parent: number | null;
  blockedBy: Set<string>;
  comments: string[];
}

export class InMemoryGitHub {
  issues: StoredIssue[] = [];
  writes = 0;
  /** When false, snapshots leave the observed link fields undefined (as a layer without them would). */
  observeLinks = true;
  /** Issues that cannot be reached (canonical refs): a "blocked by" link to one is refused, without a write. */
  unreachable = new Set<string>();
  /** Parents that take no more sub-issues (a cap reached by hand, no sub-issues here): one refused write each. */
  refusingParents = new Set<number>();
  /** Links refused during the current sync, as the applier records them (cleared by `sync`). */
  refusedThisSync = new Map<number, RefusedLinks>();
  /** Did GitHub refuse a link during the last `applyRefusing`? */
  private refused = false;

  /** Seeds an issue (e.g. one a person wrote) and returns it. */
  seed(issue: Partial<StoredIssue> & { title: string; body: string }): StoredIssue {
    const number = this.issues.length + 1;
    const stored: StoredIssue = {
      id: 5000 + number,
      number,
      state: "open",
      stateReason: null,
      labels: [],
      assignees: [],
      milestone: null,
      authorLogin: BOT,
      parent: null,
      blockedBy: new Set(),
      comments: [],
      ...issue,
    };
    this.issues.push(stored);
    return stored;
  }

  snapshot(): ManagedIssue[] {
    return this.issues.map(({ parent, blockedBy, comments: _comments, ...issue }) => ({
      ...structuredClone(issue),
      marker: decodeMarker(issue.body),
      ...(this.observeLinks ? { parentNumber: parent, blockedByCount: blockedBy.size } : {}),
      ...(this.refusedThisSync.has(issue.number)
        ? { refusedThisSync: structuredClone(this.refusedThisSync.get(issue.number)) }
        : {}),
    }));
  }

  /** Applies one operation; answers whether GitHub refused a link of it (the applier then re-reconciles). */
  applyRefusing(op: Operation): boolean {
    this.refused = false;
    this.apply(op);
    return this.refused;
  }

  private refuse(number: number, link: { parent: number } | { blockedBy: string }): void {
    const before = this.refusedThisSync.get(number) ?? { parent: null, blockedBy: [] };
    this.refusedThisSync.set(
      number,
      "parent" in link
        ? { ...before, parent: link.parent }
        : { ...before, blockedBy: [...new Set([...before.blockedBy, link.blockedBy])] },
    );
    this.refused = true;
  }

  issue(number: number): StoredIssue {
    const found = this.issues.find((issue) => issue.number === number);
    if (!found) throw new Error(`no issue #${number}`);
    return found;
  }

  byItem(item: string): StoredIssue {
    const found = this.issues.find((issue) => decodeMarker(issue.body)?.item === item);
    if (!found) throw new Error(`no issue for ${item}`);
    return found;
  }

  apply(op: Operation): StoredIssue | null {
    switch (op.type) {
      case "create": {
        const created = this.seed({
          title: op.title,
          body: op.body,
          labels: [...op.labels],
          assignees: [...op.assignees],
          milestone: op.milestone ? { number: 1, title: op.milestone } : null,
        });
        this.writes++;
        const self = {
          item: op.item,
          owner: REPO.owner,
          repo: REPO.repo,
          number: created.number,
          id: created.id,
        };
        if (op.parent)
          this.apply({ type: "add-sub-issue", parent: op.parent, child: self, replaceParent: false });
        for (const blocker of op.blockedBy) this.apply({ type: "add-blocked-by", issue: self, blocker });
        return created;
      }
      case "update":
      case "reopen":
      case "close": {
        const issue = this.issue(op.number);
        if (op.type === "close" && op.comment) this.comment(issue, op.comment);
        const { title, body, labels, assignees, milestone } = op.changes;
        if (title !== undefined) issue.title = title;
        if (body !== undefined) issue.body = body;
        if (labels) issue.labels = [...labels];
        if (assignees) issue.assignees = [...assignees];
        if (milestone !== undefined) issue.milestone = { number: 1, title: milestone };
        if (op.type === "close") Object.assign(issue, { state: "closed", stateReason: op.reason });
        if (op.type === "reopen") Object.assign(issue, { state: "open", stateReason: "reopened" });
        this.writes++;
        return null;
      }
      case "comment":
        this.comment(this.issue(op.number), op.body);
        return null;
      case "add-sub-issue": {
        const child = this.issue(op.child.number);
        if (this.refusingParents.has(op.parent.number)) {
          this.writes++;
          this.refuse(child.number, { parent: op.parent.number });
          return null;
        }
        if (child.parent !== null && !op.replaceParent)
          throw new Error(`#${child.number} already has a parent`);
        if (this.issues.filter((issue) => issue.parent === op.parent.number).length >= 100)
          throw new Error("sub-issue cap");
        this.assertSameIssue(op.parent);
        child.parent = op.parent.number;
        this.writes++;
        return null;
      }
      case "remove-sub-issue":
        this.issue(op.child.number).parent = null;
        this.writes++;
        return null;
      case "add-blocked-by": {
        const issue = this.issue(op.issue.number);
        if (this.unreachable.has(refOf(op.blocker))) {
          this.refuse(issue.number, { blockedBy: refOf(op.blocker) });
          return null;
        }
        if (issue.blockedBy.size >= 50) throw new Error("blocked-by cap");
        issue.blockedBy.add(refOf(op.blocker));
        this.writes++;
        return null;
      }
      case "remove-blocked-by":
        this.issue(op.issue.number).blockedBy.delete(refOf(op.blocker));
        this.writes++;
        return null;
    }
  }

  private comment(issue: StoredIssue, body: string): void {
    issue.comments.push(body);
    this.writes++;
  }

  /** Targets inside this repository must name the right issue id. */
  private assertSameIssue(target: IssueTarget): void {
    if (target.owner === REPO.owner && target.id !== null && this.issue(target.number).id !== target.id) {
      throw new Error(`target #${target.number} has a wrong id`);
    }
  }
}

export function refOf(target: IssueTarget): string {
  return `${target.owner}/${target.repo}#${target.number}`.toLowerCase();
}

export interface SyncResult {
  writes: number;
  rounds: number;
  applied: Operation[];
}

const LINK_TYPES = new Set<Operation["type"]>([
  "add-sub-issue",
  "remove-sub-issue",
  "add-blocked-by",
  "remove-blocked-by",
]);

/**
 * The applier protocol: apply up to and including each create, and up to the first write that is not a link
 * after a refused link; re-reconcile, until reconcile returns [].
 */
export function sync(
  github: InMemoryGitHub,
  input: Omit<ReconcileInput, "issues">,
  maxRounds = 2000,
): SyncResult {
  const before = github.writes;
  const applied: Operation[] = [];
  github.refusedThisSync.clear();
  try {
    for (let round = 1; round <= maxRounds; round++) {
      const ops = reconcile({ ...input, issues: github.snapshot() });
      if (ops.length === 0) return { writes: github.writes - before, rounds: round, applied };
      let refused = false;
      for (const op of ops) {
        if (refused && !LINK_TYPES.has(op.type)) break;
        refused = github.applyRefusing(op) || refused;
        applied.push(op);
        if (op.type === "create") break;
      }
    }
  } finally {
    github.refusedThisSync.clear();
  }
  throw new Error(`no fixed point after ${maxRounds} rounds`);
}
