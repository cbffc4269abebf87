// Pull requests on a plan that has issues already, and after the merge: the comment names existing issues by
// number, and once merged lists the issues the merge created.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/runtime/create-app.js";
import { startApp, type RunningApp } from "../support/e2e.js";
import { LogCapture } from "../support/log-capture.js";
import {
  closeChecked,
  deliverPullRequest,
  INSTALLATION,
  NAME,
  OWNER,
  PLAN_PATH,
  push,
  RATE_LIMITER,
  REPO,
  startScenario,
  workWrites,
} from "./scenario.js";

/** Sends the push of main's head (the merge commit); answers its sha. */
async function pushMerge(app: RunningApp): Promise<string> {
  app.fake.log.clear();
  const payload = app.payloads.push({ repo: REPO }) as { after: string };
  const status = await app.sendWebhook("push", payload);
  if (status !== 200) throw new Error(`push webhook answered ${status}`);
  return payload.after;
}

function mergeSection(body: string): string {
  return body.slice(body.indexOf("<!-- plan-sync:merged -->"), body.indexOf("<!-- plan-sync:merged-end -->"));
}

/** The merge section once the merge's sync created the rate limiter's 10 issues (#1 is the PR). */
function createdSection(app: RunningApp, mergeSha: string): string {
  return [
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
  ].join("\n");
}

/** The commit → pull requests reads the app made, by path. */
function associationReads(app: RunningApp): string[] {
  return app.fake.log
    .requests({ operationId: "repos/list-pull-requests-associated-with-commit" })
    .map((request) => request.path);
}

describe("a pull request that adds a plan, merged", () => {
  let app: RunningApp;
  beforeEach(async () => {
    app = await startScenario();
  });
  afterEach(() => closeChecked(app));

  it("lists the issues the merge created (tracking, steps, questions) in the comment, preview kept below", async () => {
    app.fake.commit(REPO, "feature", { [PLAN_PATH]: RATE_LIMITER });
    const { number } = app.fake.openPullRequest(REPO, { head: "feature", as: "alice" });
    await deliverPullRequest(app, number, "opened");
    const mergeSha = app.fake.mergePullRequest(REPO, number, { as: "bob" });
    await pushMerge(app);
    const pushWrites = workWrites(app);
    app.fake.log.clear();
    await deliverPullRequest(app, number, "closed");

    // The push's sync wrote the section already: the closed event finds it as it would write it.
    expect(pushWrites.slice(-1)).toEqual(["PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}"]);
    expect(workWrites(app)).toEqual([]);
    const comments = app.fake.comments(REPO, number);
    expect(comments).toHaveLength(1);
    const body = comments[0]?.body ?? "";
    expect(mergeSection(body)).toBe(createdSection(app, mergeSha));
    expect(body).toContain("**Merging**: 10 issues to create.");
  });

  it("the closed event handled before the merge's push: 'not created yet', then the push lists the issues", async () => {
    app.fake.commit(REPO, "feature", { [PLAN_PATH]: RATE_LIMITER });
    const { number } = app.fake.openPullRequest(REPO, { head: "feature", as: "alice" });
    await deliverPullRequest(app, number, "opened");
    const mergeSha = app.fake.mergePullRequest(REPO, number, { as: "bob" });
    await deliverPullRequest(app, number, "closed");
    const bodyNow = () => app.fake.comments(REPO, number)[0]?.body ?? "";
    expect(mergeSection(bodyNow())).toBe(
      [
        "<!-- plan-sync:merged -->",
        `### Merged in [\`${mergeSha.slice(0, 7)}\`](https://${app.fake.host}/acme/gateway/commit/${mergeSha})`,
        "The merge's issues are not created yet:",
        "",
        "`plans/rate-limiter.md`:",
        "- 10 not created yet: the sync of the merge commit is still running or failed (see its `plan-sync` check run).",
        "",
      ].join("\n"),
    );
    expect(app.fake.issues(REPO)).toEqual([]);

    await pushMerge(app);
    expect(app.fake.issues(REPO)).toHaveLength(10);
    expect(associationReads(app)).toEqual([`/repos/acme/gateway/commits/${mergeSha}/pulls`]);
    expect(workWrites(app).filter((write) => write.includes("/comments/"))).toEqual([
      "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}",
    ]);
    expect(app.fake.comments(REPO, number)).toHaveLength(1);
    expect(mergeSection(bodyNow())).toBe(createdSection(app, mergeSha));
  });

  it("does nothing when a PR is closed without merging", async () => {
    app.fake.commit(REPO, "feature", { [PLAN_PATH]: RATE_LIMITER });
    const { number } = app.fake.openPullRequest(REPO, { head: "feature", as: "alice" });
    await deliverPullRequest(app, number, "opened");
    app.fake.log.clear();
    app.fake.updateIssue(REPO, number, { state: "closed" });
    await deliverPullRequest(app, number, "closed");
    expect(workWrites(app)).toEqual([]);
  });
});

describe("a pull request that changes a synced plan", () => {
  let app: RunningApp;
  let firstSync: string;
  beforeEach(async () => {
    app = await startScenario();
    firstSync = await push(app, { [PLAN_PATH]: RATE_LIMITER });
  });
  afterEach(() => closeChecked(app));

  const edited = RATE_LIMITER.replace("**Labels**: admin-api\n", "**Labels**: admin-api, urgent\n")
    .replace(/#### Step 3\.2: Enforce for all tenants[\s\S]*?(?=## Testing Strategy)/, "")
    .replace("- [ ] Who owns the limits admin UI?", "- [x] Who owns the limits admin UI?");

  it("names the existing issues: what merging updates and closes, states and assignees", async () => {
    app.fake.commit(REPO, "feature", { [PLAN_PATH]: edited });
    const { number } = app.fake.openPullRequest(REPO, { head: "feature", as: "alice" });
    app.fake.log.clear();
    await deliverPullRequest(app, number, "opened");
    const body = app.fake.comments(REPO, number)[0]?.body ?? "";
    const effect = body.slice(body.indexOf("**Merging**:"), body.indexOf("<details>"));
    // Links: #7 leaves the tracking issue's sub-issues; the unreachable #41, recorded as refused, is tried
    // again because the tracking issue changes (a refused link is retried only when its item changes).
    expect(effect.trim().split("\n")).toEqual([
      "**Merging**: 2 issues to update, 2 to close, 2 link changes.",
      "- Unlink #7 from its parent #1",
      "- Close #7 as not planned: Enforce for all tenants",
      "- Update #5 Step 2.2: Limits admin endpoint: labels: +urgent",
      "- Close #10 answered: Who owns the limits admin UI?",
      "- Link #1 blocked by #41",
      "- Update #1 Tracking issue: body sections: header, Phase 3: Rollout, Open questions, Step dependencies",
    ]);
    expect(body).toContain("| Step 1.2: Limiter client with circuit breaker | #3 | open | mkowalski |");
    expect(body).toContain("| Step 3.1: Shadow mode | #6 | closed (completed) | — |");
    expect(body).toContain(
      "| Enforce for all tenants (no longer in the plan) | #7 | closed (not planned) | — |",
    );
    expect(body).toContain("- ✅ Who owns the limits admin UI? (#10)");
    expect(workWrites(app).every((write) => write.includes("comments") || write.includes("check-runs"))).toBe(
      true,
    );
    expect(app.fake.issue(REPO, 7).state).toBe("open");
  });

  it("the commit's pull requests are read when the push created issues or merged a PR; otherwise not at all", async () => {
    // The first sync created the plan's 10 issues from a commit on main that no PR merged: one read, no comment.
    expect(associationReads(app)).toEqual([`/repos/acme/gateway/commits/${firstSync}/pulls`]);
    expect(workWrites(app).filter((write) => write.includes("comments"))).toEqual([]);

    app.fake.commit(REPO, "feature", { [PLAN_PATH]: edited });
    const { number } = app.fake.openPullRequest(REPO, { head: "feature", as: "alice" });
    await deliverPullRequest(app, number, "opened");
    app.fake.mergePullRequest(REPO, number);
    await deliverPullRequest(app, number, "closed");
    const closedBody = app.fake.comments(REPO, number)[0]?.body;
    const mergeSha = await pushMerge(app);
    // The merge updated and closed issues, created none: its message names the PR, so one read; the comment,
    // already right, is left as it was.
    expect(app.fake.issue(REPO, 7).state).toBe("closed");
    expect(workWrites(app)).not.toContain("POST /repos/{owner}/{repo}/issues");
    expect(app.fake.comments(REPO, number)[0]?.body).toBe(closedBody);
    expect(associationReads(app)).toEqual([`/repos/acme/gateway/commits/${mergeSha}/pulls`]);

    // A plain commit on main that changes the plan and creates nothing: no read.
    await push(app, { [PLAN_PATH]: edited.replace("**Coverage Goal**: 85%", "**Coverage Goal**: 86%") });
    expect(associationReads(app)).toEqual([]);
  });
});

describe("the merge's push when GitHub will not say which PR the commit merged", () => {
  it("logs the failure; the push's sync stands (check run success, a redelivery is ignored), the comment says 'not created yet'", async () => {
    const capture = new LogCapture();
    const app = await startApp(createApp({ now: () => new Date("2026-11-25T10:00:00Z") }), {
      log: capture.log,
    });
    try {
      app.fake.addInstallation({ id: INSTALLATION, appId: app.appId, account: OWNER });
      app.fake.addRepo({ owner: OWNER, name: NAME, installationId: INSTALLATION });
      app.fake.commit(REPO, "feature", { [PLAN_PATH]: RATE_LIMITER });
      const { number } = app.fake.openPullRequest(REPO, { head: "feature", as: "alice" });
      await deliverPullRequest(app, number, "opened");
      const mergeSha = app.fake.mergePullRequest(REPO, number);
      await deliverPullRequest(app, number, "closed");
      const closedBody = app.fake.comments(REPO, number)[0]?.body;
      app.fake.faults.add({
        route: "repos/list-pull-requests-associated-with-commit",
        status: 502,
        times: Infinity,
      });

      const delivery = app.payloads.push({ repo: REPO });
      expect(await app.sendWebhook("push", delivery, { deliveryId: "merge-push" })).toBe(200);
      expect(app.fake.issues(REPO)).toHaveLength(10);
      expect(app.fake.checkRuns(REPO).at(-1)).toMatchObject({ headSha: mergeSha, conclusion: "success" });
      expect(app.fake.comments(REPO, number)[0]?.body).toBe(closedBody);
      expect(
        capture
          .withMessage("plan-sync: could not update the merged pull requests' comments")
          .map((line) => [line.level, line["error"]]),
      ).toEqual([[50, `GET /repos/acme/gateway/commits/${mergeSha}/pulls answered 502: Server Error`]]);

      expect(await app.sendWebhook("push", delivery, { deliveryId: "merge-push" })).toBe(200);
      expect(
        capture.withMessage("plan-sync: delivery merge-push (push) already handled: ignored"),
      ).toHaveLength(1);
      app.fake.assertNoUnexpectedRequests();
    } finally {
      await app.close();
    }
  });
});
