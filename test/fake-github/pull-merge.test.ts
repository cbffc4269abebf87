// The fake's merge (a merge commit on the base branch, the PR closed and merged) and GitHub's commit → pull
// requests association, as plan-sync reads them after a merge.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeGitHub } from "../support/fake-github/index.js";
import { octokitAs, statusOf } from "../support/octokit.js";

const owner = "acme";
const repo = "web";
const REPO = `${owner}/${repo}`;
const NOW = Date.parse("2026-11-25T10:00:00Z");

let fake: FakeGitHub;
beforeEach(async () => {
  fake = await FakeGitHub.start({ clock: () => NOW });
  fake.addRepo({ owner, name: repo, files: { "README.md": "hi\n", "plans/a.md": "# Plan: A\n" } });
});
afterEach(async () => {
  try {
    fake.assertNoUnexpectedRequests();
  } finally {
    await fake.close();
  }
});

/** A PR from `feature` that adds a plan, renames one and edits the README, while main edits plans/a.md. */
function divergedPullRequest() {
  const initial = fake.headOf(REPO, "main");
  const featureFirst = fake.commit(REPO, "feature", { "plans/b.md": "# Plan: B\n", "README.md": "hello\n" });
  const featureHead = fake.commit(REPO, "feature", { "plans/c.md": "# Plan: C\n" });
  const mainHead = fake.commit(REPO, "main", { "plans/a.md": "# Plan: A, edited on main\n" });
  const { number } = fake.openPullRequest(REPO, { head: "feature", title: "Plans B and C", as: "alice" });
  return { initial, featureFirst, featureHead, mainHead, number };
}

describe("mergePullRequest", () => {
  it("commits the PR's changes on its base as a merge commit and closes the PR as merged", async () => {
    const { featureHead, mainHead, number } = divergedPullRequest();
    const mergeSha = fake.mergePullRequest(REPO, number, { as: "bob" });

    expect(fake.headOf(REPO, "main")).toBe(mergeSha);
    const octokit = octokitAs(fake);
    const { data: commit } = await octokit.repos.getCommit({ owner, repo, ref: mergeSha });
    expect(commit.parents.map((parent) => parent.sha)).toEqual([mainHead, featureHead]);
    expect(commit.commit.message).toBe("Merge pull request #1 from acme/feature");
    expect((commit.files ?? []).map((file) => [file.status, file.filename])).toEqual([
      ["added", "plans/b.md"],
      ["added", "plans/c.md"],
      ["modified", "README.md"],
    ]);
    expect(
      ["README.md", "plans/a.md", "plans/b.md", "plans/c.md"].map((path) =>
        fake.fileAt(REPO, mergeSha, path),
      ),
    ).toEqual(["hello\n", "# Plan: A, edited on main\n", "# Plan: B\n", "# Plan: C\n"]);

    const { data: pull } = await octokit.pulls.get({ owner, repo, pull_number: number });
    expect(pull).toMatchObject({
      state: "closed",
      merged: true,
      merged_at: "2026-11-25T10:00:00Z",
      merge_commit_sha: mergeSha,
      closed_at: "2026-11-25T10:00:00Z",
      head: { ref: "feature", sha: featureHead },
      base: { ref: "main", sha: mainHead },
    });
    // The PR's files stay those it merged, though main now contains them.
    const { data: files } = await octokit.pulls.listFiles({ owner, repo, pull_number: number });
    expect(files.map((file) => [file.status, file.filename])).toEqual([
      ["added", "plans/b.md"],
      ["added", "plans/c.md"],
      ["modified", "README.md"],
    ]);
    expect(() => fake.mergePullRequest(REPO, number)).toThrow("#1 is closed already");
  });

  it("carries a deletion and a rename over to the base", () => {
    fake.commit(REPO, "feature", { "plans/a.md": null, "plans/moved.md": "# Plan: A\n", "README.md": null });
    const { number } = fake.openPullRequest(REPO, { head: "feature" });
    const mergeSha = fake.mergePullRequest(REPO, number);
    expect(
      ["README.md", "plans/a.md", "plans/moved.md"].map((path) => fake.fileAt(REPO, mergeSha, path)),
    ).toEqual([undefined, undefined, "# Plan: A\n"]);
  });

  it("an unmerged PR shows merged false, merged_at and merge_commit_sha null", async () => {
    const { number, featureHead } = divergedPullRequest();
    const { data: pull } = await octokitAs(fake).pulls.get({ owner, repo, pull_number: number });
    expect(pull).toMatchObject({
      state: "open",
      merged: false,
      merged_at: null,
      merge_commit_sha: null,
      head: { sha: featureHead },
    });
  });
});

describe("GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls", () => {
  const associated = async (sha: string) => {
    const { data } = await octokitAs(fake).repos.listPullRequestsAssociatedWithCommit({
      owner,
      repo,
      commit_sha: sha,
    });
    return data.map((pull) => [pull.number, pull.state, pull.merged_at, pull.merge_commit_sha]);
  };

  it("answers the merged PR for its merge commit and its own commits, the open PRs that contain a commit", async () => {
    const { initial, featureFirst, featureHead, mainHead, number } = divergedPullRequest();
    const mergeSha = fake.mergePullRequest(REPO, number);
    const otherHead = fake.commit(REPO, "other", { "plans/d.md": "# Plan: D\n" });
    const other = fake.openPullRequest(REPO, { head: "other" }).number;
    const merged = [number, "closed", "2026-11-25T10:00:00Z", mergeSha];

    expect(await associated(mergeSha)).toEqual([merged]);
    expect(await associated(featureHead)).toEqual([merged]);
    expect(await associated(featureFirst)).toEqual([merged]);
    expect(await associated(otherHead)).toEqual([[other, "open", null, null]]);
    // Commits made on main itself belong to no PR.
    expect(await associated(mainHead)).toEqual([]);
    expect(await associated(initial)).toEqual([]);
  });

  it("leaves out a PR closed without merging; an unknown commit is a 422", async () => {
    const { featureHead, number } = divergedPullRequest();
    fake.updateIssue(REPO, number, { state: "closed" });
    expect(await associated(featureHead)).toEqual([]);
    expect(
      await statusOf(
        octokitAs(fake).repos.listPullRequestsAssociatedWithCommit({
          owner,
          repo,
          commit_sha: "f".repeat(40),
        }),
      ),
    ).toBe(422);
  });
});
