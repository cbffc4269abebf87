import { describe, expect, it } from "vitest";
import { owner, repo, REPO, useFakeRepo } from "./fake-repo.js";
import { octokitAs, statusOf } from "../support/octokit.js";

const fake = useFakeRepo();

describe("issues", () => {
  it("creates, updates, closes and reopens an issue with GitHub's state_reason rules", async () => {
    const octokit = octokitAs(fake(), "alice");
    const milestone = fake().addMilestone(REPO, "v1");
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
    expect(fake().labels(REPO)).toEqual(["plan-step", "area/ci"]);

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
    expect(await statusOf(octokitAs(fake()).issues.create({ owner, repo, ...fields }))).toBe(422);
    expect(fake().issues(REPO)).toEqual([]);
  });

  it("pages issue lists 100 at a time with GitHub's Link header, filtered by creator, labels and state", async () => {
    for (let n = 1; n <= 250; n++)
      fake().createIssue(
        REPO,
        { title: `Item ${n}`, labels: n % 2 ? ["plan"] : [] },
        { as: n <= 240 ? "plan-sync[bot]" : "carol" },
      );
    fake().updateIssue(REPO, 1, { state: "closed" });
    fake().openPullRequest(REPO, { head: "main", title: "a pull request is an issue too" });
    const octokit = octokitAs(fake());

    const page2 = await octokit.issues.listForRepo({ owner, repo, state: "all", per_page: 100, page: 2 });
    const link = `${fake().url}/repos/acme/web/issues?state=all&per_page=100&page=`;
    expect(page2.headers.link).toBe(
      `<${link}1>; rel="prev", <${link}3>; rel="next", <${link}3>; rel="last", <${link}1>; rel="first"`,
    );
    expect(page2.data.map((issue) => issue.number).slice(0, 2)).toEqual([151, 150]);

    fake().log.clear();
    const all = await octokit.paginate(octokit.issues.listForRepo, {
      owner,
      repo,
      state: "all",
      per_page: 100,
    });
    expect(all).toHaveLength(251);
    expect(all.filter((issue) => issue.pull_request)).toHaveLength(1);
    expect(fake().log.counters()).toEqual({
      reads: 3,
      writes: 0,
      byOperation: { "issues/list-for-repo": 3 },
    });

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
    const octokit = octokitAs(fake(), "plan-sync-tester");
    const issue = fake().createIssue(REPO, { title: "t" });
    const { data: comment } = await octokit.issues.createComment({
      owner,
      repo,
      issue_number: issue.number,
      body: "first",
    });
    await octokit.issues.updateComment({ owner, repo, comment_id: comment.id, body: "edited" });
    fake().addComment(REPO, issue.number, "a person's reply", { as: "dave" });
    const { data } = await octokit.issues.listComments({
      owner,
      repo,
      issue_number: issue.number,
      per_page: 1,
      page: 2,
    });
    expect(data.map((c) => [c.user?.login, c.body])).toEqual([["dave", "a person's reply"]]);
    expect(
      fake()
        .comments(REPO, issue.number)
        .map((c) => c.body),
    ).toEqual(["edited", "a person's reply"]);
    expect(fake().issue(REPO, issue.number).comments).toBe(2);
  });

  it("gets, creates and renames labels; renaming moves the label on issues", async () => {
    const octokit = octokitAs(fake());
    expect(await statusOf(octokit.issues.getLabel({ owner, repo, name: "plan" }))).toBe(404);
    await octokit.issues.createLabel({ owner, repo, name: "plan", color: "0e8a16" });
    expect(await statusOf(octokit.issues.createLabel({ owner, repo, name: "PLAN" }))).toBe(422);
    const issue = fake().createIssue(REPO, { title: "t", labels: ["plan"] });
    await octokit.issues.updateLabel({ owner, repo, name: "plan", new_name: "roadmap" });
    expect(
      fake()
        .issue(REPO, issue.number)
        .labels.map((label) => label.name),
    ).toEqual(["roadmap"]);
    expect((await octokit.issues.getLabel({ owner, repo, name: "ROADMAP" })).data).toMatchObject({
      name: "roadmap",
      color: "0e8a16",
    });
  });
});
