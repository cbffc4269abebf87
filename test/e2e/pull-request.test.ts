// Pull requests end to end (SPEC.md §3): the real Probot server, signed `pull_request` deliveries and the fake
// GitHub. One status comment per PR, a `plan-sync` check run per head commit, and never an issue write.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningApp } from "../support/e2e.js";
import {
  closeChecked,
  deliverPullRequest,
  PLAN_PATH,
  RATE_LIMITER,
  REPO,
  startScenario,
  workWrites,
} from "./scenario.js";

const BROKEN = [
  "# Implementation Plan: Broken", // 1
  "",
  "## Implementation Steps",
  "",
  "### Phase 1: Core", // 5
  "",
  "#### Step 1.1: First", // 7
  "**What**: one",
  "",
  "#### Step 1.1: Again", // 10: duplicate number (error)
  "**What**: two",
  "",
  "#### Step 1.2: Third",
  "**Depends on**: Step 7.7", // 14: unknown step (warning), column 17
  "",
].join("\n");

/** A plan whose 120 steps each depend on a step that does not exist: 120 warnings. */
function planWith120Warnings(): string {
  const lines = ["# Implementation Plan: Many", "", "## Implementation Steps", "", "### Phase 1: All", ""];
  for (let index = 1; index <= 120; index++)
    lines.push(`#### Step 1.${index}: Step number ${index}`, `**Depends on**: Step 9.${index}`, "");
  return lines.join("\n");
}

async function openPullRequest(app: RunningApp, files: Record<string, string | null>, branch = "feature") {
  const sha = app.fake.commit(REPO, branch, files);
  const pull = app.fake.openPullRequest(REPO, { head: branch, as: "alice" });
  return { number: pull.number, sha };
}

const COMMENT_WRITES = new Set([
  "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
  "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}",
]);
const CHECK_WRITES = new Set([
  "POST /repos/{owner}/{repo}/check-runs",
  "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}",
]);

describe("pull requests", () => {
  let app: RunningApp;
  beforeEach(async () => {
    app = await startScenario();
  });
  afterEach(() => closeChecked(app));

  it("open → one comment and one check run; synchronize → the same comment edited, a new run on the new head", async () => {
    const first = await openPullRequest(app, { [PLAN_PATH]: RATE_LIMITER });
    app.fake.log.clear();
    await deliverPullRequest(app, first.number, "opened");
    expect(workWrites(app)).toEqual([
      "POST /repos/{owner}/{repo}/check-runs",
      "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
      "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}",
    ]);
    const [comment] = app.fake.comments(REPO, first.number);
    expect(app.fake.comments(REPO, first.number)).toHaveLength(1);
    expect(comment?.user.login).toBe(app.botLogin);
    expect(comment?.body).toContain(`Preview of [\`${first.sha.slice(0, 7)}\`]`);
    expect(comment?.body).toContain("**Merging**: 10 issues to create.");
    const [run] = app.fake.checkRuns(REPO);
    expect([run?.name, run?.headSha, run?.status, run?.conclusion, run?.output.title]).toEqual([
      "plan-sync",
      first.sha,
      "completed",
      "success",
      "1 plan: merging creates 10, updates 0, closes 0 issues",
    ]);
    expect(run?.bodies[0]).toMatchObject({ status: "in_progress", head_sha: first.sha });

    const second = app.fake.commit(REPO, "feature", {
      [PLAN_PATH]: RATE_LIMITER.replace(
        "#### Step 3.2: Enforce for all tenants",
        "#### Step 3.2: Enforce everywhere",
      ),
    });
    app.fake.log.clear();
    await deliverPullRequest(app, first.number, "synchronize");
    expect(workWrites(app)).toEqual([
      "POST /repos/{owner}/{repo}/check-runs",
      "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}",
      "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}",
    ]);
    const comments = app.fake.comments(REPO, first.number);
    expect(comments.map((edited) => edited.id)).toEqual([comment?.id]);
    expect(comments[0]?.body).toContain(`Preview of [\`${second.slice(0, 7)}\`]`);
    expect(comments[0]?.body).toContain("- Create Step 3.2: Enforce everywhere");
    expect(app.fake.checkRuns(REPO).map((checkRun) => [checkRun.headSha, checkRun.conclusion])).toEqual([
      [first.sha, "success"],
      [second, "success"],
    ]);

    // The same head delivered again: a new check run, but the comment is not rewritten (same body).
    app.fake.log.clear();
    await deliverPullRequest(app, first.number, "synchronize");
    expect(workWrites(app).filter((write) => COMMENT_WRITES.has(write))).toEqual([]);
  });

  it("reports every diagnostic as an annotation on its line, and fails the run on errors", async () => {
    const { number, sha } = await openPullRequest(app, { "plans/broken.md": BROKEN });
    await deliverPullRequest(app, number, "opened");
    const [run] = app.fake.checkRuns(REPO);
    expect([run?.conclusion, run?.output.title]).toEqual([
      "failure",
      "1 plan with errors: not applied on merge",
    ]);
    expect(
      run?.annotations.map((annotation) => [
        annotation.path,
        annotation.start_line,
        annotation.end_line,
        annotation.start_column,
        annotation.annotation_level,
        annotation.title,
      ]),
    ).toEqual([
      ["plans/broken.md", 10, 10, 1, "failure", "duplicate-step-number"],
      ["plans/broken.md", 14, 14, 17, "warning", "unknown-dependency"],
    ]);
    const body = app.fake.comments(REPO, number)[0]?.body ?? "";
    const blob = `https://${app.fake.host}/acme/gateway/blob/${sha}/plans/broken.md`;
    expect(body).toContain(
      `- **error** \`duplicate-step-number\` at [line 10](${blob}#L10): Step 1.1 is numbered twice (first at line 7); renumber one of them.`,
    );
    expect(body).toContain(`- **warning** \`unknown-dependency\` at [line 14](${blob}#L14): `);
    expect(body).toContain("**Merging**: changes nothing — the plan has 1 error (below)");
  });

  it("sends 120 annotations in 3 requests of at most 50, the last with the conclusion", async () => {
    const { number } = await openPullRequest(app, { "plans/many.md": planWith120Warnings() });
    await deliverPullRequest(app, number, "opened");
    const [run] = app.fake.checkRuns(REPO);
    const updates = (run?.bodies ?? []).slice(1) as Array<{
      conclusion?: string;
      output: { annotations: unknown[] };
    }>;
    expect(updates.map((update) => [update.output.annotations.length, update.conclusion ?? null])).toEqual([
      [50, null],
      [50, null],
      [20, "success"],
    ]);
    expect(run?.annotations.map((annotation) => annotation.start_line).slice(0, 3)).toEqual([8, 11, 14]);
    expect(run?.annotations).toHaveLength(120);
  });

  it("truncates an oversized comment under 65,536 characters with a visible note", async () => {
    const lines = ["# Implementation Plan: Huge", "", "## Implementation Steps", "", "### Phase 1: All", ""];
    for (let index = 1; index <= 300; index++)
      lines.push(`#### Step 1.${index}: ${`Step ${index} `.padEnd(230, "x")}`, "**What**: w", "");
    const { number } = await openPullRequest(app, { "plans/huge.md": lines.join("\n") });
    await deliverPullRequest(app, number, "opened");
    const body = app.fake.comments(REPO, number)[0]?.body ?? "";
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body.length).toBeGreaterThan(60_000);
    expect(body.endsWith("The `plan-sync` check run lists every diagnostic.")).toBe(true);
    expect(body).toContain("> Truncated: this comment was longer than GitHub allows (65,536 characters).");
    // The tracking issue, one issue for the phase (over 100 sub-issues) and 300 steps.
    expect(/\*\*Merging\*\*: .*/.exec(body)?.[0]).toBe("**Merging**: 302 issues to create.");
  });

  it("says so when a later push stops touching plans (the comment is edited, not deleted)", async () => {
    const { number } = await openPullRequest(app, { [PLAN_PATH]: RATE_LIMITER, "README.md": "hello" });
    await deliverPullRequest(app, number, "opened");
    const later = app.fake.commit(REPO, "feature", { [PLAN_PATH]: null });
    app.fake.log.clear();
    await deliverPullRequest(app, number, "synchronize");
    expect(workWrites(app)).toEqual(["PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}"]);
    const comments = app.fake.comments(REPO, number);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain(
      `As of [\`${later.slice(0, 7)}\`](https://${app.fake.host}/acme/gateway/commit/${later}), this pull request no longer changes any plan file: merging it changes no issue.`,
    );
  });

  it("leaves a person's comment that carries our marker alone and writes its own", async () => {
    const { number } = await openPullRequest(app, { [PLAN_PATH]: RATE_LIMITER });
    const forged = '<!-- plan-sync:pull-request {"v":1,"sha":"x","plans":[]} -->\nI copied this.';
    app.fake.addComment(REPO, number, forged, { as: "mallory" });
    await deliverPullRequest(app, number, "opened");
    await deliverPullRequest(app, number, "synchronize");
    const comments = app.fake.comments(REPO, number);
    expect(comments.map((comment) => comment.user.login)).toEqual(["mallory", app.botLogin]);
    expect(comments[0]?.body).toBe(forged);
  });

  it("gives a fork's PR the comment and the check run, nothing else", async () => {
    const { number, sha } = await openPullRequest(app, { [PLAN_PATH]: RATE_LIMITER });
    app.fake.log.clear();
    await deliverPullRequest(app, number, "opened", (payload) => {
      const head = payload.pull_request["head"] as Record<string, unknown>;
      const repo = head["repo"] as Record<string, unknown>;
      head["repo"] = { ...repo, full_name: "forker/gateway", fork: true, owner: app.fake.user("forker") };
      head["label"] = "forker:feature";
    });
    expect(workWrites(app)).toEqual([
      "POST /repos/{owner}/{repo}/check-runs",
      "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
      "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}",
    ]);
    expect(app.fake.checkRuns(REPO).map((run) => [run.headSha, run.conclusion])).toEqual([[sha, "success"]]);
    expect(app.fake.issues(REPO)).toEqual([]);
  });

  it("fails the check run with the reason when the config is invalid, and says so in the comment", async () => {
    app.fake.commit(REPO, "main", { ".github/plan-sync.yml": "questions: sometimes\n" });
    const { number, sha } = await openPullRequest(app, { [PLAN_PATH]: RATE_LIMITER });
    await deliverPullRequest(app, number, "opened");
    expect(app.fake.checkRuns(REPO).map((run) => [run.headSha, run.conclusion, run.output.title])).toEqual([
      [sha, "failure", "Invalid .github/plan-sync.yml: nothing synced"],
    ]);
    expect(app.fake.comments(REPO, number)[0]?.body).toContain("`.github/plan-sync.yml` is invalid");
  });

  it("ignores a PR that touches no plan (no comment, no check run)", async () => {
    const { number } = await openPullRequest(app, { "README.md": "hello" });
    app.fake.log.clear();
    await deliverPullRequest(app, number, "opened");
    expect(workWrites(app)).toEqual([]);
  });

  it("writes only comments and check runs for every PR event (never an issue)", async () => {
    const { number } = await openPullRequest(app, { [PLAN_PATH]: RATE_LIMITER });
    app.fake.log.clear();
    for (const action of ["opened", "synchronize", "reopened", "ready_for_review"])
      await deliverPullRequest(app, number, action);
    const writes = workWrites(app);
    expect(writes.filter((write) => !COMMENT_WRITES.has(write) && !CHECK_WRITES.has(write))).toEqual([]);
    expect(writes.filter((write) => COMMENT_WRITES.has(write))).toHaveLength(1);
    expect(app.fake.checkRuns(REPO)).toHaveLength(4);
  });
});
