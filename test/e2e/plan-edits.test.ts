// Pushes after the first sync: each test starts from a fresh fake with the rate-limiter plan synced once.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningApp } from "../support/e2e.js";
import {
  issueLines,
  PLAN_PATH,
  push,
  RATE_LIMITER,
  REPO,
  startScenario,
  writes,
  closeChecked,
} from "./scenario.js";

let app: RunningApp;
beforeEach(async () => {
  app = await startScenario();
  await push(app, { [PLAN_PATH]: RATE_LIMITER });
});
afterEach(() => closeChecked(app));

const edit = (from: string, to: string) => {
  if (!RATE_LIMITER.includes(from)) throw new Error(`fixture lacks ${from}`);
  return RATE_LIMITER.replace(from, to);
};
const STEP_2_2 = RATE_LIMITER.slice(
  RATE_LIMITER.indexOf("#### Step 2.2"),
  RATE_LIMITER.indexOf("### Phase 3"),
);
const issueWrites = () => writes(app).filter((request) => !(request.route ?? "").includes("check-runs"));
const routesOf = (requests: Array<{ method: string; route: string | null }>) =>
  requests.map((request) => `${request.method} ${request.route}`);

describe("pushes after the first sync", () => {
  it("a push that changes nothing shown on GitHub writes nothing but its check run; 2 reads for the plan, none for stale runs", async () => {
    await push(app, { [PLAN_PATH]: edit("**Coverage Goal**: 85%", "**Coverage Goal**: 90%") });
    expect(routesOf(writes(app))).toEqual([
      "POST /repos/{owner}/{repo}/check-runs",
      "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}",
    ]);
    const reads = app.fake.log.requests().filter((request) => request.method === "GET");
    expect(routesOf(reads)).toEqual([
      // the config: the repository's, then the org's .github (neither exists)
      "GET /repos/{owner}/{repo}/contents/{path}",
      "GET /repos/{owner}/{repo}/contents/{path}",
      "GET /repos/{owner}/{repo}/contents/{path}", // the plan, at the branch: no head commit needed
      "GET /repos/{owner}/{repo}/issues", // #41 (unreachable) is not tried again: its marker says GitHub refused it
      // no look for runs a dead process left on the push's before and after: this process concluded the first
      // push's run at `before` and has run since (stale-check-runs.ts)
    ]);
    expect(reads[2]).toMatchObject({
      path: "/repos/acme/gateway/contents/plans%2Frate-limiter.md",
      query: { ref: "main" },
    });
    expect(app.fake.checkRuns(REPO).at(-1)?.conclusion).toBe("success");
    app.fake.assertNoUnexpectedRequests();
  });

  it("an edit that changes a step reads the head commit and the file there, so its permalink names that commit", async () => {
    const sha = await push(app, {
      [PLAN_PATH]: edit("**What**: chi middleware returning 429", "**What**: chi middleware answering 429"),
    });
    const reads = app.fake.log.requests().filter((request) => request.method === "GET");
    expect(reads.slice(2).map((request) => [request.route, request.query["ref"] ?? null])).toEqual([
      ["/repos/{owner}/{repo}/contents/{path}", "main"],
      ["/repos/{owner}/{repo}/issues", null],
      ["/repos/{owner}/{repo}/git/ref/{ref}", null],
      ["/repos/{owner}/{repo}/contents/{path}", sha],
    ]);
    expect(app.fake.issues(REPO).find((issue) => issue.body?.includes("answering 429"))?.body).toContain(
      `/blob/${sha}/${PLAN_PATH}#L`,
    );
  });

  it("a push landing between the plan's read and the head's read: the newer commit's text is what gets written", async () => {
    let newer = "";
    app.fake.faults.add({
      route: "git/get-ref",
      status: 500,
      when: () => {
        // Another push lands just before GitHub answers the head: the head is a commit the first read never saw.
        newer = app.fake.commit(REPO, "main", {
          [PLAN_PATH]: edit(
            "**What**: chi middleware returning 429",
            "**What**: chi middleware (newer push)",
          ),
        });
        return false;
      },
    });
    await push(app, {
      [PLAN_PATH]: edit("**What**: chi middleware returning 429", "**What**: chi middleware (older push)"),
    });
    const step = app.fake.issues(REPO).find((issue) => issue.title === "Middleware");
    expect(step?.body).toContain("chi middleware (newer push)");
    expect(step?.body).not.toContain("older push");
    expect(step?.body).toContain(`/blob/${newer}/${PLAN_PATH}#L`);
  });

  it("an edit whose work runs after a later push moved the file closes nothing; the move's push carries on", async () => {
    const moved = "plans/gateway/rate-limiter.md";
    const edited = edit("Shadow mode", "Shadow traffic");
    const editSha = app.fake.commit(REPO, "main", { [PLAN_PATH]: edited });
    const moveSha = app.fake.renameFile(REPO, "main", PLAN_PATH, moved);
    app.fake.log.clear();
    await app.sendWebhook("push", app.payloads.push({ repo: REPO, after: editSha }));
    expect(issueWrites()).toEqual([]); // the file is not at the head, and this push did not delete it
    expect(app.fake.checkRuns(REPO).at(-1)?.output.summary).toContain(
      "not at the branch head (a later push moved or deleted it): nothing changed",
    );
    await app.sendWebhook("push", app.payloads.push({ repo: REPO, after: moveSha }));
    expect(issueLines(app).filter((line) => line.includes("closed"))).toEqual([
      "#6 Shadow traffic [plan-step] closed(completed)",
      "#9 Do we count requests or request cost units? [question] closed(completed)",
    ]);
    expect(app.fake.issue(REPO, 1).body).toContain(moved);
  });

  it("a push that touches no plan sends no check run and writes nothing", async () => {
    await push(app, { "README.md": "# Gateway\n" });
    expect(writes(app)).toEqual([]);
    expect(app.fake.checkRuns(REPO)).toHaveLength(1);
  });

  it("a renamed step keeps its issue: same number, title updated", async () => {
    await push(app, {
      [PLAN_PATH]: edit("#### Step 2.2: Limits admin endpoint", "#### Step 2.2: Limits admin API"),
    });
    expect(app.fake.issue(REPO, 5).title).toBe("Limits admin API");
    expect(app.fake.issues(REPO)).toHaveLength(10);
    expect(issueWrites().map((request) => `${request.method} ${request.path}`)).toEqual([
      "PATCH /repos/acme/gateway/issues/5",
      "PATCH /repos/acme/gateway/issues/1", // the tracking issue lists the step by name
    ]);
  });

  it("an inserted step creates exactly one new issue; the others keep their numbers", async () => {
    const inserted =
      "#### Step 1.3: Metrics\n**What**: Count decisions per tenant.\n**Depends on**: Step 1.1\n\n";
    await push(app, {
      [PLAN_PATH]: edit("### Phase 2: Gateway integration", `${inserted}### Phase 2: Gateway integration`),
    });
    const created = issueWrites().filter((request) => request.route === "/repos/{owner}/{repo}/issues");
    expect(created).toHaveLength(1);
    expect(issueLines(app).slice(1, 7)).toEqual([
      "#2 Token bucket script [plan-step] open",
      "#3 Limiter client with circuit breaker [plan-step] open",
      "#4 Middleware [plan-step] open",
      "#5 Limits admin endpoint [plan-step, admin-api] open",
      "#6 Shadow mode [plan-step] closed(completed)",
      "#7 Enforce for all tenants [plan-step] open",
    ]);
    expect(issueLines(app)[10]).toBe("#11 Metrics [plan-step] open");
    expect(app.fake.subIssues(REPO, 1)).toContain(11);
    expect(app.fake.blockedBy(REPO, 11)).toEqual([2]);
  });

  it("a removed step is closed as not planned with a comment; restored, the same issue reopens", async () => {
    await push(app, { [PLAN_PATH]: RATE_LIMITER.replace(STEP_2_2, "").replace(", Step 2.2", "") });
    expect(issueLines(app)[4]).toBe("#5 Limits admin endpoint [plan-step, admin-api] closed(not_planned)");
    const comments = app.fake.comments(REPO, 5);
    expect(comments.map((comment) => comment.user.login)).toEqual([app.botLogin]);
    expect(comments[0]?.body).toContain("no longer in the plan");

    await push(app, { [PLAN_PATH]: RATE_LIMITER });
    expect(issueLines(app)[4]).toBe("#5 Limits admin endpoint [plan-step, admin-api] open(reopened)");
    expect(app.fake.issues(REPO)).toHaveLength(10);
    expect(app.fake.blockedBy(REPO, 7)).toEqual([6, 5]);
  });

  it("an issue a person closed stays closed after an unrelated push", async () => {
    app.fake.updateIssue(REPO, 4, { state: "closed", state_reason: "completed" }, { as: "mkowalski" });
    await push(app, { [PLAN_PATH]: edit("**What**: A Lua script", "**What**: One Lua script") });
    expect(issueLines(app)[3]).toBe("#4 Middleware [plan-step] closed(completed)");
    expect(issueWrites().some((request) => request.path.endsWith("/issues/4"))).toBe(false);
  });

  it("a deleted plan file closes the tracking issue and every open issue as not planned", async () => {
    await push(app, { [PLAN_PATH]: null });
    expect(issueLines(app)).toEqual([
      "#1 Plan: Per-tenant API rate limiter [plan] closed(not_planned)",
      "#2 Token bucket script [plan-step] closed(not_planned)",
      "#3 Limiter client with circuit breaker [plan-step] closed(not_planned)",
      "#4 Middleware [plan-step] closed(not_planned)",
      "#5 Limits admin endpoint [plan-step, admin-api] closed(not_planned)",
      "#6 Shadow mode [plan-step] closed(completed)",
      "#7 Enforce for all tenants [plan-step] closed(not_planned)",
      "#8 Should internal tenants be exempt? [question] closed(not_planned)",
      "#9 Do we count requests or request cost units? [question] closed(completed)",
      "#10 Who owns the limits admin UI? [question] closed(not_planned)",
    ]);
  });

  it("a moved plan file keeps its issues; the tracking issue points to the new path", async () => {
    app.fake.renameFile(REPO, "main", PLAN_PATH, "plans/gateway/rate-limiter.md");
    app.fake.log.clear();
    expect(await app.sendWebhook("push", app.payloads.push({ repo: REPO }))).toBe(200);
    expect(app.fake.issues(REPO)).toHaveLength(10);
    expect(app.fake.issues(REPO).every((issue) => issue.state_reason !== "not_planned")).toBe(true);
    expect(app.fake.issue(REPO, 1).body).toContain("plans/gateway/rate-limiter.md");
    expect(app.fake.log.requests().some((request) => (request.route ?? "").includes("/compare/"))).toBe(true);
    app.fake.assertNoUnexpectedRequests();
  });
});
