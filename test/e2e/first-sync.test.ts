import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApp } from "../support/e2e.js";
import { issueLines, PLAN_PATH, push, RATE_LIMITER, REPO, startScenario, writes } from "./scenario.js";

describe("first sync of the rate-limiter plan", () => {
  let app: RunningApp;
  let sha: string;
  beforeAll(async () => {
    app = await startScenario();
    sha = await push(app, { [PLAN_PATH]: RATE_LIMITER });
  });
  afterAll(() => app.close());

  it("creates the tracking issue, 6 step issues and 3 question issues; done items closed as completed", () => {
    expect(issueLines(app)).toEqual([
      "#1 Plan: Per-tenant API rate limiter [plan] open",
      "#2 Token bucket script [plan-step] open",
      "#3 Limiter client with circuit breaker [plan-step] open",
      "#4 Middleware [plan-step] open",
      "#5 Limits admin endpoint [plan-step, admin-api] open",
      "#6 Shadow mode [plan-step] closed(completed)",
      "#7 Enforce for all tenants [plan-step] open",
      "#8 Should internal tenants be exempt? [question] open",
      "#9 Do we count requests or request cost units? [question] closed(completed)",
      "#10 Who owns the limits admin UI? [question] open",
    ]);
    expect(app.fake.issues(REPO).every((issue) => issue.user.login === app.botLogin)).toBe(true);
    expect(app.fake.issue(REPO, 3).assignees.map((user) => user.login)).toEqual(["mkowalski"]);
  });

  it("attaches every step and question as a native sub-issue of the tracking issue", () => {
    expect(app.fake.subIssues(REPO, 1)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it("links 'blocked by' per Depends on (an unknown #41 upstream stays text)", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((number) => [number, app.fake.blockedBy(REPO, number)])).toEqual([
      [1, []],
      [2, []],
      [3, [2]],
      [4, [3]],
      [5, [4]],
      [6, [4]],
      [7, [6, 5]],
    ]);
    expect(app.fake.issue(REPO, 7).body).toContain("Blocked by #6");
  });

  it("concludes one plan-sync check run on the pushed commit with success", () => {
    const runs = app.fake.checkRuns(REPO);
    expect(runs.map((run) => [run.name, run.headSha, run.status, run.conclusion, run.output.title])).toEqual([
      ["plan-sync", sha, "completed", "success", "1 plan in sync"],
    ]);
    expect(runs[0]?.output.summary).toBe(
      [
        "### `plans/rate-limiter.md`",
        "Per-tenant API rate limiter: synced",
        "Issues: 10 created, 1 updated, 2 closed, 16 links changed.",
        "Links GitHub refused (a cap, an unreachable issue, or not available here): 1; the issue bodies name them in text.",
      ].join("\n"),
    );
    expect(runs[0]?.annotations).toEqual([]);
  });

  it("writes ≤ 3 per item, creates each label once, and sends nothing the fake does not know", () => {
    const byRoute = (method: string, route: string) =>
      writes(app).filter((request) => request.method === method && request.route === route).length;
    expect(byRoute("POST", "/repos/{owner}/{repo}/issues")).toBe(10);
    expect(byRoute("POST", "/repos/{owner}/{repo}/labels")).toBe(4);
    expect(byRoute("POST", "/repos/{owner}/{repo}/issues/{issue_number}/sub_issues")).toBe(9);
    expect(byRoute("POST", "/repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by")).toBe(6);
    expect(byRoute("PATCH", "/repos/{owner}/{repo}/issues/{issue_number}")).toBe(3);
    expect(app.fake.labels(REPO).sort()).toEqual(["admin-api", "plan", "plan-step", "question"]);
    app.fake.assertNoUnexpectedRequests();
  });
});
