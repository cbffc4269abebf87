// reconcile against SPEC.md §2, row by row: a first sync through the in-memory applier, then one change
// (in the plan, the config or by a person on GitHub) and the exact operations that follow.
import { describe, expect, test } from "vitest";
import type { Plan } from "../../src/plan/model.js";
import type { Config } from "../../src/sync/config.js";
import { reconcile } from "../../src/sync/reconcile.js";
import { describeOps } from "./describe-ops.js";
import { InMemoryGitHub, sync } from "./in-memory-github.js";
import { config, dependsOn, phase, plan, question, REPO, step } from "./plan-builder.js";

const issueRef = (number: number) => ({
  kind: "issue" as const,
  text: `#${number}`,
  owner: null,
  repo: null,
  number,
});

function basePlan(): Plan {
  return plan({
    phases: [phase("1", "Core"), phase("2", "Rollout")],
    steps: [
      step("1.1", "Token bucket script", {
        phase: "phase-1",
        fields: { what: "A Lua script." },
        line: 20,
        endLine: 30,
      }),
      step("1.2", "Limiter client", {
        phase: "phase-1",
        dependsOn: dependsOn("1.1"),
        assignees: ["mkowalski"],
        line: 31,
        endLine: 40,
      }),
      step("2.1", "Shadow mode", {
        phase: "phase-2",
        dependsOn: dependsOn("1.2"),
        labels: ["rollout"],
        line: 45,
        endLine: 50,
      }),
    ],
    questions: [question("Should internal tenants be exempt?"), question("Who owns the admin UI?")],
    dependencies: {
      upstream: [
        { text: "Verified tenant id (blocked by: #41)", done: true, references: [issueRef(41)], line: 60 },
      ],
      downstream: [],
    },
  });
}

function firstSync(planValue: Plan = basePlan(), configValue: Config = config()) {
  const github = new InMemoryGitHub();
  const input = {
    plan: planValue,
    path: planValue.path,
    previousPath: null,
    config: configValue,
    context: REPO,
  };
  const result = sync(github, input);
  return { github, input, result };
}

test("first sync: tracking first, blockers before what they block, links with each create, tracking body once more", () => {
  const { github, result } = firstSync();
  expect(describeOps(result.applied)).toMatchInlineSnapshot(`
    [
      "create tracking "Plan: Rate limiter" (blocked by #41)",
      "create step:1.1 "Token bucket script" (parent #1)",
      "create step:1.2 "Limiter client" (parent #1; blocked by #2)",
      "create step:2.1 "Shadow mode" (parent #1; blocked by #3)",
      "create question:should-internal-tenants-be-exempt- "Should internal tenants be exempt?" (parent #1)",
      "create question:who-owns-the-admin-ui- "Who owns the admin UI?" (parent #1)",
      "update #1 tracking [body]",
    ]
  `);
  expect(result.writes).toBe(15);
  expect(github.issues.map((issue) => [issue.number, issue.labels, issue.assignees])).toEqual([
    [1, ["plan"], []],
    [2, ["plan-step"], []],
    [3, ["plan-step"], ["mkowalski"]],
    [4, ["plan-step", "rollout"], []],
    [5, ["question"], []],
    [6, ["question"], []],
  ]);
});

type Person = (github: InMemoryGitHub) => void;
const closeIssue =
  (number: number): Person =>
  (github) =>
    Object.assign(github.issue(number), { state: "closed", stateReason: "completed" });
const reopenIssue =
  (number: number): Person =>
  (github) =>
    Object.assign(github.issue(number), { state: "open", stateReason: "reopened" });

function editStep(key: string, change: (s: Plan["steps"][number]) => Partial<Plan["steps"][number]>) {
  return (p: Plan): Plan => ({
    ...p,
    steps: p.steps.map((s) => (s.key === key ? { ...s, ...change(s) } : s)),
  });
}

interface Row {
  name: string;
  before?: (p: Plan) => Plan;
  person?: Person;
  /** A push synced between the first sync and the one under test. */
  middle?: (p: Plan) => Plan;
  after?: (p: Plan) => Plan;
  config?: Partial<Config>;
  path?: string;
  expected: string[];
}

const rows: Row[] = [
  { name: "a push that changes nothing writes nothing", expected: [] },
  {
    name: "lines move (an edit elsewhere): permalinks stay at the commit where the item last changed",
    after: (p) => ({ ...p, steps: p.steps.map((s) => ({ ...s, line: s.line + 7, endLine: s.endLine + 7 })) }),
    expected: [],
  },
  {
    name: "one step's text changes: that step only",
    after: editStep("1.1", () => ({ fields: { what: "A faster Lua script." } })),
    expected: ["update #2 step:1.1 [body]"],
  },
  {
    name: "a step renamed: updated in place (title matched by number and similarity)",
    after: editStep("1.2", () => ({ title: "Limiter client with breaker" })),
    expected: ["update #3 step:1.2 [title,body]", "update #1 tracking [body]"],
  },
  {
    name: "marked done: closed as completed",
    after: editStep("1.1", () => ({ done: true, status: "Done" })),
    expected: ["close #2 step:1.1 completed [body]", "update #1 tracking [body]"],
  },
  {
    name: "unmarked again in a later push: reopened",
    before: editStep("1.1", () => ({ done: true })),
    expected: ["reopen #2 step:1.1 [body]", "update #1 tracking [body]"],
  },
  {
    name: "people win: a person closed a step, the push did not change it: stays closed",
    person: closeIssue(3),
    expected: ["update #1 tracking [body]"],
  },
  {
    name: "people win: a person reopened a done step: stays open",
    before: editStep("1.1", () => ({ done: true })),
    person: reopenIssue(2),
    after: editStep("1.1", () => ({ done: true })),
    expected: ["update #1 tracking [body]"],
  },
  {
    name: "removed from the plan: closed as not planned with a comment, its link removed from the step it blocked",
    after: (p) => ({
      ...p,
      steps: p.steps
        .filter((s) => s.key !== "1.2")
        .map((s) => (s.key === "2.1" ? { ...s, dependsOn: [] } : s)),
    }),
    expected: [
      "remove-sub-issue #1 <- #3",
      "close #3 step:1.2 not_planned +comment [body]",
      "remove-blocked-by #4 <- #3",
      "update #4 step:2.1 [body]",
      "update #1 tracking [body]",
    ],
  },
  {
    name: "back in the plan: the same issue reopened",
    middle: (p) => ({ ...p, steps: p.steps.filter((s) => s.key !== "2.1") }),
    expected: ["add-sub-issue #1 <- #4", "reopen #4 step:2.1 [body]", "update #1 tracking [body]"],
  },
  {
    name: "plan Complete: tracking closed",
    after: (p) => ({ ...p, status: "Complete" }),
    expected: ["close #1 tracking completed [body]"],
  },
  {
    name: "a label renamed in the config moves; nothing else is touched",
    config: { labels: { plan: "plan", step: "task", question: "question" } },
    expected: [
      "update #2 step:1.1 [labels,body]",
      "update #3 step:1.2 [labels,body]",
      "update #4 step:2.1 [labels,body]",
    ],
  },
  {
    name: "questions: list: question issues closed as not planned with a comment",
    config: { questions: "list" },
    expected: [
      "remove-sub-issue #1 <- #5",
      "close #5 question:should-internal-tenants-be-exempt- not_planned +comment [body]",
      "remove-sub-issue #1 <- #6",
      "close #6 question:who-owns-the-admin-ui- not_planned +comment [body]",
      "update #1 tracking [body]",
    ],
  },
  {
    name: "a dependency added: a blocked-by link and the Blocked by line",
    after: editStep("2.1", () => ({ dependsOn: dependsOn("1.2", "1.1") })),
    expected: ["add-blocked-by #4 <- #2", "update #4 step:2.1 [body]", "update #1 tracking [body]"],
  },
  {
    name: "an upstream issue added: the tracking issue is blocked by it",
    after: (p) => ({
      ...p,
      dependencies: {
        upstream: [
          ...p.dependencies.upstream,
          { text: "Gateway #42", done: false, references: [issueRef(42)], line: 61 },
        ],
        downstream: [],
      },
    }),
    expected: ["add-blocked-by #1 <- #42", "update #1 tracking [body]"],
  },
  {
    name: "the file renamed: the same issues follow, the tracking issue points to the new path",
    path: "docs/plans/limiter.md",
    expected: ["update #1 tracking [body]"],
  },
  {
    name: "status Draft with draft: preview: nothing is written",
    after: (p) => ({ ...p, status: "Draft", steps: [] }),
    expected: [],
  },
  {
    name: "a plan with errors is not applied",
    after: (p) => ({
      ...p,
      steps: [],
      diagnostics: [{ severity: "error", rule: "dependency-cycle", message: "cycle", line: 1, column: 1 }],
    }),
    expected: [],
  },
  {
    name: "an opted-out plan is left alone",
    after: (p) => ({ ...p, optOut: true, steps: [] }),
    expected: [],
  },
];

describe("after a first sync", () => {
  test.each(rows)("$name", (row) => {
    const start = (row.before ?? ((p: Plan) => p))(basePlan());
    const { github, input } = firstSync(start);
    if (row.middle) sync(github, { ...input, plan: row.middle(basePlan()) });
    row.person?.(github);
    const next = (row.after ?? ((p: Plan) => p))(basePlan());
    const path = row.path ?? next.path;
    const changed = {
      ...input,
      plan: { ...next, path },
      path,
      previousPath: row.path ? input.path : null,
      config: config(row.config ?? {}),
    };
    expect(describeOps(reconcile({ ...changed, issues: github.snapshot() }))).toEqual(row.expected);
    sync(github, changed);
    expect(reconcile({ ...changed, issues: github.snapshot() })).toEqual([]);
  });
});

test("removed item: the comment says why and carries a marker; coming back reopens it", () => {
  const { github, input } = firstSync();
  const without = { ...basePlan(), steps: basePlan().steps.slice(0, 2) };
  sync(github, { ...input, plan: without });
  expect(github.issue(4)).toMatchObject({ state: "closed", stateReason: "not_planned" });
  expect(github.issue(4).comments).toEqual([
    'This step is no longer in the plan [`plans/limiter.md`](https://github.com/acme/gateway/blob/a1b2c3d/plans/limiter.md), so plan-sync closed it as not planned. If it comes back to the plan, this issue will be reopened.\n\n<!-- plan-sync:comment {"plan":"plans/limiter.md","item":"step:2.1","reason":"removed"} -->',
  ]);
  sync(github, input);
  expect(github.issue(4)).toMatchObject({ state: "open", stateReason: "reopened" });
  expect(github.issues).toHaveLength(6);
});

test("done at first sight: created, then closed as completed", () => {
  const done = editStep("1.1", () => ({ done: true }))(basePlan());
  const { github, result } = firstSync(done);
  expect(describeOps(result.applied).filter((line) => line.includes("step:1.1"))).toEqual([
    'create step:1.1 "Token bucket script" (parent #1; then close)',
    "close #2 step:1.1 completed [body]",
  ]);
  expect(github.issue(2)).toMatchObject({ state: "closed", stateReason: "completed" });
});

test("plan file deleted: the tracking issue and every open issue closed as not planned", () => {
  const { github, input } = firstSync();
  closeIssue(2)(github);
  const ops = reconcile({ ...input, plan: null, issues: github.snapshot() });
  expect(describeOps(ops)).toEqual([
    "close #1 tracking not_planned +comment [body]",
    "close #3 step:1.2 not_planned +comment [body]",
    "close #4 step:2.1 not_planned +comment [body]",
    "close #5 question:should-internal-tenants-be-exempt- not_planned +comment [body]",
    "close #6 question:who-owns-the-admin-ui- not_planned +comment [body]",
  ]);
  sync(github, { ...input, plan: null });
  expect(reconcile({ ...input, plan: null, issues: github.snapshot() })).toEqual([]);
  // The file comes back: the same issues are reopened, nothing is created.
  const back = sync(github, input);
  expect(back.applied.filter((op) => op.type === "create")).toEqual([]);
  expect(github.issue(1).state).toBe("open");
});

test("draft: sync writes a Draft plan like any other", () => {
  const draft = { ...basePlan(), status: "Draft" };
  const { github } = firstSync(draft, config({ draft: "sync" }));
  expect(github.issues).toHaveLength(6);
});
