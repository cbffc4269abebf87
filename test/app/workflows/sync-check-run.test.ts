// The push check run's verdict when some or all of its plans were synced by a newer push's run (coalesced).
import { describe, expect, it } from "vitest";
import { reportOfPause, reportOfRun, type PlanRunResult } from "../../../src/app/workflows/sync-check-run.js";
import type { Diagnostic } from "../../../src/plan/model.js";

const NEWER = "3f9c2e1a7b6d5c4e3f2a1b0c9d8e7f6a5b4c3d2e";
const OTHER = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";

function result(path: string, overrides: Partial<PlanRunResult> = {}): PlanRunResult {
  return {
    path,
    previousPath: null,
    status: "synced",
    title: "A plan",
    diagnostics: [],
    applied: [],
    linksAsText: 0,
    untouched: 3,
    sha: "0123456789abcdef0123456789abcdef01234567",
    error: null,
    resumeAfterSeconds: null,
    progress: null,
    issueNumbers: {},
    ...overrides,
  };
}

const warning: Diagnostic = {
  severity: "warning",
  rule: "placeholder",
  message: "TBD is a placeholder",
  line: 4,
  column: 2,
};

describe("reportOfRun with superseded plans", () => {
  it.each([
    {
      name: "every plan superseded by one push",
      results: [result("plans/a.md", { supersededBy: NEWER }), result("plans/b.md", { supersededBy: NEWER })],
      verdict: { conclusion: "neutral", title: "Superseded by 3f9c2e1", annotations: 0 },
    },
    {
      name: "every plan superseded, by two pushes",
      results: [result("plans/a.md", { supersededBy: NEWER }), result("plans/b.md", { supersededBy: OTHER })],
      verdict: { conclusion: "neutral", title: "Superseded by 3f9c2e1, a1b2c3d", annotations: 0 },
    },
    {
      name: "one plan synced here, one superseded (its diagnostics are the newer run's to annotate)",
      results: [result("plans/a.md"), result("plans/b.md", { supersededBy: NEWER, diagnostics: [warning] })],
      verdict: { conclusion: "success", title: "1 plan in sync, 1 superseded by 3f9c2e1", annotations: 0 },
    },
    {
      name: "a superseded plan that failed in the newer run does not fail this one",
      results: [
        result("plans/a.md", { diagnostics: [warning] }),
        result("plans/b.md", { supersededBy: NEWER, status: "failed" }),
      ],
      verdict: { conclusion: "success", title: "1 plan in sync, 1 superseded by 3f9c2e1", annotations: 1 },
    },
    {
      name: "a failure here still fails the run",
      results: [
        result("plans/a.md", { status: "failed", error: "boom" }),
        result("plans/b.md", { supersededBy: NEWER }),
      ],
      verdict: {
        conclusion: "failure",
        title: "1 plan failed to sync, 1 superseded by 3f9c2e1",
        annotations: 0,
      },
    },
  ])("$name", ({ results, verdict }) => {
    const report = reportOfRun(results);
    expect({
      conclusion: report.conclusion,
      title: report.title,
      annotations: report.annotations.length,
    }).toEqual(verdict);
  });

  it("a superseded plan's summary points to the newer push and repeats nothing of its result", () => {
    const report = reportOfRun([
      result("plans/a.md"),
      result("plans/b.md", {
        previousPath: "plans/old-b.md",
        supersededBy: NEWER,
        applied: [],
        diagnostics: [warning],
      }),
    ]);
    expect(report.summary).toMatchInlineSnapshot(`
      "### \`plans/a.md\`
      A plan: synced
      No change on GitHub.

      ### \`plans/b.md\` (moved from \`plans/old-b.md\`)
      superseded by 3f9c2e1: that newer push's sync covered this one (see its check run)"
    `);
  });
});

describe("a sync paused by GitHub's rate limit", () => {
  const paused = result("plans/a.md", {
    status: "paused",
    error: "POST /repos/acme/gateway/issues answered 403: You have exceeded a secondary rate limit.",
    resumeAfterSeconds: 1800,
    progress: { created: 212, toCreate: 506 },
  });

  it("while it waits, the run says how far it got and when it resumes", () => {
    const resumesAt = new Date("2026-11-25T10:42:00Z");
    expect(reportOfPause([paused, result("plans/b.md")], resumesAt, "paused")).toEqual({
      title: "Paused by GitHub's rate limit: 1 plan resume at 10:42 UTC",
      summary: [
        "### `plans/a.md`",
        "A plan: **paused** by GitHub's rate limit; it resumes by itself when GitHub allows, or with the next push",
        "Error: POST /repos/acme/gateway/issues answered 403: You have exceeded a secondary rate limit.",
        "Progress: 212 of 506 issues created so far.",
        "",
        "### `plans/b.md`",
        "A plan: synced",
        "No change on GitHub.",
      ].join("\n"),
    });
    expect(reportOfPause([paused], resumesAt, "resuming").title).toBe(
      "Resuming 1 plan paused by GitHub's rate limit",
    );
  });

  it("still paused when the run stops waiting: the run fails, the next push resumes it", () => {
    expect(reportOfRun([paused, result("plans/b.md")])).toMatchObject({
      conclusion: "failure",
      title: "1 plan failed to sync",
    });
  });
});
