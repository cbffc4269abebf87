import { describe, expect, it } from "vitest";
import { owner, repo, REPO, useFakeRepo } from "./fake-repo.js";
import { octokitAs, statusOf } from "../support/octokit.js";

const fake = useFakeRepo();

describe("sub-issues and blocked-by links take issue ids", () => {
  it("links by id, refuses a number, lists and unlinks; the summary counts closed children", async () => {
    const octokit = octokitAs(fake());
    const parent = fake().createIssue(REPO, { title: "Plan" });
    const child = fake().createIssue(REPO, { title: "Step" });
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
    fake().updateIssue(REPO, child.number, { state: "closed" });
    expect(fake().issue(REPO, parent.number).sub_issues_summary).toEqual({
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

    const other = fake().createIssue(REPO, { title: "Other plan" });
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
    expect([fake().subIssues(REPO, parent.number), fake().subIssues(REPO, other.number)]).toEqual([
      [],
      [child.number],
    ]);
    await octokit.issues.removeSubIssue({ owner, repo, issue_number: other.number, sub_issue_id: child.id });
    expect(fake().subIssues(REPO, other.number)).toEqual([]);
    expect(
      await statusOf(
        octokit.issues.removeSubIssue({ owner, repo, issue_number: other.number, sub_issue_id: child.id }),
      ),
    ).toBe(404);
  });

  it("caps a parent at 100 sub-issues", async () => {
    const octokit = octokitAs(fake());
    const parent = fake().createIssue(REPO, { title: "Plan" });
    for (let n = 0; n < 100; n++) {
      const child = fake().createIssue(REPO, { title: `Step ${n}` });
      await octokit.issues.addSubIssue({ owner, repo, issue_number: parent.number, sub_issue_id: child.id });
    }
    const extra = fake().createIssue(REPO, { title: "Step 101" });
    expect(
      await statusOf(
        octokit.issues.addSubIssue({ owner, repo, issue_number: parent.number, sub_issue_id: extra.id }),
      ),
    ).toBe(422);
    expect(fake().subIssues(REPO, parent.number)).toHaveLength(100);
  });

  it("adds, lists and removes blocked-by links, capped at 50", async () => {
    const octokit = octokitAs(fake());
    const blocked = fake().createIssue(REPO, { title: "Step 2" });
    const blockers = Array.from({ length: 51 }, (_, n) =>
      fake().createIssue(REPO, { title: `Blocker ${n}` }),
    );
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
    expect(fake().issue(REPO, blocked.number).issue_dependencies_summary).toEqual({
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
    expect(fake().blockedBy(REPO, blocked.number)).toEqual(
      blockers.slice(1, 50).map((issue) => issue.number),
    );
  });
});
