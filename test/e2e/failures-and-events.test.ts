// What must write nothing: a plan with errors, an invalid config, our own bot's events; and what a person's
// action on a managed issue refreshes.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningApp } from "../support/e2e.js";
import {
  issueEvent,
  PLAN_PATH,
  push,
  RATE_LIMITER,
  RATE_LIMITER_TITLES,
  REPO,
  startScenario,
  writes,
  closeChecked,
} from "./scenario.js";

const BROKEN = [
  "# Implementation Plan: Broken",
  "",
  "## Implementation Steps",
  "",
  "### Phase 1: One",
  "",
  "#### Step 1.1: First",
  "**What**: a",
  "",
  "#### Step 1.1: Second",
  "**What**: b",
  "**Depends on**: Step 9.9",
  "",
].join("\n");

let app: RunningApp;
beforeEach(async () => {
  app = await startScenario();
});
afterEach(() => closeChecked(app));

describe("a plan with errors", () => {
  it("fails the check run with its diagnostics as annotations and writes no issue", async () => {
    const sha = await push(app, { "plans/broken.md": BROKEN });
    expect(app.fake.issues(REPO)).toEqual([]);
    expect(writes(app).map((request) => request.route)).toEqual([
      "/repos/{owner}/{repo}/check-runs",
      "/repos/{owner}/{repo}/check-runs/{check_run_id}",
    ]);
    const [run] = app.fake.checkRuns(REPO);
    expect([run?.headSha, run?.conclusion, run?.output.title]).toEqual([
      sha,
      "failure",
      "1 plan with errors (not applied)",
    ]);
    expect(run?.annotations).toEqual([
      {
        path: "plans/broken.md",
        start_line: 10,
        end_line: 10,
        start_column: 1,
        end_column: 1,
        annotation_level: "failure",
        title: "duplicate-step-number",
        message: "Step 1.1 is numbered twice (first at line 7); renumber one of them.",
      },
      {
        path: "plans/broken.md",
        start_line: 12,
        end_line: 12,
        start_column: 17,
        end_column: 17,
        annotation_level: "warning",
        title: "unknown-dependency",
        message: expect.stringContaining('depends on "Step 9.9"'),
      },
    ]);
    app.fake.assertNoUnexpectedRequests();
  });

  it("does not stop the other plans of the same push", async () => {
    await push(app, { "plans/broken.md": BROKEN, [PLAN_PATH]: RATE_LIMITER });
    expect(app.fake.issues(REPO)).toHaveLength(10);
    expect(app.fake.checkRuns(REPO).map((run) => run.conclusion)).toEqual(["failure"]);
  });
});

describe("an invalid config", () => {
  it("fails the check run with the reason and writes nothing else", async () => {
    await push(app, { ".github/plan-sync.yml": "sub_issues: maybe\nlabel: x\n", [PLAN_PATH]: RATE_LIMITER });
    expect(app.fake.issues(REPO)).toEqual([]);
    expect(writes(app).map((request) => request.route)).toEqual([
      "/repos/{owner}/{repo}/check-runs",
      "/repos/{owner}/{repo}/check-runs/{check_run_id}",
    ]);
    const [run] = app.fake.checkRuns(REPO);
    expect([run?.conclusion, run?.output.title]).toEqual([
      "failure",
      "Invalid .github/plan-sync.yml: nothing synced",
    ]);
    expect(run?.output.summary).toContain('- (top level): unknown key "label"');
    expect(run?.output.summary).toContain("- sub_issues: expected boolean");
    app.fake.assertNoUnexpectedRequests();
  });

  it("that is not YAML mapping fails the same way", async () => {
    await push(app, { ".github/plan-sync.yml": "just a string\n" });
    const [run] = app.fake.checkRuns(REPO);
    expect([run?.conclusion, run?.output.title]).toEqual([
      "failure",
      "Invalid .github/plan-sync.yml: nothing synced",
    ]);
  });

  it("a valid config change re-syncs every plan, with the config's labels", async () => {
    await push(app, { [PLAN_PATH]: RATE_LIMITER });
    await push(app, { ".github/plan-sync.yml": "labels:\n  step: task\n" });
    expect(app.fake.issue(REPO, 2).labels.map((label) => label.name)).toEqual(["task"]);
    expect(app.fake.issue(REPO, 8).labels.map((label) => label.name)).toEqual(["question"]);
  });
});

describe("issue events", () => {
  beforeEach(async () => {
    await push(app, { [PLAN_PATH]: RATE_LIMITER });
  });

  it("our own bot's event is ignored before any request", async () => {
    app.fake.log.clear();
    const payload = issueEvent(app, 2, "closed", app.botLogin);
    expect(await app.sendWebhook("issues", payload)).toBe(200);
    expect(app.fake.log.requests()).toEqual([]);
  });

  it("a person closing a step refreshes the tracking issue's progress and nothing else", async () => {
    const before = app.fake.issue(REPO, 1).body ?? "";
    expect(before).toContain("1 of 6 steps done");
    app.fake.updateIssue(REPO, 2, { state: "closed", state_reason: "completed" }, { as: "mkowalski" });
    app.fake.log.clear();
    const payload = issueEvent(app, 2, "closed", "mkowalski");
    expect(await app.sendWebhook("issues", payload)).toBe(200);
    expect(writes(app).map((request) => `${request.method} ${request.path}`)).toEqual([
      "PATCH /repos/acme/gateway/issues/1",
    ]);
    expect(app.fake.issue(REPO, 1).body).toContain("2 of 6 steps done");
    expect(app.fake.issue(REPO, 2).state).toBe("closed");
    app.fake.assertNoUnexpectedRequests();
  });

  it("an issue event whose sync failed is handled again when GitHub redelivers it", async () => {
    app.fake.updateIssue(REPO, 2, { state: "closed", state_reason: "completed" }, { as: "mkowalski" });
    const fault = app.fake.faults.add({ route: "issues/update", status: 500, times: Infinity });
    const payload = issueEvent(app, 2, "closed", "mkowalski");
    expect(await app.sendWebhook("issues", payload, { deliveryId: "issue-event-1" })).toBe(200);
    expect(app.fake.issue(REPO, 1).body).toContain("1 of 6 steps done");
    fault.remove();
    expect(await app.sendWebhook("issues", payload, { deliveryId: "issue-event-1" })).toBe(200);
    expect(app.fake.issue(REPO, 1).body).toContain("2 of 6 steps done");
  });

  it("an issue plan-sync does not manage is ignored", async () => {
    const issue = app.fake.createIssue(REPO, { title: "Bug", body: "no marker" }, { as: "alice" });
    app.fake.log.clear();
    const payload = issueEvent(app, issue.number, "closed", "alice");
    expect(await app.sendWebhook("issues", payload)).toBe(200);
    expect(app.fake.log.requests()).toEqual([]);
  });
});

describe("installation", () => {
  it("installation.created syncs the plans already on the default branch", async () => {
    app.fake.commit(REPO, "main", { [PLAN_PATH]: RATE_LIMITER, "docs/notes.md": "# Notes\n" });
    app.fake.log.clear();
    expect(await app.sendWebhook("installation", app.payloads.installation({ installationId: 91 }))).toBe(
      200,
    );
    expect(app.fake.issues(REPO)).toHaveLength(10);
    expect(app.fake.checkRuns(REPO).map((run) => [run.headSha, run.conclusion])).toEqual([
      [app.fake.headOf(REPO, "main"), "success"],
    ]);
    app.fake.log.clear();
    expect(await app.sendWebhook("installation", app.payloads.installation({ installationId: 91 }))).toBe(
      200,
    );
    expect(writes(app).filter((request) => !(request.route ?? "").includes("check-runs"))).toEqual([]);
    app.fake.assertNoUnexpectedRequests();
  });

  it("installation_repositories.added syncs the added repository", async () => {
    app.fake.commit(REPO, "main", { [PLAN_PATH]: RATE_LIMITER });
    const payload = app.payloads.installationRepositories({ installationId: 91, added: [REPO] });
    expect(await app.sendWebhook("installation_repositories", payload)).toBe(200);
    expect(app.fake.issues(REPO)).toHaveLength(10);
  });
});

describe("failures GitHub answers", () => {
  it("a write that keeps failing fails the plan's check run; the next push finishes without duplicates", async () => {
    const fault = app.fake.faults.add({
      route: "issues/create",
      status: 502,
      times: Infinity,
      when: (request) => request.body["title"] === "Middleware",
    });
    const sha = app.fake.commit(REPO, "main", { [PLAN_PATH]: RATE_LIMITER });
    await app.sendWebhook("push", app.payloads.push({ repo: REPO }));
    expect(app.fake.checkRuns(REPO).map((run) => [run.headSha, run.conclusion, run.output.title])).toEqual([
      [sha, "failure", "1 plan failed to sync"],
    ]);
    expect(app.fake.checkRuns(REPO)[0]?.output.summary).toContain("**sync failed**");
    expect(app.fake.issues(REPO).map((issue) => issue.title)).toEqual([
      "Plan: Per-tenant API rate limiter",
      "Token bucket script",
      "Limiter client with circuit breaker",
    ]); // created in order until the failure

    fault.remove();
    await push(app, {
      [PLAN_PATH]: RATE_LIMITER.replace("**Coverage Goal**: 85%", "**Coverage Goal**: 86%"),
    });
    expect(app.fake.issues(REPO).map((issue) => issue.title)).toEqual(RATE_LIMITER_TITLES);
    expect(app.fake.checkRuns(REPO).at(-1)?.conclusion).toBe("success");
  });

  it("a branch head that cannot be read fails the plan's sync: nothing written, the check run says so", async () => {
    app.fake.faults.add({ route: "git/get-ref", status: 500, times: Infinity });
    app.fake.commit(REPO, "main", { [PLAN_PATH]: RATE_LIMITER });
    await app.sendWebhook("push", app.payloads.push({ repo: REPO }));
    expect(app.fake.checkRuns(REPO).map((run) => [run.status, run.conclusion, run.output.title])).toEqual([
      ["completed", "failure", "1 plan failed to sync"],
    ]);
    expect(app.fake.checkRuns(REPO)[0]?.output.summary).toContain(
      "sync failed**; the next push retries it\nError: GET /repos/acme/gateway/git/ref/heads/main answered 500: Internal Server Error",
    );
    expect(app.fake.issues(REPO)).toEqual([]);
  });
});
