import nock from "nock";
import { Octokit } from "@octokit/rest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  capSummary,
  completeCheckRun,
  MAX_SUMMARY_LENGTH,
  type CheckAnnotation,
} from "../../src/github/check-runs.js";

const repo = { owner: "a", repo: "b" };
const octokit = () => new Octokit({ log: { debug() {}, info() {}, warn() {}, error() {} } });
const annotation = (line: number): CheckAnnotation => ({
  path: "plans/x.md",
  line,
  column: 2,
  level: "warning",
  title: "placeholder",
  message: `line ${line}`,
});

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  nock.enableNetConnect();
  expect(pending).toEqual([]);
});

describe("completeCheckRun", () => {
  it.each([
    [0, [0]],
    [1, [1]],
    [50, [50]],
    [51, [50, 1]],
    [120, [50, 50, 20]],
  ])("%i annotations go in batches of %j, the conclusion with the last", async (count, sizes) => {
    const bodies: Array<Record<string, unknown>> = [];
    const scope = nock("https://api.github.com");
    for (let index = 0; index < sizes.length; index++)
      scope.patch("/repos/a/b/check-runs/9", (body) => (bodies.push(body), true)).reply(200, {});
    const annotations = Array.from({ length: count }, (_, index) => annotation(index + 1));
    await completeCheckRun(
      octokit(),
      repo,
      9,
      { conclusion: "failure", title: "T", summary: "S", annotations },
      new Date("2026-01-01T00:00:00Z"),
    );
    expect(
      bodies.map((body) => ((body["output"] as { annotations?: unknown[] }).annotations ?? []).length),
    ).toEqual(sizes);
    expect(bodies.map((body) => body["conclusion"] ?? null)).toEqual([
      ...sizes.slice(0, -1).map(() => null),
      "failure",
    ]);
    expect(bodies.at(-1)).toMatchObject({ status: "completed", completed_at: "2026-01-01T00:00:00.000Z" });
    if (count > 0)
      expect((bodies[0]?.["output"] as { annotations: unknown[] }).annotations[0]).toEqual({
        path: "plans/x.md",
        start_line: 1,
        end_line: 1,
        start_column: 2,
        end_column: 2,
        annotation_level: "warning",
        title: "placeholder",
        message: "line 1",
      });
  });
});

describe("capSummary", () => {
  it("keeps a summary within GitHub's 65,535 characters, saying it was cut", () => {
    expect(capSummary("short")).toBe("short");
    const capped = capSummary("x".repeat(70_000));
    expect(capped.length).toBe(MAX_SUMMARY_LENGTH);
    expect(capped.endsWith("(truncated: the summary was longer than GitHub allows)")).toBe(true);
    expect(capSummary("y".repeat(MAX_SUMMARY_LENGTH))).toBe("y".repeat(MAX_SUMMARY_LENGTH));
  });
});
