// The applier with links GitHub refuses: real IssueLinks over nock (every request must be expected), issue
// writes in a stub that keeps the issues as GitHub would. A refusal is recorded in the marker once; the next
// sync asks GitHub nothing about it.
import nock from "nock";
import { Octokit } from "@octokit/rest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyPlan } from "../../src/github/apply.js";
import { IssueLinks } from "../../src/github/issue-links.js";
import type { IssueWrites, NewIssue } from "../../src/github/issue-writes.js";
import { decodeMarker } from "../../src/sync/marker.js";
import type { IssueChanges, ManagedIssue, Operation, ReconcileInput } from "../../src/sync/model.js";
import { config, dependsOn, dependsOnIssue, plan, REPO, step, BOT } from "../sync/plan-builder.js";

const API = "https://api.github.com/repos/acme/gateway";
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** Issue writes kept in memory, answering the issue as GitHub would (nock answers the link calls). */
class StubWrites {
  readonly issues = new Map<number, ManagedIssue>();
  readonly log: string[] = [];

  async create(issue: NewIssue): Promise<ManagedIssue> {
    const number = this.issues.size + 1;
    const created: ManagedIssue = {
      id: 500 + number,
      number,
      title: issue.title,
      body: issue.body,
      state: "open",
      stateReason: null,
      labels: issue.labels,
      assignees: issue.assignees,
      milestone: null,
      authorLogin: BOT,
      marker: decodeMarker(issue.body),
    };
    this.issues.set(number, created);
    this.log.push(`create #${number}`);
    return created;
  }

  async update(number: number, changes: IssueChanges, state: object = {}): Promise<ManagedIssue | null> {
    const issue = this.issues.get(number);
    if (!issue) throw new Error(`no #${number}`);
    const next = { ...issue, ...changes, ...state } as ManagedIssue;
    next.marker = decodeMarker(next.body);
    this.issues.set(number, next);
    this.log.push(`update #${number} [${Object.keys(changes).join(",")}]`);
    return next;
  }

  async comment(number: number): Promise<void> {
    this.log.push(`comment #${number}`);
  }

  /** The issues as the next sync's list read answers them, with observed link fields. */
  listed(observed: Record<number, Pick<ManagedIssue, "parentNumber" | "blockedByCount">>): ManagedIssue[] {
    return [...this.issues.values()].map((issue) => ({ ...issue, ...observed[issue.number] }));
  }
}

function tools() {
  const writes = new StubWrites();
  const links = new IssueLinks(new Octokit({ log: quiet }));
  return { writes, tools: { writes: writes as unknown as IssueWrites, links } };
}

function input(issues: ManagedIssue[]): ReconcileInput {
  const planValue = plan({
    steps: [
      step("1", "A", { dependsOn: [dependsOnIssue(41)] }),
      step("2", "B", { dependsOn: dependsOn("1") }),
    ],
  });
  return {
    plan: planValue,
    path: planValue.path,
    previousPath: null,
    config: config(),
    context: REPO,
    issues,
  };
}

const types = (ops: Operation[]) => ops.map((op) => op.type);

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  nock.enableNetConnect();
  expect(pending).toEqual([]);
});

describe("applyPlan with links GitHub refuses", () => {
  it("an unreachable blocker: read once, recorded as refused in one marker update; the next sync asks nothing", async () => {
    const { writes, tools: applyTools } = tools();
    nock(API)
      .post("/issues/1/sub_issues", { sub_issue_id: 502 })
      .reply(201, {})
      .get("/issues/41")
      .reply(404, {})
      .post("/issues/1/sub_issues", { sub_issue_id: 503 })
      .reply(201, {})
      .post("/issues/3/dependencies/blocked_by", { issue_id: 502 })
      .reply(201, {});
    const first = await applyPlan(input([]), applyTools, 3);
    expect(first.linksAsText).toBe(1);
    expect(writes.log).toEqual([
      "create #1",
      "create #2",
      "create #3",
      "update #2 [body]", // the refusal, recorded once
      "update #1 [body]",
    ]);
    expect(decodeMarker(writes.issues.get(2)?.body)).toMatchObject({
      parent: 1,
      blockedBy: [],
      refused: { parent: null, blockedBy: ["acme/gateway#41"] },
    });
    expect(first.issues.some((issue) => "refusedThisSync" in issue)).toBe(false);

    writes.log.length = 0;
    const observed = {
      1: { parentNumber: null, blockedByCount: 0 },
      2: { parentNumber: 1, blockedByCount: 0 },
    };
    const second = await applyPlan(
      input(writes.listed({ ...observed, 3: { parentNumber: 1, blockedByCount: 1 } })),
      applyTools,
      3,
    );
    expect({ rounds: second.rounds, applied: second.applied, writes: writes.log }).toEqual({
      rounds: 1,
      applied: [],
      writes: [],
    });
  });

  it("a 422 on a re-sent link the marker records is the link being there, not a refusal", async () => {
    const { writes, tools: applyTools } = tools();
    nock(API)
      .post("/issues/1/sub_issues")
      .twice()
      .reply(201, {})
      .get("/issues/41")
      .reply(404, {})
      .post("/issues/3/dependencies/blocked_by", { issue_id: 502 })
      .reply(201, {});
    await applyPlan(input([]), applyTools, 3);
    writes.log.length = 0;

    // The list says #3 has no blocker (a stale count): reconcile re-sends #3 ← #2, GitHub answers 422.
    nock(API).post("/issues/3/dependencies/blocked_by", { issue_id: 502 }).reply(422, {});
    const issues = writes.listed({
      1: { parentNumber: null, blockedByCount: 0 },
      2: { parentNumber: 1, blockedByCount: 0 },
      3: { parentNumber: 1, blockedByCount: 0 },
    });
    const again = await applyPlan(input(issues), applyTools, 3);
    expect(types(again.applied)).toEqual(["add-blocked-by"]);
    expect(again.linksAsText).toBe(0);
    expect(writes.log).toEqual([]);
    expect(decodeMarker(writes.issues.get(3)?.body)?.blockedBy).toEqual(["acme/gateway#2"]);
  });

  it("sub-issues GitHub does not offer (404): each issue records its refused parent once, then nothing is sent", async () => {
    const { writes, tools: applyTools } = tools();
    nock(API)
      .post("/issues/1/sub_issues")
      .twice()
      .reply(404, {})
      .get("/issues/41")
      .reply(404, {})
      .post("/issues/3/dependencies/blocked_by", { issue_id: 502 })
      .reply(201, {});
    const first = await applyPlan(input([]), applyTools, 3);
    expect(first.linksAsText).toBe(3);
    expect(writes.log).toEqual([
      "create #1",
      "create #2",
      "create #3",
      "update #2 [body]",
      "update #3 [body]",
      "update #1 [body]",
    ]);
    expect(decodeMarker(writes.issues.get(3)?.body)).toMatchObject({
      parent: null,
      refused: { parent: 1, blockedBy: [] },
    });

    writes.log.length = 0;
    // GitHub without sub-issues lists no parent field: parentNumber stays unknown.
    const second = await applyPlan(
      input(writes.listed({ 1: { blockedByCount: 0 }, 2: { blockedByCount: 0 }, 3: { blockedByCount: 1 } })),
      applyTools,
      3,
    );
    expect({ applied: second.applied, writes: writes.log }).toEqual({ applied: [], writes: [] });
  });
});
