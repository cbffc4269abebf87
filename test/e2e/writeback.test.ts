// `writeback: pull_request` (SPEC.md §2): a step a person closes as completed is ticked in the plan by one pull
// request per plan file; nothing else is written to the file, and nothing at all with `writeback: off`.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningApp } from "../support/e2e.js";
import {
  issueEvent,
  PLAN_PATH,
  push,
  RATE_LIMITER,
  REPO,
  startScenario,
  writes,
  closeChecked,
} from "./scenario.js";

const CONFIG = ".github/plan-sync.yml";
const BRANCH = "plan-sync/writeback/plans-rate-limiter-md-3ff93b";
/** Issues of the first sync: #1 the tracking issue, #4 Step 2.1, #5 Step 2.2, #8 the first open question. */
const STEP_2_1 = 4;
const STEP_2_2 = 5;
const QUESTION = 8;
const TICKED_2_1 = RATE_LIMITER.replace("#### Step 2.1: Middleware", "#### [x] Step 2.1: Middleware");
const TICKED_BOTH = TICKED_2_1.replace("#### Step 2.2: Limits", "#### [x] Step 2.2: Limits");

let app: RunningApp;
beforeEach(async () => {
  app = await startScenario();
});
afterEach(() => closeChecked(app));

/** A person closes the issue (with this state reason) and GitHub sends the event; answers the writes it caused. */
async function closeByHand(number: number, reason: "completed" | "not_planned" = "completed") {
  app.fake.updateIssue(REPO, number, { state: "closed", state_reason: reason }, { as: "mkowalski" });
  app.fake.log.clear();
  expect(await app.sendWebhook("issues", issueEvent(app, number, "closed", "mkowalski"))).toBe(200);
  return writeLines();
}

/** The writes since the log was cleared, as `METHOD /path` (paths decoded: Octokit escapes the `/` in them). */
function writeLines(): string[] {
  return writes(app).map((request) => `${request.method} ${decodeURIComponent(request.path)}`);
}

/** Writes beyond the tracking issue's refresh. */
const beyondTracking = (lines: string[]) =>
  lines.filter((line) => !line.startsWith("PATCH /repos/acme/gateway/issues/1"));

describe("writeback: pull_request", () => {
  beforeEach(async () => {
    await push(app, { [PLAN_PATH]: RATE_LIMITER, [CONFIG]: "writeback: pull_request\n" });
  });

  it("a step closed by hand gets one PR that ticks it; the next close adds a commit to that PR", async () => {
    const main = app.fake.headOf(REPO, "main");
    expect(await closeByHand(STEP_2_1)).toEqual([
      "PATCH /repos/acme/gateway/issues/1",
      "POST /repos/acme/gateway/git/refs",
      `PUT /repos/acme/gateway/contents/${PLAN_PATH}`,
      "POST /repos/acme/gateway/pulls",
    ]);
    expect(app.fake.fileAt(REPO, BRANCH, PLAN_PATH)).toBe(TICKED_2_1);
    expect(app.fake.fileAt(REPO, "main", PLAN_PATH)).toBe(RATE_LIMITER);
    expect(app.fake.headOf(REPO, "main")).toBe(main);
    const pr = app.fake.pullRequest(REPO, 11);
    expect([pr.title, pr.head.ref, pr.base.ref, pr.user?.login, pr.state]).toEqual([
      `plan-sync: mark done in ${PLAN_PATH}`,
      BRANCH,
      "main",
      app.botLogin,
      "open",
    ]);
    expect(pr.body?.split("\n").slice(0, 4)).toEqual([
      `These issues were closed as completed by hand; this pull request marks their items done in \`${PLAN_PATH}\`, so the plan says what GitHub shows:`,
      "",
      "- Step 2.1: Middleware — #4",
      "",
    ]);
    expect(pr.body).not.toMatch(/closes|fixes|resolves/i);
    expect(app.fake.issue(REPO, STEP_2_1).state).toBe("closed");

    expect(await closeByHand(STEP_2_2)).toEqual([
      "PATCH /repos/acme/gateway/issues/1",
      `PUT /repos/acme/gateway/contents/${PLAN_PATH}`,
      "PATCH /repos/acme/gateway/issues/11",
    ]);
    expect(app.fake.fileAt(REPO, BRANCH, PLAN_PATH)).toBe(TICKED_BOTH);
    expect(app.fake.pullRequest(REPO, 11).body).toContain(
      "- Step 2.1: Middleware — #4\n- Step 2.2: Limits admin endpoint — #5\n",
    );
    expect(() => app.fake.pullRequest(REPO, 12)).toThrow();
  });

  it("an open question closed by hand is ticked too", async () => {
    expect(beyondTracking(await closeByHand(QUESTION))).toEqual([
      "POST /repos/acme/gateway/git/refs",
      `PUT /repos/acme/gateway/contents/${PLAN_PATH}`,
      "POST /repos/acme/gateway/pulls",
    ]);
    expect(app.fake.fileAt(REPO, BRANCH, PLAN_PATH)).toBe(
      RATE_LIMITER.replace("- [ ] Should internal tenants", "- [x] Should internal tenants"),
    );
  });

  it("a close as not planned, or of a step the plan marks done already, opens no PR", async () => {
    expect(await closeByHand(STEP_2_1, "not_planned")).toEqual(["PATCH /repos/acme/gateway/issues/1"]);
    // Step 3.1 says `**Status**: Done`: its issue is closed already; reopened and closed again, nothing to tick.
    app.fake.updateIssue(REPO, 6, { state: "open" }, { as: "mkowalski" });
    expect(beyondTracking(await closeByHand(6))).toEqual([]);
    expect(() => app.fake.headOf(REPO, BRANCH)).toThrow();
  });

  it("two closes at once end in one PR that ticks both", async () => {
    for (const number of [STEP_2_1, STEP_2_2])
      app.fake.updateIssue(REPO, number, { state: "closed", state_reason: "completed" }, { as: "mkowalski" });
    app.fake.log.clear();
    const sent = [STEP_2_1, STEP_2_2].map((number) =>
      app.sendWebhook("issues", issueEvent(app, number, "closed", "mkowalski"), { waitForWork: false }),
    );
    expect(await Promise.all(sent)).toEqual([200, 200]);
    await app.idle();
    expect(app.fake.fileAt(REPO, BRANCH, PLAN_PATH)).toBe(TICKED_BOTH);
    expect(writeLines().filter((line) => line.endsWith("/pulls"))).toEqual([
      "POST /repos/acme/gateway/pulls",
    ]);
    expect(app.fake.pullRequest(REPO, 11).body).toContain("#4");
    expect(app.fake.pullRequest(REPO, 11).body).toContain("#5");
    // No write refused: no branch created twice (422), no commit over a changed file (409).
    const refused = writes(app).filter((request) => request.status >= 400);
    expect(refused).toEqual([]);
  });

  it("a reopen writes nothing to the plan", async () => {
    await closeByHand(STEP_2_1);
    app.fake.updateIssue(REPO, STEP_2_2, { state: "closed", state_reason: "completed" }, { as: "mkowalski" });
    app.fake.updateIssue(REPO, STEP_2_2, { state: "open" }, { as: "mkowalski" });
    app.fake.log.clear();
    expect(await app.sendWebhook("issues", issueEvent(app, STEP_2_2, "reopened", "mkowalski"))).toBe(200);
    expect(beyondTracking(writeLines())).toEqual([]);
    expect(app.fake.fileAt(REPO, BRANCH, PLAN_PATH)).toBe(TICKED_2_1);
  });

  it("once merged, the next sync sees the step done: the closed issue keeps its state and text", async () => {
    await closeByHand(STEP_2_1);
    const before = app.fake.issue(REPO, STEP_2_1);
    await push(app, { [PLAN_PATH]: app.fake.fileAt(REPO, BRANCH, PLAN_PATH) ?? null }, "Merge writeback");
    // The one write to it records the plan's done-mark in its hidden marker (reconcile's rule: a person's later
    // reopen must not be undone as if the plan had just changed); no state is sent, nothing shown changes.
    const toIssue = writes(app).filter((request) => request.path.endsWith(`/issues/${STEP_2_1}`));
    expect(toIssue.map((request) => Object.keys(request.body as object))).toEqual([["body"]]);
    const after = app.fake.issue(REPO, STEP_2_1);
    expect([after.state, after.state_reason]).toEqual(["closed", "completed"]);
    expect(after.body).toBe(before.body?.replace('"done":false', '"done":true'));
    expect(app.fake.issue(REPO, 1).body).toContain("2 of 6 steps done");
    expect(app.fake.checkRuns(REPO).at(-1)?.conclusion).toBe("success");
  });

  it("after the PR is merged, the next close starts a new PR from the default branch on the same branch name", async () => {
    await closeByHand(STEP_2_1);
    app.fake.mergePullRequest(REPO, 11, { as: "mkowalski" });
    expect(app.fake.fileAt(REPO, "main", PLAN_PATH)).toBe(TICKED_2_1);
    // (No push was sent for the merge: this close's sync records step 2.1's done-mark on #4, see above.)
    expect(await closeByHand(STEP_2_2)).toEqual([
      "PATCH /repos/acme/gateway/issues/4",
      "PATCH /repos/acme/gateway/issues/1",
      `PATCH /repos/acme/gateway/git/refs/heads/${BRANCH}`,
      `PUT /repos/acme/gateway/contents/${PLAN_PATH}`,
      "POST /repos/acme/gateway/pulls",
    ]);
    expect(app.fake.fileAt(REPO, BRANCH, PLAN_PATH)).toBe(TICKED_BOTH);
    expect(app.fake.pullRequest(REPO, 12).body).toContain("- Step 2.2: Limits admin endpoint — #5\n\n");
    expect(app.fake.pullRequest(REPO, 12).body).not.toContain("#4");
  });

  it("a branch a person committed to is left alone", async () => {
    await closeByHand(STEP_2_1);
    const theirs = app.fake.commit(REPO, BRANCH, { "notes.md": "mine\n" }, { author: "alice" });
    expect(await closeByHand(STEP_2_2)).toEqual(["PATCH /repos/acme/gateway/issues/1"]);
    expect(app.fake.headOf(REPO, BRANCH)).toBe(theirs);
    expect(app.fake.fileAt(REPO, BRANCH, PLAN_PATH)).toBe(TICKED_2_1);
  });
});

describe("writeback: off (the default)", () => {
  it("a step closed by hand refreshes the tracking issue and writes nothing else", async () => {
    await push(app, { [PLAN_PATH]: RATE_LIMITER });
    expect(await closeByHand(STEP_2_1)).toEqual(["PATCH /repos/acme/gateway/issues/1"]);
    expect(() => app.fake.headOf(REPO, BRANCH)).toThrow();
  });
});
