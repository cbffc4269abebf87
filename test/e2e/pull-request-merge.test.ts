// Pull requests on a plan that has issues already, and after the merge: the comment names existing issues by
// number, and once merged lists the issues the merge created.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningApp } from "../support/e2e.js";
import { NAME, OWNER, PLAN_PATH, push, RATE_LIMITER, REPO, startScenario } from "./scenario.js";

async function deliver(app: RunningApp, number: number, action: string, extra: Record<string, unknown> = {}) {
  const payload = app.payloads.pullRequest({ repo: REPO, number, action, sender: "alice" }) as Record<
    string,
    unknown
  > & { pull_request: Record<string, unknown> };
  Object.assign(payload.pull_request, extra);
  const status = await app.sendWebhook("pull_request", payload);
  if (status !== 200) throw new Error(`pull_request webhook answered ${status}`);
}

/** Writes of the work (Probot's installation-token requests left out), as `METHOD route`. */
function workWrites(app: RunningApp): string[] {
  return app.fake.log
    .requests()
    .filter((request) => request.method !== "GET" && !(request.route ?? "").startsWith("/app/"))
    .map((request) => `${request.method} ${request.route}`);
}

/** The fake has no merge endpoint: the merge is the PR's files committed on main, and the PR marked merged. */
function markMerged(app: RunningApp, number: number): void {
  const pull = app.fake.store.issueByNumber(app.fake.store.repo(OWNER, NAME), number).pull;
  if (!pull) throw new Error(`#${number} is not a pull request`);
  pull.merged = true;
}

function mergeSection(body: string): string {
  return body.slice(body.indexOf("<!-- plan-sync:merged -->"), body.indexOf("<!-- plan-sync:merged-end -->"));
}

describe("a pull request that adds a plan, merged", () => {
  let app: RunningApp;
  beforeEach(async () => {
    app = await startScenario();
  });
  afterEach(async () => {
    app.fake.assertNoUnexpectedRequests();
    await app.close();
  });

  it("lists the issues the merge created (tracking, steps, questions) in the comment, preview kept below", async () => {
    app.fake.commit(REPO, "feature", { [PLAN_PATH]: RATE_LIMITER });
    const { number } = app.fake.openPullRequest(REPO, { head: "feature", as: "alice" });
    await deliver(app, number, "opened");
    const mergeSha = await push(app, { [PLAN_PATH]: RATE_LIMITER });
    markMerged(app, number);
    app.fake.log.clear();
    await deliver(app, number, "closed", { merged: true, merge_commit_sha: mergeSha });

    expect(workWrites(app)).toEqual(["PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}"]);
    const comments = app.fake.comments(REPO, number);
    expect(comments).toHaveLength(1);
    const body = comments[0]?.body ?? "";
    expect(mergeSection(body)).toBe(
      [
        "<!-- plan-sync:merged -->",
        `### Merged in [\`${mergeSha.slice(0, 7)}\`](https://${app.fake.host}/acme/gateway/commit/${mergeSha})`,
        "The merge created 10 issues:",
        "",
        "`plans/rate-limiter.md`:",
        "- #2 Plan: Per-tenant API rate limiter",
        "- #3 Token bucket script",
        "- #4 Limiter client with circuit breaker",
        "- #5 Middleware",
        "- #6 Limits admin endpoint",
        "- #7 Shadow mode",
        "- #8 Enforce for all tenants",
        "- #9 Should internal tenants be exempt?",
        "- #10 Do we count requests or request cost units?",
        "- #11 Who owns the limits admin UI?",
        "",
      ].join("\n"),
    );
    expect(body).toContain("**What merging will do**: 10 issues to create, 0 to update, 0 to close.");

    // Delivered again (or by the other trigger): the same body, no write.
    app.fake.log.clear();
    await deliver(app, number, "closed", { merged: true, merge_commit_sha: mergeSha });
    expect(workWrites(app)).toEqual([]);
  });

  it("says which issues are not created yet when the merge's sync has not run", async () => {
    app.fake.commit(REPO, "feature", { [PLAN_PATH]: RATE_LIMITER });
    const { number } = app.fake.openPullRequest(REPO, { head: "feature", as: "alice" });
    await deliver(app, number, "opened");
    const mergeSha = app.fake.commit(REPO, "main", { [PLAN_PATH]: RATE_LIMITER });
    markMerged(app, number);
    await deliver(app, number, "closed", { merged: true, merge_commit_sha: mergeSha });
    expect(mergeSection(app.fake.comments(REPO, number)[0]?.body ?? "")).toContain(
      "- 10 not created yet: the sync of the merge commit is still running or failed (see its `plan-sync` check run).",
    );
    expect(app.fake.issues(REPO)).toEqual([]);
  });

  it("does nothing when a PR is closed without merging", async () => {
    app.fake.commit(REPO, "feature", { [PLAN_PATH]: RATE_LIMITER });
    const { number } = app.fake.openPullRequest(REPO, { head: "feature", as: "alice" });
    await deliver(app, number, "opened");
    app.fake.log.clear();
    await deliver(app, number, "closed", { merged: false });
    expect(workWrites(app)).toEqual([]);
  });
});

describe("a pull request that changes a synced plan", () => {
  let app: RunningApp;
  beforeEach(async () => {
    app = await startScenario();
    await push(app, { [PLAN_PATH]: RATE_LIMITER });
  });
  afterEach(async () => {
    app.fake.assertNoUnexpectedRequests();
    await app.close();
  });

  it("names the existing issues: what merging updates and closes, states and assignees", async () => {
    const edited = RATE_LIMITER.replace("**Labels**: admin-api\n", "**Labels**: admin-api, urgent\n")
      .replace(/#### Step 3\.2: Enforce for all tenants[\s\S]*?(?=## Testing Strategy)/, "")
      .replace("- [ ] Who owns the limits admin UI?", "- [x] Who owns the limits admin UI?");
    app.fake.commit(REPO, "feature", { [PLAN_PATH]: edited });
    const { number } = app.fake.openPullRequest(REPO, { head: "feature", as: "alice" });
    app.fake.log.clear();
    await deliver(app, number, "opened");
    const body = app.fake.comments(REPO, number)[0]?.body ?? "";
    const effect = body.slice(body.indexOf("**What merging will do**"), body.indexOf("**Issues it has**"));
    // Links: #7 leaves the tracking issue's sub-issues; the unreachable #41, recorded as refused, is tried
    // again because the tracking issue changes (a refused link is retried only when its item changes).
    expect(effect.trim().split("\n")).toEqual([
      "**What merging will do**: 0 issues to create, 2 to update, 2 to close, 2 links to add or remove.",
      "- Update #5 Limits admin endpoint",
      "- Update #1 Plan: Per-tenant API rate limiter",
      "- Close #7 Enforce for all tenants (not planned)",
      "- Close #10 Who owns the limits admin UI? (done)",
    ]);
    expect(body).toContain("| Step 1.2: Limiter client with circuit breaker | #3 | open | @mkowalski |");
    expect(body).toContain("| Step 3.1: Shadow mode | #6 | closed (completed) | — |");
    expect(body).toContain("| Enforce for all tenants (no longer in the plan) | #7 | open | — |");
    expect(body).toContain("- [x] Who owns the limits admin UI? (#10)");
    expect(workWrites(app).every((write) => write.includes("comments") || write.includes("check-runs"))).toBe(
      true,
    );
    expect(app.fake.issue(REPO, 7).state).toBe("open");
  });
});
