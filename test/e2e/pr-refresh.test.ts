// SPEC.md §2 "Issue events", end to end: a person's close, reopen or edit of a managed issue refreshes the status
// comment of the open PRs that change the plan (after the tracking issue), and nothing else on them.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/runtime/create-app.js";
import { LogCapture } from "../support/log-capture.js";
import { startApp, type RunningApp } from "../support/e2e.js";
import {
  closeChecked,
  deliverPullRequest,
  INSTALLATION,
  issueEvent,
  NAME,
  OWNER,
  PLAN_PATH,
  push,
  RATE_LIMITER,
  REPO,
  writes,
} from "./scenario.js";

/** The plan edited on a branch: the PR changes it without changing any issue's state. */
const EDITED_PLAN = RATE_LIMITER.replace("**Coverage Goal**: 85%", "**Coverage Goal**: 86%");
/** Issue #4 is step 2.1 (Middleware) after the first sync. */
const STEP_2_1 = 4;

let app: RunningApp;
let capture: LogCapture;
let pullA: number;
let pullB: number;

async function openPullRequest(branch: string, files: Record<string, string>, deliver: boolean) {
  app.fake.commit(REPO, branch, files);
  const { number } = app.fake.openPullRequest(REPO, { head: branch, as: "alice" });
  if (deliver) await deliverPullRequest(app, number, "opened");
  return number;
}

/** Every request of the work (Probot's installation tokens left out), as `METHOD path?query`. */
function requestLines(): string[] {
  return app.fake.log
    .requests()
    .filter((request) => !(request.route ?? "").startsWith("/app/"))
    .map((request) => {
      const query = new URLSearchParams(request.query).toString();
      return `${request.method} ${request.path}${query ? `?${query}` : ""}`;
    });
}

/** The row of the comment's "Issues it has" table for an issue. */
function rowOf(body: string | undefined, number: number): string | undefined {
  return (body ?? "").split("\n").find((line) => line.includes(` | #${number} | `));
}

async function personActs(number: number, action: "closed" | "reopened" | "edited", fields: object) {
  app.fake.updateIssue(REPO, number, fields, { as: "mkowalski" });
  app.fake.log.clear();
  expect(await app.sendWebhook("issues", issueEvent(app, number, action, "mkowalski"))).toBe(200);
}

beforeEach(async () => {
  capture = new LogCapture();
  app = await startApp(createApp({ now: () => new Date("2026-11-25T10:00:00Z") }), { log: capture.log });
  app.fake.addInstallation({ id: INSTALLATION, appId: app.appId, account: OWNER });
  app.fake.addRepo({ owner: OWNER, name: NAME, installationId: INSTALLATION });
  await push(app, { [PLAN_PATH]: RATE_LIMITER });
  pullA = await openPullRequest("feature-a", { [PLAN_PATH]: EDITED_PLAN }, true);
  pullB = await openPullRequest("feature-b", { "README.md": "hello\n" }, true);
});
afterEach(() => closeChecked(app));

/** The requests after the tracking issue's refresh (the sync's own reads before it are not this feature's). */
function afterTrackingRefresh(): string[] {
  const lines = requestLines();
  const at = lines.indexOf("PATCH /repos/acme/gateway/issues/1");
  return at < 0 ? lines.slice(lines.findIndex((line) => line.includes("/pulls?"))) : lines.slice(at + 1);
}

const LIST_OPEN =
  "GET /repos/acme/gateway/pulls?state=open&base=main&sort=updated&direction=desc&per_page=10";
const ISSUES =
  "GET /repos/acme/gateway/issues?creator=plan-sync%5Bbot%5D&state=all&per_page=100&sort=created&direction=asc";
const files = (number: number) => `GET /repos/acme/gateway/pulls/${number}/files?per_page=100`;
const comments = (number: number) => `GET /repos/acme/gateway/issues/${number}/comments?per_page=100`;
const planAt = (sha: string) => `GET /repos/acme/gateway/contents/plans%2Frate-limiter.md?ref=${sha}`;
/** The plan's upstream dependency `#41` (not in the fake: its state is read and left out). */
const UPSTREAM = "GET /repos/acme/gateway/issues/41";

describe("a person's issue event and the open pull requests", () => {
  it("closing step 2.1 edits PR A's comment (the step shows closed); PR B only has its files read", async () => {
    const [before] = app.fake.comments(REPO, pullA);
    expect(rowOf(before?.body, STEP_2_1)).toBe("| Step 2.1: Middleware | #4 | open | — |");
    expect(app.fake.comments(REPO, pullB)).toEqual([]);
    const checkRuns = app.fake.checkRuns(REPO).length;

    await personActs(STEP_2_1, "closed", { state: "closed", state_reason: "completed" });

    const after = app.fake.comments(REPO, pullA);
    expect(after.map((comment) => comment.id)).toEqual([before?.id]);
    expect(rowOf(after[0]?.body, STEP_2_1)).toBe("| Step 2.1: Middleware | #4 | closed (completed) | — |");
    expect(after[0]?.body.replace(rowOf(after[0]?.body, STEP_2_1) ?? "", "")).toBe(
      before?.body.replace(rowOf(before?.body, STEP_2_1) ?? "", ""),
    );
    expect(app.fake.comments(REPO, pullB)).toEqual([]);
    expect(app.fake.checkRuns(REPO)).toHaveLength(checkRuns);
    expect(writes(app).map((request) => `${request.method} ${request.path}`)).toEqual([
      "PATCH /repos/acme/gateway/issues/1",
      `PATCH /repos/acme/gateway/issues/comments/${before?.id}`,
    ]);
    // 7 reads: the open PRs, each one's files (B: nothing more), then A's comment, the issues, A's plan, `#41`.
    expect(afterTrackingRefresh()).toEqual([
      LIST_OPEN,
      files(pullB),
      files(pullA),
      comments(pullA),
      ISSUES,
      planAt(app.fake.headOf(REPO, "feature-a")),
      UPSTREAM,
      `PATCH /repos/acme/gateway/issues/comments/${before?.id}`,
    ]);
  });

  it("a reopen shows the step open again", async () => {
    await personActs(STEP_2_1, "closed", { state: "closed", state_reason: "completed" });
    expect(rowOf(app.fake.comments(REPO, pullA)[0]?.body, STEP_2_1)).toContain("closed (completed)");
    await personActs(STEP_2_1, "reopened", { state: "open", state_reason: "reopened" });
    expect(writes(app).map((request) => request.route)).toContain(
      "/repos/{owner}/{repo}/issues/comments/{comment_id}",
    );
    expect(rowOf(app.fake.comments(REPO, pullA)[0]?.body, STEP_2_1)).toBe(
      "| Step 2.1: Middleware | #4 | open | — |",
    );
  });

  it("an edit that changes nothing in the comment writes nothing (the comment is read and rendered)", async () => {
    const body = `${app.fake.issue(REPO, STEP_2_1).body ?? ""}\n\nNotes from the design review.`;
    const [before] = app.fake.comments(REPO, pullA);
    await personActs(STEP_2_1, "edited", { body });
    expect(writes(app)).toEqual([]);
    expect(app.fake.comments(REPO, pullA)).toEqual([before]);
    expect(afterTrackingRefresh()).toEqual([
      LIST_OPEN,
      files(pullB),
      files(pullA),
      comments(pullA),
      ISSUES,
      planAt(app.fake.headOf(REPO, "feature-a")),
      UPSTREAM,
    ]);
  });

  it("a PR that changes the plan but never got a comment does not get one from an issue event", async () => {
    const pullC = await openPullRequest("feature-c", { [PLAN_PATH]: EDITED_PLAN }, false);
    await personActs(STEP_2_1, "closed", { state: "closed", state_reason: "completed" });
    expect(app.fake.comments(REPO, pullC)).toEqual([]);
    expect(afterTrackingRefresh().slice(0, 3)).toEqual([LIST_OPEN, files(pullC), comments(pullC)]);
    expect(rowOf(app.fake.comments(REPO, pullA)[0]?.body, STEP_2_1)).toContain("closed (completed)");
  });

  it("a comment showing another commit than the PR's head is left to that push's own event", async () => {
    const [before] = app.fake.comments(REPO, pullA);
    app.fake.commit(REPO, "feature-a", { [PLAN_PATH]: `${EDITED_PLAN}\n` }); // its synchronize not delivered yet
    await personActs(STEP_2_1, "closed", { state: "closed", state_reason: "completed" });
    expect(app.fake.comments(REPO, pullA)).toEqual([before]);
    expect(afterTrackingRefresh()).toEqual([LIST_OPEN, files(pullB), files(pullA), comments(pullA)]);
  });

  it("our own bot's event is still ignored before any request", async () => {
    app.fake.log.clear();
    expect(await app.sendWebhook("issues", issueEvent(app, STEP_2_1, "closed", app.botLogin))).toBe(200);
    expect(app.fake.log.requests()).toEqual([]);
  });
});

describe("a refresh that fails", () => {
  it("is logged with its PR; the tracking issue's refresh stands and the other PRs are refreshed", async () => {
    app.fake.faults.add({
      route: "pulls/list-files",
      status: 502,
      times: Infinity,
      when: (request) => Number(request.params["pull_number"]) === pullB,
    });
    await personActs(STEP_2_1, "closed", { state: "closed", state_reason: "completed" });
    expect(app.fake.issue(REPO, 1).body).toContain("2 of 6 steps done");
    expect(rowOf(app.fake.comments(REPO, pullA)[0]?.body, STEP_2_1)).toContain("closed (completed)");
    expect(
      capture.lines
        .filter((line) => line.msg.startsWith("plan-sync: status comment of"))
        .map((line) => [line.level, line["pull"], line.msg]),
    ).toEqual([
      [
        40,
        pullB,
        `plan-sync: status comment of #${pullB} not refreshed: GET /repos/acme/gateway/pulls/${pullB}/files answered 502: Server Error`,
      ],
    ]);
  });

  it("a list of open PRs that cannot be read is logged; the event's sync stands", async () => {
    app.fake.faults.add({ route: "pulls/list", status: 500, times: Infinity });
    await personActs(STEP_2_1, "closed", { state: "closed", state_reason: "completed" });
    expect(app.fake.issue(REPO, 1).body).toContain("2 of 6 steps done");
    expect(
      capture
        .withMessage(
          "plan-sync: open pull requests not listed: GET /repos/acme/gateway/pulls answered 500: Internal Server Error",
        )
        .map((line) => line.level),
    ).toEqual([40]);
  });
});
