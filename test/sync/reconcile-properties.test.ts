// Properties of reconcile under the applier protocol: random plans, random edits and random acts of people
// on GitHub always reach a fixed point (reconcile → []), keep one issue per item, and stay within the write
// budgets of the brief.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { Plan, Step } from "../../src/plan/model.js";
import type { Config } from "../../src/sync/config.js";
import { decodeMarker } from "../../src/sync/marker.js";
import { reconcile } from "../../src/sync/reconcile.js";
import { InMemoryGitHub, sync } from "./in-memory-github.js";
import {
  chainPlan,
  config,
  dependsOn,
  dependsOnIssue,
  phase,
  plan,
  question,
  REPO,
  step,
} from "./plan-builder.js";

const WORDS = [
  "cache",
  "parser",
  "queue",
  "auth",
  "billing",
  "search",
  "export",
  "metrics",
  "retry",
  "index",
];

const stepShape = fc.record({
  title: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 }).map((words) => words.join(" ")),
  done: fc.boolean(),
  labels: fc.subarray(["backend", "p1", "ux"]),
  assignees: fc.subarray(["ana", "bo"]),
  what: fc.constantFrom("", "Do it.", "Do it well."),
  deps: fc.array(fc.nat(30), { maxLength: 3 }),
  /** Issues of another repository it waits for (some of them unreachable, see `refusals`). */
  upstream: fc.subarray([1, 2, 3]),
  phase: fc.nat(2),
});
type StepShape = typeof stepShape extends fc.Arbitrary<infer T> ? T : never;

const questionShape = fc.record({
  text: fc.constantFrom("Who owns it?", "Which region?", "How fast?"),
  done: fc.boolean(),
});

/** Steps numbered in order (so inserting renumbers the rest), each depending only on earlier steps. */
function buildPlan(
  shapes: StepShape[],
  questions: Array<{ text: string; done: boolean }>,
  status = "In Progress",
  upstream: number[] = [],
): Plan {
  const steps: Step[] = shapes.map((shape, index) => {
    const earlier = [...new Set(shape.deps.filter((dep) => dep < index))].map((dep) => String(dep + 1));
    return step(String(index + 1), `${shape.title} ${index % 3 === 0 ? "setup" : "work"}`, {
      done: shape.done,
      labels: shape.labels,
      assignees: shape.assignees,
      fields: shape.what ? { what: shape.what } : {},
      dependsOn: [
        ...dependsOn(...earlier),
        ...shape.upstream.map((number) => dependsOnIssue(number, "other", "lib")),
      ],
      phase: `phase-${shape.phase + 1}`,
      line: 10 + index * 5,
      endLine: 14 + index * 5,
    });
  });
  const uniqueQuestions = [...new Map(questions.map((q) => [q.text, q])).values()];
  return plan({
    status,
    phases: [phase("1", "One"), phase("2", "Two"), phase("3", "Three")],
    steps,
    questions: uniqueQuestions.map((q, index) => question(q.text, { done: q.done, line: 200 + index })),
    dependencies: {
      upstream: upstream.map((number, index) => ({
        text: `Waits for other/lib#${number}`,
        done: false,
        references: [{ kind: "issue", text: `other/lib#${number}`, owner: "other", repo: "lib", number }],
        line: 300 + index,
      })),
      downstream: [],
    },
  });
}

/** Links GitHub refuses: issues of other/lib it cannot reach, the tracking issue taking no sub-issues. */
const refusals = fc.record({
  unreachable: fc.subarray([1, 2, 3]),
  trackingRefusesChildren: fc.boolean(),
  /** Between the two pushes some become reachable (a person created the issue, granted access). */
  reachableLater: fc.subarray([1, 2, 3]),
});
type Refusals = typeof refusals extends fc.Arbitrary<infer T> ? T : never;

function refuseLinks(github: InMemoryGitHub, value: Refusals): void {
  for (const number of value.unreachable) github.unreachable.add(`other/lib#${number}`);
  if (value.trackingRefusesChildren) github.refusingParents.add(1);
}

const configShape = fc.record({
  sub_issues: fc.boolean(),
  dependencies: fc.boolean(),
  questions: fc.constantFrom("issue" as const, "list" as const),
  close_removed: fc.boolean(),
  title_format: fc.constantFrom("{title}", "[{plan}] {number} {title}"),
});

const edit = fc.oneof(
  fc.record({ kind: fc.constant("toggle" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("remove" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), shape: stepShape }),
  fc.record({ kind: fc.constant("rename" as const), at: fc.nat(), word: fc.constantFrom(...WORDS) }),
  fc.record({
    kind: fc.constant("relabel" as const),
    at: fc.nat(),
    labels: fc.subarray(["backend", "p1", "ux"]),
  }),
  fc.record({ kind: fc.constant("complete" as const) }),
);
type Edit = typeof edit extends fc.Arbitrary<infer T> ? T : never;

function applyEdit(shapes: StepShape[], change: Edit): { shapes: StepShape[]; status?: string } {
  const next = [...shapes];
  const at = "at" in change ? change.at % Math.max(1, next.length) : 0;
  const target = next[at];
  switch (change.kind) {
    case "toggle":
      if (target) next[at] = { ...target, done: !target.done };
      break;
    case "remove":
      next.splice(at, 1);
      break;
    case "insert":
      next.splice(at, 0, change.shape);
      break;
    case "rename":
      if (target) next[at] = { ...target, title: `${target.title} ${change.word}` };
      break;
    case "relabel":
      if (target) next[at] = { ...target, labels: change.labels };
      break;
    case "complete":
      return { shapes: next, status: "Complete" };
  }
  return { shapes: next };
}

const personAct = fc.record({
  issue: fc.nat(),
  act: fc.constantFrom("close", "reopen", "label", "unassign"),
});

function actAsPerson(github: InMemoryGitHub, act: { issue: number; act: string }): void {
  const issue = github.issues[act.issue % Math.max(1, github.issues.length)];
  if (!issue) return;
  if (act.act === "close") Object.assign(issue, { state: "closed", stateReason: "completed" });
  if (act.act === "reopen") Object.assign(issue, { state: "open", stateReason: "reopened" });
  if (act.act === "label") issue.labels.push("from-a-person");
  if (act.act === "unassign") issue.assignees = [];
}

/**
 * Every item of the plan has exactly one issue that stands for it now (marker names the item with its
 * current title); issues of removed items may linger (e.g. `close_removed: false`) under old titles.
 */
function expectOneIssuePerItem(github: InMemoryGitHub, planValue: Plan, configValue: Config): void {
  const current = new Map<string, number>();
  for (const issue of github.issues) {
    const marker = decodeMarker(issue.body);
    if (!marker || issue.stateReason === "duplicate") continue;
    const identity = `${marker.item}\n${marker.title}`;
    current.set(identity, (current.get(identity) ?? 0) + 1);
  }
  const titles = planValue.steps.map((s) => s.title);
  for (const s of planValue.steps) {
    if (titles.indexOf(s.title) !== titles.lastIndexOf(s.title)) continue; // ambiguous by construction
    expect(current.get(`step:${s.key}\n${s.title}`)).toBe(1);
  }
  if (configValue.questions === "issue") {
    for (const q of planValue.questions) expect(current.get(`question:${q.key}\n${q.text}`)).toBe(1);
  }
}

describe("reconcile under the applier protocol", () => {
  test("random plans, edits and people: always a fixed point, one issue per item, nothing lost", () => {
    fc.assert(
      fc.property(
        fc.array(stepShape, { minLength: 1, maxLength: 12 }),
        fc.array(questionShape, { maxLength: 3 }),
        configShape,
        fc.array(edit, { maxLength: 4 }),
        fc.array(personAct, { maxLength: 3 }),
        fc.boolean(),
        fc.subarray([1, 2, 3]),
        refusals,
        (shapes, questions, configOverrides, edits, acts, observeLinks, upstream, refused) => {
          const github = new InMemoryGitHub();
          github.observeLinks = observeLinks;
          refuseLinks(github, refused);
          const configValue = config(configOverrides);
          const first = buildPlan(shapes, questions, undefined, upstream);
          const input = {
            plan: first,
            path: first.path,
            previousPath: null,
            config: configValue,
            context: REPO,
          };
          sync(github, input, 200);
          expect(reconcile({ ...input, issues: github.snapshot() })).toEqual([]);
          expectOneIssuePerItem(github, first, configValue);

          let current = shapes;
          let status: string | undefined;
          for (const change of edits) {
            const result = applyEdit(current, change);
            current = result.shapes;
            status = result.status ?? status;
          }
          for (const act of acts) actAsPerson(github, act);
          for (const number of refused.reachableLater) github.unreachable.delete(`other/lib#${number}`);
          const edited = buildPlan(current, questions, status, upstream);
          const count = github.issues.length;
          sync(github, { ...input, plan: edited }, 200);
          expect(reconcile({ ...input, plan: edited, issues: github.snapshot() })).toEqual([]);
          expectOneIssuePerItem(github, edited, configValue);
          // Issues are never deleted, and a push that only edits, removes or completes creates nothing new.
          expect(github.issues.length).toBeGreaterThanOrEqual(count);
          const before = github.writes;
          sync(github, { ...input, plan: edited }, 5);
          expect(github.writes - before).toBe(0);
        },
      ),
      {
        numRuns: Number(process.env["SYNC_PROPERTY_RUNS"] ?? 150),
        seed: Number(process.env["SYNC_PROPERTY_SEED"] ?? 20261125),
      },
    );
  });
});

describe("write budgets", () => {
  test.each([10, 100])("%i steps: first sync ≤ 3 writes per item, no-op 0, one-step edit ≤ 2", (count) => {
    const github = new InMemoryGitHub();
    const planValue = chainPlan(count);
    const input = {
      plan: planValue,
      path: planValue.path,
      previousPath: null,
      config: config(),
      context: REPO,
    };
    const first = sync(github, input);
    const items = count + 1;
    expect(first.writes).toBe(1 + (count * 3 - 1) + 1);
    expect(first.writes / items).toBeLessThanOrEqual(3);

    expect(sync(github, input).writes).toBe(0);

    const body = {
      ...planValue,
      steps: planValue.steps.map((s, i) => (i === 3 ? { ...s, fields: { what: "Changed." } } : s)),
    };
    expect(sync(github, { ...input, plan: body }).writes).toBe(1);
    const title = {
      ...body,
      steps: body.steps.map((s, i) => (i === 3 ? { ...s, title: `${s.title} (renamed)` } : s)),
    };
    expect(sync(github, { ...input, plan: title }).writes).toBe(2);
    const done = { ...title, steps: title.steps.map((s, i) => (i === 3 ? { ...s, done: true } : s)) };
    expect(sync(github, { ...input, plan: done }).writes).toBe(2);
  });
});
