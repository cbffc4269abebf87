// The writeback PR's branch, commit message and body (SPEC.md §2, `writeback: pull_request`).
import { describe, expect, it } from "vitest";
import {
  mergeEntries,
  renderWritebackBody,
  writebackBranch,
  writebackCommitMessage,
  writebackEntriesOf,
  type WritebackEntry,
} from "../../src/sync/writeback-pr.js";

const middleware: WritebackEntry = { item: "step:2.1", issue: 4, label: "Step 2.1: Middleware" };
const admin: WritebackEntry = { item: "step:2.2", issue: 5, label: "Step 2.2: Limits admin endpoint" };

describe("writebackBranch", () => {
  it.each([
    ["plans/rate-limiter.md", "plan-sync/writeback/plans-rate-limiter-md-3ff93b"],
    [".kiro/specs/Audit Log/tasks.md", "plan-sync/writeback/kiro-specs-audit-log-tasks-md-04296c"],
    ["docs/plans/v1..v2/x.plan.md", "plan-sync/writeback/docs-plans-v1-v2-x-plan-md-acb6ec"],
    ["plans/路线图.md", "plan-sync/writeback/plans-md-5c184e"],
  ])("%s → %s", (path, branch) => {
    expect(writebackBranch(path)).toBe(branch);
  });

  it("two files whose names slug alike get two branches", () => {
    expect(writebackBranch("plans/Auth.md")).not.toBe(writebackBranch("plans/auth.md"));
    expect(writebackBranch("plans/路线图.md")).not.toBe(writebackBranch("plans/里程碑.md"));
  });
});

describe("the body", () => {
  it("lists the items with their issues, never as closing keywords, and reads back its list", () => {
    const body = renderWritebackBody("plans/rate-limiter.md", [middleware, admin]);
    expect(body).toMatchInlineSnapshot(`
      "These issues were closed as completed by hand; this pull request marks their items done in \`plans/rate-limiter.md\`, so the plan says what GitHub shows:

      - Step 2.1: Middleware — #4
      - Step 2.2: Limits admin endpoint — #5

      Merging changes no issue. While this pull request is open, plan-sync adds the next item closed by hand to it; close it to leave the plan as it is.

      <!-- plan-sync:writeback {"path":"plans/rate-limiter.md","items":[{"item":"step:2.1","issue":4,"label":"Step 2.1: Middleware"},{"item":"step:2.2","issue":5,"label":"Step 2.2: Limits admin endpoint"}]} -->"
    `);
    expect(writebackEntriesOf(body)).toEqual([middleware, admin]);
  });

  it("a label that could close the comment or hide it from the regex still reads back", () => {
    const odd = { item: "question:q", issue: 9, label: "Is --> <b>this</b>\u2028 safe?" };
    const body = renderWritebackBody("p.md", [odd]);
    expect(body.split("\n").at(-1)).toMatch(/^<!-- plan-sync:writeback \{[^<>\u2028]*\} -->$/);
    expect(writebackEntriesOf(body)).toEqual([odd]);
  });

  it.each([null, "", "written by hand", "<!-- plan-sync:writeback {not json} -->"])(
    "a body without a readable marker lists nothing (%j)",
    (body) => {
      expect(writebackEntriesOf(body)).toEqual([]);
    },
  );

  it("merges by item: a later close of the same item names its issue", () => {
    const again = { ...middleware, issue: 12 };
    expect(mergeEntries([middleware, admin], [again])).toEqual([again, admin]);
  });
});

it("the commit message names the item, or counts them", () => {
  expect(writebackCommitMessage("plans/rate-limiter.md", [middleware])).toBe(
    'plan-sync: mark "Step 2.1: Middleware" done in plans/rate-limiter.md\n\nClosed by hand: #4.',
  );
  expect(writebackCommitMessage("plans/rate-limiter.md", [middleware, admin])).toBe(
    "plan-sync: mark 2 items done in plans/rate-limiter.md\n\nClosed by hand: #4, #5.",
  );
});
