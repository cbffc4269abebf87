// reconcile's rules beyond the SPEC table: identity, who owns the body, ownership, duplicates, GitHub's caps.
import { describe, expect, test } from "vitest";
import type { Plan } from "../../src/plan/model.js";
import { SECTION_END } from "../../src/sync/body.js";
import type { Config } from "../../src/sync/config.js";
import { decodeMarker } from "../../src/sync/marker.js";
import type { ReconcileInput } from "../../src/sync/model.js";
import { reconcile } from "../../src/sync/reconcile.js";
import { summarizeOperations } from "../../src/sync/summary.js";
import { describeOps } from "./describe-ops.js";
import { InMemoryGitHub, sync } from "./in-memory-github.js";
import { BOT, chainPlan, config, dependsOn, dependsOnIssue, plan, REPO, step } from "./plan-builder.js";

function threeSteps(): Plan {
  return plan({
    steps: [
      step("1", "Set up the repository", { line: 10, endLine: 12 }),
      step("2", "Write the parser", { line: 13, endLine: 15 }),
      step("3", "Ship the CLI", { line: 16, endLine: 18 }),
    ],
  });
}

function synced(planValue: Plan, configValue: Config = config()) {
  const github = new InMemoryGitHub();
  const input: Omit<ReconcileInput, "issues"> = {
    plan: planValue,
    path: planValue.path,
    previousPath: null,
    config: configValue,
    context: REPO,
  };
  const first = sync(github, input);
  const next = (changed: Partial<Omit<ReconcileInput, "issues">>) =>
    reconcile({ ...input, ...changed, issues: github.snapshot() });
  return { github, input, first, next };
}

describe("identity", () => {
  test("a step inserted before others renumbers them: each keeps its issue (matched by title), one create", () => {
    const { next } = synced(threeSteps());
    const inserted = plan({
      steps: [
        step("1", "Set up the repository", { line: 10, endLine: 12 }),
        step("2", "Pick a markdown library", { line: 13, endLine: 15 }),
        step("3", "Write the parser", { line: 16, endLine: 18 }),
        step("4", "Ship the CLI", { line: 19, endLine: 21 }),
      ],
    });
    expect(describeOps(next({ plan: inserted }))).toEqual([
      'create step:2 "Pick a markdown library" (parent #1)',
      "update #3 step:3 [body]",
      "update #4 step:4 [body]",
      "update #1 tracking [body]",
    ]);
  });

  test("an explicit id keeps the issue through any retitle and renumber", () => {
    const withId = plan({ steps: [step("1", "Old name", { explicitId: "core" }), step("2", "Other")] });
    const { next } = synced(withId);
    const renamed = plan({
      steps: [step("2", "Other"), step("5", "Completely different", { explicitId: "core" })],
    });
    expect(describeOps(next({ plan: renamed }))).toEqual([
      "update #2 step:core [title,body]",
      "update #1 tracking [body]",
    ]);
  });

  test("same number with an unrelated title is a new item: the old issue is closed, a new one created", () => {
    const { next } = synced(threeSteps());
    const replaced = plan({
      steps: [
        step("1", "Set up the repository", { line: 10, endLine: 12 }),
        step("2", "Buy coffee beans"),
        step("3", "Ship the CLI", { line: 16, endLine: 18 }),
      ],
    });
    expect(describeOps(next({ plan: replaced }))).toEqual([
      "remove-sub-issue #1 <- #3",
      "close #3 step:2 not_planned +comment [body]",
      'create step:2 "Buy coffee beans" (parent #1)',
      "update #1 tracking [body]",
    ]);
  });
});

describe("who owns the body", () => {
  test("text a person writes outside the rendered part is kept when the item changes", () => {
    const { github, input } = synced(threeSteps());
    const issue = github.issue(2);
    issue.body = `Notes from standup.\n\n${issue.body.replace(SECTION_END, `${SECTION_END}\n\nLink to the design doc.`)}`;
    const edited = {
      ...threeSteps(),
      steps: threeSteps().steps.map((s) => (s.key === "1" ? { ...s, details: "Use pnpm." } : s)),
    };
    sync(github, { ...input, plan: edited });
    expect(github.issue(2).body).toMatch(/^Notes from standup\.\n\n<!-- plan-sync:begin -->\n/);
    expect(github.issue(2).body).toContain("### Details\nUse pnpm.");
    expect(github.issue(2).body).toContain(
      `${SECTION_END}\n\nLink to the design doc.\n\n<!-- plan-sync:marker `,
    );
  });

  test("a person's edit inside the rendered part stands until the item changes in the plan", () => {
    const { github, input, next } = synced(threeSteps());
    github.issue(3).body = github
      .issue(3)
      .body.replace("plan **Rate limiter**", "plan **Rate limiter** (see also #99)");
    github.issue(3).title = "Write the parser (hard!)";
    expect(next({})).toEqual([]);
    const edited = {
      ...threeSteps(),
      steps: threeSteps().steps.map((s) => (s.key === "2" ? { ...s, details: "Streaming." } : s)),
    };
    expect(describeOps(next({ plan: edited }))).toEqual(["update #3 step:2 [title,body]"]);
    sync(github, { ...input, plan: edited });
    expect(github.issue(3).title).toBe("Write the parser");
    expect(github.issue(3).body).not.toContain("see also #99");
  });
});

describe("ownership", () => {
  test("an issue a person wrote, even with a copied marker, is never touched; the item gets its own issue", () => {
    const github = new InMemoryGitHub();
    const { github: source } = synced(threeSteps());
    github.seed({ title: "Copied", body: source.issue(2).body, authorLogin: "mallory" });
    const ops = reconcile({
      plan: threeSteps(),
      path: "plans/limiter.md",
      previousPath: null,
      config: config(),
      context: REPO,
      issues: github.snapshot(),
    });
    expect(ops.filter((op) => op.type !== "create")).toEqual([]);
    expect(ops.map((op) => op.type === "create" && op.item)).toEqual([
      "tracking",
      "step:1",
      "step:2",
      "step:3",
    ]);
  });

  test("github-actions[bot] issues are ours when the caller lists that login", () => {
    const { github, input } = synced(threeSteps());
    for (const issue of github.issues) issue.authorLogin = "github-actions[bot]";
    const asAction = { ...input, context: { ...REPO, botLogins: [BOT, "github-actions[bot]"] } };
    expect(reconcile({ ...asAction, issues: github.snapshot() })).toEqual([]);
    expect(
      reconcile({ ...input, issues: github.snapshot() }).filter((op) => op.type === "create"),
    ).toHaveLength(4);
  });

  test("another plan's issues are not this plan's", () => {
    const { github, input } = synced(threeSteps());
    const other = { ...input, plan: { ...threeSteps(), path: "plans/other.md" }, path: "plans/other.md" };
    const ops = reconcile({ ...other, issues: github.snapshot() });
    expect(ops.every((op) => op.type === "create")).toBe(true);
    expect(ops).toHaveLength(4);
  });
});

test("duplicates with the same marker (a create GitHub committed but answered with an error): closed as duplicate", () => {
  const { github, next } = synced(threeSteps());
  github.seed({ title: "Write the parser", body: github.issue(3).body, labels: ["plan-step"] });
  expect(describeOps(next({}))).toEqual(["close #5 step:2 duplicate +comment []"]);
});

describe("GitHub's caps", () => {
  test("over 100 steps: one issue per phase under the tracking issue, steps under their phase", () => {
    const { github, first } = synced(chainPlan(150));
    const phases = github.issues.filter((issue) => decodeMarker(issue.body)?.kind === "phase");
    expect(phases.map((issue) => [issue.title, issue.parent])).toEqual(
      Array.from({ length: 15 }, (_, index) => [`Phase ${index + 1}: Part ${index + 1}`, 1]),
    );
    const step31 = github.byItem("step:3.1");
    expect(step31.parent).toBe(phases[2]?.number);
    expect(github.issues.filter((issue) => issue.parent === 1)).toHaveLength(15);
    expect(first.writes).toBe(1 + 15 * 3 + 150 * 3 - 1 + 1);
  });

  test("more than 50 blockers: 50 links, every blocker still a Blocked by line in the body", () => {
    const blockers = Array.from({ length: 60 }, (_, index) =>
      step(String(index + 1), `Blocker ${index + 1}`),
    );
    const blocked = step("61", "Everything else", { dependsOn: dependsOn(...blockers.map((s) => s.key)) });
    const { github } = synced(plan({ steps: [...blockers, blocked] }));
    const issue = github.byItem("step:61");
    expect(issue.blockedBy.size).toBe(50);
    expect(issue.body.match(/^Blocked by #\d+$/gm)).toHaveLength(60);
  });

  test("a link the marker records but GitHub lacks (observed counts) is sent again", () => {
    const { github, next } = synced(
      plan({ steps: [step("1", "A"), step("2", "B", { dependsOn: dependsOn("1") })] }),
    );
    github.issue(3).blockedBy.clear();
    github.issue(2).parent = null;
    expect(describeOps(next({}))).toEqual(["add-sub-issue #1 <- #2", "add-blocked-by #3 <- #2"]);
    github.observeLinks = false;
    expect(next({})).toEqual([]);
  });

  test("a body past 65,536 characters is truncated with a note, the marker kept", () => {
    const long = step("1", "Huge", { details: "x".repeat(70_000) });
    const { github } = synced(plan({ steps: [long] }));
    const body = github.issue(2).body;
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toContain(
      "> Truncated: this part was longer than GitHub allows in an issue body. See the plan file.",
    );
    expect(decodeMarker(body)?.item).toBe("step:1");
  });
});

test("labels: a label a person added stays; a label the plan drops is removed; assignees likewise", () => {
  const labelled = plan({ steps: [step("1", "A", { labels: ["backend", "p1"], assignees: ["ana"] })] });
  const { github, next } = synced(labelled);
  github.issue(2).labels.push("needs-design");
  github.issue(2).assignees.push("bo");
  const changed = plan({ steps: [step("1", "A", { labels: ["backend"], assignees: ["cy"] })] });
  const ops = next({ plan: changed });
  expect(ops[0]).toMatchObject({
    type: "update",
    number: 2,
    changes: { labels: ["plan-step", "backend", "needs-design"], assignees: ["bo", "cy"] },
  });
});

test("nested checklists: a sub-task's issue is a sub-issue of its parent task's issue", () => {
  const nested = plan({
    steps: [step("1", "Parent"), step("1.1", "Child", { parent: "1" }), step("2", "Orphan", { parent: "9" })],
  });
  const { github } = synced(nested);
  expect(github.byItem("step:1.1").parent).toBe(github.byItem("step:1").number);
  expect(github.byItem("step:2").parent).toBe(1);
});

test("sub_issues: false links nothing; dependencies: false links no blockers", () => {
  const planValue = plan({ steps: [step("1", "A"), step("2", "B", { dependsOn: dependsOn("1") })] });
  const { github } = synced(planValue, config({ sub_issues: false, dependencies: false }));
  expect(github.issues.map((issue) => [issue.parent, issue.blockedBy.size])).toEqual([
    [null, 0],
    [null, 0],
    [null, 0],
  ]);
  expect(github.issue(3).body).toContain("Blocked by #2");
});

test("back under 100 steps: phase issues closed as not planned, steps move back under the tracking issue", () => {
  const { github, input } = synced(chainPlan(110));
  const smaller = chainPlan(95);
  const ops = reconcile({ ...input, plan: smaller, issues: github.snapshot() });
  const kinds = ops.map((op) =>
    op.type === "close" ? `close ${op.item.split(":")[0]} ${op.reason}` : op.type,
  );
  expect(kinds.filter((kind) => kind === "close phase not_planned")).toHaveLength(11);
  expect(kinds.filter((kind) => kind === "close step not_planned")).toHaveLength(15);
  expect(
    ops.filter((op) => op.type === "add-sub-issue" && op.replaceParent && op.parent.number === 1),
  ).toHaveLength(95);
  sync(github, { ...input, plan: smaller });
  expect(github.issues.filter((issue) => issue.parent === 1 && issue.state === "open")).toHaveLength(95);
  expect(reconcile({ ...input, plan: smaller, issues: github.snapshot() })).toEqual([]);
});

test("summarizeOperations: counts and lists by title, writes as the applier spends them", () => {
  const { github, input } = synced(threeSteps());
  const edited = plan({
    steps: [
      step("1", "Set up the repository", { line: 10, endLine: 12, done: true }),
      step("2", "Write the parser", { line: 13, endLine: 15, details: "Streaming." }),
      step("4", "Document it", { dependsOn: dependsOn("2") }),
    ],
  });
  const summary = summarizeOperations(reconcile({ ...input, plan: edited, issues: github.snapshot() }));
  expect(summary).toEqual({
    creates: ["Document it"],
    updates: ["Write the parser", "Plan: Rate limiter"],
    closes: ["Ship the CLI", "Set up the repository"],
    reopens: [],
    comments: 1,
    links: 3,
    // detach + close with comment, create with parent and blocker, update, close, tracking update
    writes: 1 + 2 + 3 + 1 + 1 + 1,
  });
});

test("milestone: set from the plan; one a person sets stands until the plan names another", () => {
  const withMilestone = (name: string) => plan({ metadata: { milestone: name }, steps: [step("1", "A")] });
  const { github, input } = synced(withMilestone("v1"));
  expect(github.issue(2).milestone?.title).toBe("v1");
  github.issue(2).milestone = { number: 7, title: "Hotfix" };
  expect(reconcile({ ...input, issues: github.snapshot() })).toEqual([]);
  const ops = reconcile({ ...input, plan: withMilestone("v2"), issues: github.snapshot() });
  expect(ops.find((op) => op.type === "update" && op.number === 2)).toMatchObject({
    changes: { milestone: "v2" },
  });
});

test("dependencies that link nothing (tickets) are listed in the body, tickets linked through ticket_links", () => {
  const ticket = {
    text: "PLAT-7",
    stepKey: null,
    reference: { kind: "ticket" as const, text: "PLAT-7", key: "PLAT-7" },
    line: 1,
    column: 1,
  };
  const { github } = synced(
    plan({ steps: [step("1", "A", { dependsOn: [ticket] })] }),
    config({ ticket_links: { PLAT: "https://jira.example.com/browse/{key}" } }),
  );
  expect(github.issue(2).body).toContain(
    "### Dependencies\nDepends on [PLAT-7](https://jira.example.com/browse/PLAT-7)\n",
  );
  expect(github.issue(2).blockedBy.size).toBe(0);
});

describe("links GitHub refused", () => {
  const UPSTREAM = "acme/gateway#41";
  const refusing = (
    steps = [
      step("1", "A", { dependsOn: [dependsOnIssue(41)] }),
      step("2", "B", { dependsOn: dependsOn("1") }),
    ],
  ) => plan({ steps });
  function syncedRefusing(
    planValue: Plan = refusing(),
    prepare: (github: InMemoryGitHub) => void = () => {},
  ) {
    const github = new InMemoryGitHub();
    github.unreachable.add(UPSTREAM);
    prepare(github);
    const input: Omit<ReconcileInput, "issues"> = {
      plan: planValue,
      path: planValue.path,
      previousPath: null,
      config: config(),
      context: REPO,
    };
    const first = sync(github, input);
    const next = (changed: Partial<Omit<ReconcileInput, "issues">> = {}) =>
      reconcile({ ...input, ...changed, issues: github.snapshot() });
    return { github, input, first, next };
  }
  const markerOf = (github: InMemoryGitHub, number: number) => decodeMarker(github.issue(number).body);

  test("a refused blocker leaves the marker's blockedBy for its refused list, in one marker update", () => {
    const { github, first, next } = syncedRefusing();
    expect(describeOps(first.applied)).toEqual([
      'create tracking "Plan: Rate limiter"',
      'create step:1 "A" (parent #1; blocked by #41)',
      'create step:2 "B" (parent #1; blocked by #2)',
      "update #2 step:1 [body]", // the marker update, once
      "update #1 tracking [body]",
    ]);
    // creates 3, sub-issues 2, the link #3 ← #2 1, the marker 1, the tracking body 1; #41 is never written
    expect(first.writes).toBe(8);
    expect(markerOf(github, 2)).toMatchObject({
      blockedBy: [],
      refused: { parent: null, blockedBy: [UPSTREAM] },
    });
    expect(markerOf(github, 3)).toMatchObject({ blockedBy: ["acme/gateway#2"] });
    expect(markerOf(github, 3)?.refused).toBeUndefined();
    expect(github.issue(2).body).toContain("Blocked by #41");
    expect(next()).toEqual([]);
    github.observeLinks = false;
    expect(next()).toEqual([]);
  });

  test("an unrelated push sends nothing; editing the item tries the link again (one write, the marker right)", () => {
    const { github, input, next } = syncedRefusing();
    const other = refusing([
      step("1", "A", { dependsOn: [dependsOnIssue(41)] }),
      step("2", "B", { dependsOn: dependsOn("1"), fields: { what: "Changed." } }),
    ]);
    expect(describeOps(next({ plan: other }))).toEqual(["update #3 step:2 [body]"]);
    const edited = refusing([
      step("1", "A", { dependsOn: [dependsOnIssue(41)], fields: { what: "Changed." } }),
      step("2", "B", { dependsOn: dependsOn("1") }),
    ]);
    expect(describeOps(next({ plan: edited }))).toEqual([
      "add-blocked-by #2 <- #41",
      "update #2 step:1 [body]",
    ]);
    const result = sync(github, { ...input, plan: edited });
    expect(result.writes).toBe(1);
    expect(markerOf(github, 2)).toMatchObject({
      blockedBy: [],
      refused: { parent: null, blockedBy: [UPSTREAM] },
    });
    expect(next({ plan: edited })).toEqual([]);
  });

  test("tried again after an edit and accepted: the link is made and recorded, the refused list gone", () => {
    const { github, input, next } = syncedRefusing();
    github.unreachable.clear();
    const edited = refusing([
      step("1", "A", { dependsOn: [dependsOnIssue(41)], fields: { what: "Changed." } }),
      step("2", "B", { dependsOn: dependsOn("1") }),
    ]);
    expect(sync(github, { ...input, plan: edited }).writes).toBe(2);
    expect([...github.issue(2).blockedBy]).toEqual([UPSTREAM]);
    const marker = markerOf(github, 2);
    expect(marker?.blockedBy).toEqual([UPSTREAM]);
    expect(marker?.refused).toBeUndefined();
    expect(next({ plan: edited })).toEqual([]);
  });

  test("a marker written before the refused list (the link recorded as made): re-sent as before, then settled", () => {
    // The first sync as it was: GitHub accepted nothing for #41, the marker claims the link.
    const { github, next, input } = syncedRefusing(refusing(), (fresh) => fresh.unreachable.clear());
    github.issue(2).blockedBy.delete(UPSTREAM);
    github.unreachable.add(UPSTREAM);
    expect(markerOf(github, 2)?.blockedBy).toEqual([UPSTREAM]);
    expect(describeOps(next())).toEqual(["add-blocked-by #2 <- #41"]);
    const result = sync(github, input);
    expect(describeOps(result.applied)).toEqual(["add-blocked-by #2 <- #41", "update #2 step:1 [body]"]);
    expect(result.writes).toBe(1);
    expect(markerOf(github, 2)).toMatchObject({
      blockedBy: [],
      refused: { parent: null, blockedBy: [UPSTREAM] },
    });
    expect(next()).toEqual([]);
  });

  test("the plan drops a refused blocker: nothing to remove, the refused list goes with it", () => {
    const { github, input, next } = syncedRefusing();
    const dropped = refusing([step("1", "A"), step("2", "B", { dependsOn: dependsOn("1") })]);
    expect(describeOps(next({ plan: dropped }))).toEqual(["update #2 step:1 [body]"]);
    sync(github, { ...input, plan: dropped });
    const marker = markerOf(github, 2);
    expect(marker?.refused).toBeUndefined();
  });

  test.each([true, false])(
    "a parent that refuses sub-issues (observed links: %s): refused once, recorded, retried when the item changes",
    (observeLinks) => {
      const { github, input, first, next } = syncedRefusing(
        plan({ steps: [step("1", "A"), step("2", "B")] }),
        (fresh) => {
          fresh.refusingParents.add(1);
          fresh.observeLinks = observeLinks;
        },
      );
      expect(describeOps(first.applied)).toEqual([
        'create tracking "Plan: Rate limiter"',
        'create step:1 "A" (parent #1)',
        'create step:2 "B" (parent #1)',
        "update #2 step:1 [body]",
        "update #3 step:2 [body]",
        "update #1 tracking [body]",
      ]);
      expect(github.issues.map((issue) => issue.parent)).toEqual([null, null, null]);
      expect(markerOf(github, 2)).toMatchObject({ parent: null, refused: { parent: 1, blockedBy: [] } });
      expect(next()).toEqual([]);
      const edited = plan({ steps: [step("1", "A", { fields: { what: "Changed." } }), step("2", "B")] });
      expect(describeOps(next({ plan: edited }))).toEqual([
        "add-sub-issue #1 <- #2",
        "update #2 step:1 [body]",
      ]);
      expect(describeOps(sync(github, { ...input, plan: edited }).applied)).toEqual([
        "add-sub-issue #1 <- #2",
        "update #2 step:1 [body]",
      ]);
      expect(markerOf(github, 2)).toMatchObject({ parent: null, refused: { parent: 1, blockedBy: [] } });
      expect(next({ plan: edited })).toEqual([]);
    },
  );
});
