import { describe, expect, it } from "vitest";
import { toManagedIssue, type IssueJson } from "../../src/github/managed-issues.js";
import { encodeMarker } from "../../src/sync/marker.js";
import type { Marker } from "../../src/sync/model.js";

const MARKER: Marker = {
  v: 1,
  plan: "plans/a.md",
  item: "step:1.1",
  kind: "step",
  explicitId: null,
  number: "1.1",
  title: "First",
  hash: "h",
  done: false,
  removed: false,
  labels: ["plan-step"],
  assignees: [],
  parent: 1,
  blockedBy: [],
  path: null,
};

const base: IssueJson = {
  id: 501,
  number: 7,
  title: "First",
  body: `text\n\n${encodeMarker(MARKER)}`,
  state: "closed",
  state_reason: "not_planned",
  labels: ["plain", { name: "plan-step" }, { name: null }],
  assignees: [{ login: "alice" }],
  milestone: { number: 3, title: "M1" },
  user: { login: "plan-sync[bot]" },
};

describe("toManagedIssue", () => {
  it("reads the fields reconcile uses and decodes the marker", () => {
    expect(toManagedIssue(base)).toEqual({
      id: 501,
      number: 7,
      title: "First",
      body: base.body,
      state: "closed",
      stateReason: "not_planned",
      labels: ["plain", "plan-step"],
      assignees: ["alice"],
      milestone: { number: 3, title: "M1" },
      authorLogin: "plan-sync[bot]",
      marker: MARKER,
    });
  });

  it.each([
    [
      "no link fields (GitHub without sub-issues)",
      {},
      { parentNumber: undefined, blockedByCount: undefined },
    ],
    ["no parent", { parent_issue_url: null }, { parentNumber: null, blockedByCount: undefined }],
    [
      "a parent and blockers",
      {
        parent_issue_url: "https://api.github.com/repos/a/b/issues/12",
        issue_dependencies_summary: { total_blocked_by: 2 },
      },
      { parentNumber: 12, blockedByCount: 2 },
    ],
  ])("observed links: %s", (_name, fields, expected) => {
    const issue = toManagedIssue({ ...base, ...fields });
    expect({ parentNumber: issue.parentNumber, blockedByCount: issue.blockedByCount }).toEqual(expected);
    expect("parentNumber" in issue).toBe(expected.parentNumber !== undefined);
  });

  it.each([
    [
      { body: null, state: "open", state_reason: null, user: null },
      { body: "", marker: null, state: "open", stateReason: null, authorLogin: "" },
    ],
    [{ state_reason: "something-new" }, { stateReason: null }],
  ])("tolerates missing or unknown values %#", (fields, expected) => {
    expect(toManagedIssue({ ...base, ...fields } as IssueJson)).toMatchObject(expected);
  });
});
