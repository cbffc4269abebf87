import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { Octokit } from "@octokit/rest";
import { ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeGitHub } from "../support/fake-github/index.js";
import { octokitAs, statusOf } from "../support/octokit.js";

const owner = "acme";
const repo = "web";
const REPO = `${owner}/${repo}`;

let fake: FakeGitHub;
beforeEach(async () => {
  fake = await FakeGitHub.start();
  fake.addRepo({ owner, name: repo });
});
afterEach(async () => {
  fake.assertNoUnexpectedRequests();
  await fake.close();
});

describe("issues", () => {
  it("creates, updates, closes and reopens an issue with GitHub's state_reason rules", async () => {
    const octokit = octokitAs(fake, "alice");
    const milestone = fake.addMilestone(REPO, "v1");
    const { data: created } = await octokit.issues.create({
      owner,
      repo,
      title: "Step 1.1: Set up",
      body: "b",
      labels: ["plan-step", { name: "Plan-Step" }, "area/ci"],
      assignees: ["bob"],
      milestone,
    });
    expect(created).toMatchObject({
      number: 1,
      state: "open",
      state_reason: null,
      user: { login: "alice", type: "User" },
      labels: [{ name: "plan-step" }, { name: "area/ci" }],
      assignees: [{ login: "bob" }],
      milestone: { number: 1, title: "v1" },
      performed_via_github_app: null,
    });
    expect(created.id).toBeGreaterThan(10_000);
    expect(fake.labels(REPO)).toEqual(["plan-step", "area/ci"]);

    const closed = await octokit.issues.update({
      owner,
      repo,
      issue_number: 1,
      state: "closed",
      state_reason: "not_planned",
    });
    expect(closed.data).toMatchObject({
      state: "closed",
      state_reason: "not_planned",
      closed_by: { login: "alice" },
    });
    const reopened = await octokit.issues.update({ owner, repo, issue_number: 1, state: "open" });
    expect(reopened.data).toMatchObject({ state: "open", state_reason: "reopened", closed_at: null });
    const done = await octokit.issues.update({ owner, repo, issue_number: 1, state: "closed" });
    expect(done.data.state_reason).toBe("completed");
  });

  it.each([
    ["an empty title", { title: " " }],
    ["a title over 256 characters", { title: "x".repeat(257) }],
    ["a body over 65,536 characters", { title: "t", body: "x".repeat(65_537) }],
    ["a milestone that does not exist", { title: "t", milestone: 9 }],
  ])("refuses %s with 422 and creates nothing", async (_name, fields) => {
    expect(await statusOf(octokitAs(fake).issues.create({ owner, repo, ...fields }))).toBe(422);
    expect(fake.issues(REPO)).toEqual([]);
  });

  it("pages issue lists 100 at a time with GitHub's Link header, filtered by creator, labels and state", async () => {
    for (let n = 1; n <= 250; n++)
      fake.createIssue(
        REPO,
        { title: `Item ${n}`, labels: n % 2 ? ["plan"] : [] },
        { as: n <= 240 ? "plan-sync[bot]" : "carol" },
      );
    fake.updateIssue(REPO, 1, { state: "closed" });
    fake.openPullRequest(REPO, { head: "main", title: "a pull request is an issue too" });
    const octokit = octokitAs(fake);

    const page2 = await octokit.issues.listForRepo({ owner, repo, state: "all", per_page: 100, page: 2 });
    const link = `${fake.url}/repos/acme/web/issues?state=all&per_page=100&page=`;
    expect(page2.headers.link).toBe(
      `<${link}1>; rel="prev", <${link}3>; rel="next", <${link}3>; rel="last", <${link}1>; rel="first"`,
    );
    expect(page2.data.map((issue) => issue.number).slice(0, 2)).toEqual([151, 150]);

    fake.clearLog();
    const all = await octokit.paginate(octokit.issues.listForRepo, {
      owner,
      repo,
      state: "all",
      per_page: 100,
    });
    expect(all).toHaveLength(251);
    expect(all.filter((issue) => issue.pull_request)).toHaveLength(1);
    expect(fake.counters()).toEqual({ reads: 3, writes: 0, byOperation: { "issues/list-for-repo": 3 } });

    const mine = await octokit.paginate(octokit.issues.listForRepo, {
      owner,
      repo,
      creator: "plan-sync[bot]",
      labels: "plan",
      state: "open",
      per_page: 100,
    });
    expect(mine).toHaveLength(119);
    expect(mine.every((issue) => issue.user?.login === "plan-sync[bot]" && issue.labels.length === 1)).toBe(
      true,
    );
  });

  it("creates and edits comments, and pages them", async () => {
    const octokit = octokitAs(fake, "plan-sync-tester");
    const issue = fake.createIssue(REPO, { title: "t" });
    const { data: comment } = await octokit.issues.createComment({
      owner,
      repo,
      issue_number: issue.number,
      body: "first",
    });
    await octokit.issues.updateComment({ owner, repo, comment_id: comment.id, body: "edited" });
    fake.addComment(REPO, issue.number, "a person's reply", { as: "dave" });
    const { data } = await octokit.issues.listComments({
      owner,
      repo,
      issue_number: issue.number,
      per_page: 1,
      page: 2,
    });
    expect(data.map((c) => [c.user?.login, c.body])).toEqual([["dave", "a person's reply"]]);
    expect(fake.comments(REPO, issue.number).map((c) => c.body)).toEqual(["edited", "a person's reply"]);
    expect(fake.issue(REPO, issue.number).comments).toBe(2);
  });

  it("gets, creates and renames labels; renaming moves the label on issues", async () => {
    const octokit = octokitAs(fake);
    expect(await statusOf(octokit.issues.getLabel({ owner, repo, name: "plan" }))).toBe(404);
    await octokit.issues.createLabel({ owner, repo, name: "plan", color: "0e8a16" });
    expect(await statusOf(octokit.issues.createLabel({ owner, repo, name: "PLAN" }))).toBe(422);
    const issue = fake.createIssue(REPO, { title: "t", labels: ["plan"] });
    await octokit.issues.updateLabel({ owner, repo, name: "plan", new_name: "roadmap" });
    expect(fake.issue(REPO, issue.number).labels.map((label) => label.name)).toEqual(["roadmap"]);
    expect((await octokit.issues.getLabel({ owner, repo, name: "ROADMAP" })).data).toMatchObject({
      name: "roadmap",
      color: "0e8a16",
    });
  });
});

describe("sub-issues and blocked-by links take issue ids", () => {
  it("links by id, refuses a number, lists and unlinks; the summary counts closed children", async () => {
    const octokit = octokitAs(fake);
    const parent = fake.createIssue(REPO, { title: "Plan" });
    const child = fake.createIssue(REPO, { title: "Step" });
    expect(
      await statusOf(
        octokit.issues.addSubIssue({ owner, repo, issue_number: parent.number, sub_issue_id: child.number }),
      ),
    ).toBe(404);

    const added = await octokit.issues.addSubIssue({
      owner,
      repo,
      issue_number: parent.number,
      sub_issue_id: child.id,
    });
    expect(added.status).toBe(201);
    expect(added.data.number).toBe(parent.number);
    fake.updateIssue(REPO, child.number, { state: "closed" });
    expect(fake.issue(REPO, parent.number).sub_issues_summary).toEqual({
      total: 1,
      completed: 1,
      percent_completed: 100,
    });
    const { data: listed } = await octokit.issues.listSubIssues({ owner, repo, issue_number: parent.number });
    expect(listed.map((issue) => issue.number)).toEqual([child.number]);
    expect(
      (
        await octokit.request("GET /repos/{owner}/{repo}/issues/{issue_number}/parent", {
          owner,
          repo,
          issue_number: child.number,
        })
      ).data.number,
    ).toBe(parent.number);

    const other = fake.createIssue(REPO, { title: "Other plan" });
    expect(
      await statusOf(
        octokit.issues.addSubIssue({ owner, repo, issue_number: other.number, sub_issue_id: child.id }),
      ),
    ).toBe(422);
    await octokit.issues.addSubIssue({
      owner,
      repo,
      issue_number: other.number,
      sub_issue_id: child.id,
      replace_parent: true,
    });
    expect([fake.subIssues(REPO, parent.number), fake.subIssues(REPO, other.number)]).toEqual([
      [],
      [child.number],
    ]);
    await octokit.issues.removeSubIssue({ owner, repo, issue_number: other.number, sub_issue_id: child.id });
    expect(fake.subIssues(REPO, other.number)).toEqual([]);
    expect(
      await statusOf(
        octokit.issues.removeSubIssue({ owner, repo, issue_number: other.number, sub_issue_id: child.id }),
      ),
    ).toBe(404);
  });

  it("caps a parent at 100 sub-issues", async () => {
    const octokit = octokitAs(fake);
    const parent = fake.createIssue(REPO, { title: "Plan" });
    for (let n = 0; n < 100; n++) {
      const child = fake.createIssue(REPO, { title: `Step ${n}` });
      await octokit.issues.addSubIssue({ owner, repo, issue_number: parent.number, sub_issue_id: child.id });
    }
    const extra = fake.createIssue(REPO, { title: "Step 101" });
    expect(
      await statusOf(
        octokit.issues.addSubIssue({ owner, repo, issue_number: parent.number, sub_issue_id: extra.id }),
      ),
    ).toBe(422);
    expect(fake.subIssues(REPO, parent.number)).toHaveLength(100);
  });

  it("adds, lists and removes blocked-by links, capped at 50", async () => {
    const octokit = octokitAs(fake);
    const blocked = fake.createIssue(REPO, { title: "Step 2" });
    const blockers = Array.from({ length: 51 }, (_, n) => fake.createIssue(REPO, { title: `Blocker ${n}` }));
    for (const blocker of blockers.slice(0, 50))
      await octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by", {
        owner,
        repo,
        issue_number: blocked.number,
        issue_id: blocker.id,
      });
    const over = octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by", {
      owner,
      repo,
      issue_number: blocked.number,
      issue_id: blockers[50]?.id as number,
    });
    expect(await statusOf(over)).toBe(422);
    expect(fake.issue(REPO, blocked.number).issue_dependencies_summary).toEqual({
      blocked_by: 50,
      blocking: 0,
      total_blocked_by: 50,
      total_blocking: 0,
    });

    const first = blockers[0] as (typeof blockers)[number];
    await octokit.request(
      "DELETE /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by/{issue_id}",
      { owner, repo, issue_number: blocked.number, issue_id: first.id },
    );
    const listed = await octokit.paginate(
      "GET /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by",
      { owner, repo, issue_number: blocked.number, per_page: 100 },
    );
    expect(listed).toHaveLength(49);
    const blocking = await octokit.request(
      "GET /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocking",
      { owner, repo, issue_number: blockers[1]?.number as number },
    );
    expect(blocking.data.map((issue) => issue.number)).toEqual([blocked.number]);
    expect(fake.blockedBy(REPO, blocked.number)).toEqual(blockers.slice(1, 50).map((issue) => issue.number));
  });
});

describe("check runs", () => {
  it("keeps every annotation across create and updates; a conclusion completes the run", async () => {
    const installation = await installationOctokit();
    const head_sha = fake.headOf(REPO, "main");
    const annotations = (n: number, from = 1) =>
      Array.from({ length: n }, (_, i) => ({
        path: "plans/a.md",
        start_line: from + i,
        end_line: from + i,
        annotation_level: "warning" as const,
        message: `m${from + i}`,
      }));
    const { data: run } = await installation.rest.checks.create({
      owner,
      repo,
      name: "plan-sync",
      head_sha,
      status: "in_progress",
      output: { title: "t", summary: "s", annotations: annotations(50) },
    });
    await installation.rest.checks.update({
      owner,
      repo,
      check_run_id: run.id,
      conclusion: "failure",
      output: { title: "2 errors", summary: "s2", annotations: annotations(30, 51) },
    });

    const [stored] = fake.checkRuns(REPO);
    expect(stored?.annotations.map((a) => a.start_line)).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
    expect(stored).toMatchObject({
      status: "completed",
      conclusion: "failure",
      output: { title: "2 errors", summary: "s2" },
      app: { slug: "plan-sync" },
    });
    expect(stored?.bodies).toHaveLength(2);
    const { data: listed } = await installation.rest.checks.listForRef({
      owner,
      repo,
      ref: "main",
      check_name: "plan-sync",
    });
    expect(listed.check_runs.map((r) => [r.id, r.output.annotations_count])).toEqual([[run.id, 80]]);
    expect(
      await statusOf(
        installation.rest.checks.create({ owner, repo, name: "plan-sync", head_sha: "f".repeat(40) }),
      ),
    ).toBe(422);
  });

  it("is refused to a person's token: check runs are written by apps", async () => {
    expect(
      await statusOf(
        octokitAs(fake).checks.create({ owner, repo, name: "x", head_sha: fake.headOf(REPO, "main") }),
      ),
    ).toBe(403);
  });
});

describe("app authentication", () => {
  it("mints installation tokens for a verified JWT; a token reaches only its installation's repositories", async () => {
    const installation = await installationOctokit();
    fake.addRepo({ owner: "elsewhere", name: "private", installationId: null });
    expect((await installation.rest.repos.get({ owner, repo })).data.full_name).toBe(REPO);
    expect(await statusOf(installation.rest.repos.get({ owner: "elsewhere", repo: "private" }))).toBe(404);
    const { data } = await installation.rest.apps.listReposAccessibleToInstallation();
    expect(data.repositories.map((r) => r.full_name)).toEqual([REPO]);
    expect(
      fake.requests({ operationId: "apps/create-installation-access-token" }).map((r) => [r.status, r.actor]),
    ).toEqual([[201, "app:plan-sync"]]);
  });

  it("refuses a JWT signed with another key, and an unknown token", async () => {
    await installationOctokit();
    const forged = appOctokit(rsaKeys().privateKey);
    expect(await statusOf(forged.rest.apps.getAuthenticated())).toBe(401);
    const stranger = new Octokit({ baseUrl: fake.url, auth: "ghs_not-a-token", log: quiet });
    expect(await statusOf(stranger.repos.get({ owner, repo }))).toBe(401);
  });
});

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

function rsaKeys() {
  return generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
}

/** Probot's own Octokit authenticating as app 4242 (as an installation when given one), throttling off. */
function appOctokit(privateKey: string, installationId?: number) {
  return new ProbotOctokit({
    baseUrl: fake.url,
    auth: { appId: 4242, privateKey, ...(installationId ? { installationId } : {}) },
    throttle: { enabled: false },
    log: quiet,
  });
}

async function installationOctokit() {
  const { privateKey, publicKey } = rsaKeys();
  fake.addApp({ id: 4242, slug: "plan-sync", publicKey: createPublicKey(publicKey) });
  fake.addInstallation({ id: 9, appId: 4242, account: owner });
  fake.store.repo(owner, repo).installationId = 9;
  return appOctokit(privateKey, 9);
}
