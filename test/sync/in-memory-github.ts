// An in-memory GitHub that applies one operation at a time with GitHub's caps and the links it refuses, and
// counts every API write. `sync` drives the real loop (src/sync/apply-loop.ts) with it: reconcile → apply →
// reconcile to a fixed point, exactly as a sync against GitHub does.
import {
  applyLoop,
  type AppliedOperation,
  type ApplyResult,
  type LinkOutcome,
} from "../../src/sync/apply-loop.js";
import { decodeMarker } from "../../src/sync/marker.js";
import type { IssueTarget, ManagedIssue, Operation, ReconcileInput } from "../../src/sync/model.js";
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

  /** The issues as a list read answers them (with the observed link fields when `observeLinks`). */
  snapshot(): ManagedIssue[] {
    return this.issues.map((issue) => ({
      ...this.answer(issue),
      ...(this.observeLinks ? { parentNumber: issue.parent, blockedByCount: issue.blockedBy.size } : {}),
    }));
  }

  /** An issue as a write answers it: no link fields. */
  private answer({ parent: _parent, blockedBy: _blockedBy, comments: _comments, ...issue }: StoredIssue) {
    return { ...structuredClone(issue), marker: decodeMarker(issue.body) };
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

  /** Applies one operation as GitHub would; answers what came of it, as the loop needs to know. */
  apply(op: Operation): AppliedOperation {
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
        const parent = op.parent ? this.addSubIssue(op.parent, self, false) : undefined;
        const blockers = op.blockedBy.map((blocker) => this.addBlockedBy(self, blocker));
        return { issue: this.answer(created), blockers, ...(parent ? { parent } : {}) };
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
        return { issue: this.answer(issue) };
      }
      case "comment":
        this.comment(this.issue(op.number), op.body);
        return {};
      case "add-sub-issue":
        return { parent: this.addSubIssue(op.parent, op.child, op.replaceParent) };
      case "remove-sub-issue":
        this.issue(op.child.number).parent = null;
        this.writes++;
        return { parent: "linked" };
      case "add-blocked-by":
        return { blockers: [this.addBlockedBy(op.issue, op.blocker)] };
      case "remove-blocked-by":
        this.issue(op.issue.number).blockedBy.delete(refOf(op.blocker));
        this.writes++;
        return { blockers: ["linked"] };
    }
  }

  private addSubIssue(parent: IssueTarget, child: IssueTarget, replaceParent: boolean): LinkOutcome {
    const issue = this.issue(child.number);
    this.writes++;
    if (this.refusingParents.has(parent.number)) return "rejected";
    if (issue.parent !== null && !replaceParent) throw new Error(`#${issue.number} already has a parent`);
    if (this.issues.filter((other) => other.parent === parent.number).length >= 100)
      throw new Error("sub-issue cap");
    this.assertSameIssue(parent);
    issue.parent = parent.number;
    return "linked";
  }

  /** An unreachable blocker is refused without a write (its id cannot be read). */
  private addBlockedBy(target: IssueTarget, blocker: IssueTarget): LinkOutcome {
    const issue = this.issue(target.number);
    if (this.unreachable.has(refOf(blocker))) return "unreachable";
    if (issue.blockedBy.size >= 50) throw new Error("blocked-by cap");
    issue.blockedBy.add(refOf(blocker));
    this.writes++;
    return "linked";
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

/** One sync: the real loop over this GitHub's issues, each operation applied here. */
export function sync(
  github: InMemoryGitHub,
  input: Omit<ReconcileInput, "issues">,
  maxRounds = 2000,
): SyncResult {
  const before = github.writes;
  const loop = applyLoop({ ...input, issues: github.snapshot() }, maxRounds);
  let step = loop.next();
  while (!step.done) step = loop.next(github.apply(step.value));
  const { rounds, applied }: ApplyResult = step.value;
  return { writes: github.writes - before, rounds, applied };
}
