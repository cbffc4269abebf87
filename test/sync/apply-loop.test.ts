// The loop itself, driven by hand: each operation it yields is answered as a scripted GitHub would, so what it
// does after a refused link, after a create and after a failure is seen operation by operation.
import { describe, expect, it } from "vitest";
import {
  applyLoop,
  ApplyInterrupted,
  NoFixedPointError,
  type AppliedOperation,
  type LinkOutcome,
} from "../../src/sync/apply-loop.js";
import { decodeMarker } from "../../src/sync/marker.js";
import type { DependsOn } from "../../src/plan/model.js";
import type { ManagedIssue, Operation, ReconcileInput } from "../../src/sync/model.js";
import { BOT, config, dependsOn, dependsOnIssue, plan, REPO, step } from "./plan-builder.js";

/** Step 1 depends on #41, an issue GitHub will not link; step 2 depends on step 1 (and `more`). */
function input(issues: ManagedIssue[] = [], more: DependsOn[] = []): ReconcileInput {
  const planValue = plan({
    steps: [
      step("1", "A", { dependsOn: [dependsOnIssue(41)] }),
      step("2", "B", { dependsOn: [...dependsOn("1"), ...more] }),
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

/** Answers every write as GitHub would, except that "blocked by" #41 is refused with `refusal`. */
function scriptedGitHub(refusal: LinkOutcome) {
  const issues = new Map<number, ManagedIssue>();
  const answer = (number: number, body: string, title: string): ManagedIssue => {
    const issue: ManagedIssue = {
      id: 500 + number,
      number,
      title,
      body,
      state: "open",
      stateReason: null,
      labels: [],
      assignees: [],
      milestone: null,
      authorLogin: BOT,
      marker: decodeMarker(body),
    };
    issues.set(number, issue);
    return issue;
  };
  const linkOf = (blocker: { number: number }): LinkOutcome => (blocker.number === 41 ? refusal : "linked");
  return {
    issues,
    apply(op: Operation): AppliedOperation {
      switch (op.type) {
        case "create":
          return {
            issue: answer(issues.size + 1, op.body, op.title),
            blockers: op.blockedBy.map(linkOf),
            ...(op.parent ? { parent: "linked" as const } : {}),
          };
        case "update": {
          const before = issues.get(op.number) as ManagedIssue;
          return {
            issue: answer(op.number, op.changes.body ?? before.body, op.changes.title ?? before.title),
          };
        }
        case "add-blocked-by":
          return { blockers: [linkOf(op.blocker)] };
        default:
          return { parent: "linked", blockers: ["linked"] };
      }
    },
  };
}

/** Drives the loop to its end; answers every operation it yielded, in order. */
function drive(github: ReturnType<typeof scriptedGitHub>, from = input()) {
  const yielded: Operation[] = [];
  const loop = applyLoop(from, 20);
  let step = loop.next();
  while (!step.done) {
    yielded.push(step.value);
    step = loop.next(github.apply(step.value));
  }
  return { yielded, result: step.value };
}

const described = (op: Operation) =>
  op.type === "create" ? `create ${op.item}` : "number" in op ? `${op.type} #${op.number}` : op.type;

describe("applyLoop", () => {
  it.each<LinkOutcome>(["unreachable", "rejected"])(
    "a refused link (%s) is recorded by the next update of its issue: reconciled again before it, no second write",
    (refusal) => {
      const github = scriptedGitHub(refusal);
      const { yielded, result } = drive(github);
      expect(yielded.map(described)).toEqual([
        "create tracking",
        "create step:1",
        "create step:2",
        "update #2", // step 1: its body names the refusal, in the only update it gets
        "update #1", // the tracking issue, with every number
      ]);
      expect(result.linksAsText).toBe(1);
      expect(github.issues.get(2)?.marker).toMatchObject({
        blockedBy: [],
        refused: { parent: null, blockedBy: ["acme/gateway#41"] },
      });
      // What was refused during the sync stays out of what it hands on: the markers carry it now.
      expect(result.issues.some((issue) => "refusedThisSync" in issue)).toBe(false);
    },
  );

  it("a link refused before a write that is not a link: reconciled again first, so that write records it", () => {
    const github = scriptedGitHub("unreachable");
    drive(github);
    const edited = input([...github.issues.values()], [dependsOnIssue(41)]);
    const { yielded } = drive(github, edited);
    expect(yielded.map(described)).toEqual([
      "add-blocked-by", // step 2 → #41, refused
      "update #3", // step 2's body and marker, the refusal in it: one update, not two
    ]);
    expect(github.issues.get(3)?.marker?.refused).toEqual({ parent: null, blockedBy: ["acme/gateway#41"] });
  });

  it("a failed write ends the loop with what was applied before it", () => {
    const github = scriptedGitHub("linked");
    const loop = applyLoop(input(), 20);
    const first = loop.next();
    expect(first.done).toBe(false);
    loop.next(github.apply(first.value as Operation));
    const failure = new Error("502 Bad Gateway");
    let thrown: unknown;
    try {
      loop.throw(failure);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ApplyInterrupted);
    expect((thrown as ApplyInterrupted).cause).toBe(failure);
    expect((thrown as ApplyInterrupted).applied.map(described)).toEqual(["create tracking"]);
  });

  it("stops at its round cap with the operations it could not settle", () => {
    const github = scriptedGitHub("linked");
    const loop = applyLoop(input(), 2);
    let step = loop.next();
    expect(() => {
      while (!step.done) step = loop.next(github.apply(step.value));
    }).toThrow(NoFixedPointError);
  });
});
