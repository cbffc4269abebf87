import nock from "nock";
import { Octokit } from "@octokit/rest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IssueLinks } from "../../src/github/issue-links.js";
import { LabelCache, labelStyles } from "../../src/github/labels.js";
import type { IssueTarget } from "../../src/sync/model.js";

const API = "https://api.github.com";
const octokit = () => new Octokit({ log: { debug() {}, info() {}, warn() {}, error() {} } });
const target = (number: number, id: number | null, owner = "a"): IssueTarget => ({
  item: null,
  owner,
  repo: "b",
  number,
  id,
});

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  nock.enableNetConnect();
  expect(pending).toEqual([]);
});

describe("IssueLinks", () => {
  it.each([
    [201, "linked"],
    [404, "unreachable"], // no sub-issues on this GitHub
    [403, "unreachable"], // no permission
    [410, "unreachable"], // gone
    [422, "rejected"], // a cap, or the link is there already
  ])("a sub-issue answered %i is %s", async (status, outcome) => {
    nock(API).post("/repos/a/b/issues/1/sub_issues", { sub_issue_id: 502 }).reply(status, {});
    expect(await new IssueLinks(octokit()).addSubIssue(target(1, 501), target(2, 502), false)).toBe(outcome);
  });

  it("a server error is not a fallback: it throws (the sync stops, the next one repeats)", async () => {
    nock(API).post("/repos/a/b/issues/3/dependencies/blocked_by", { issue_id: 504 }).reply(500, {});
    await expect(
      new IssueLinks(octokit()).addBlockedBy(target(3, 503), target(4, 504)),
    ).rejects.toMatchObject({ status: 500 });
  });

  it("looks up the id of an issue outside the plan once, and gives up on one it cannot reach", async () => {
    nock(API)
      .get("/repos/other/b/issues/12")
      .reply(200, { id: 9012, number: 12 })
      .post("/repos/a/b/issues/3/dependencies/blocked_by", { issue_id: 9012 })
      .twice()
      .reply(201, {})
      .get("/repos/a/b/issues/41")
      .reply(404, {});
    const links = new IssueLinks(octokit());
    expect(await links.addBlockedBy(target(3, 503), target(12, null, "other"))).toBe("linked");
    expect(await links.addBlockedBy(target(3, 503), target(12, null, "other"))).toBe("linked");
    expect(await links.addBlockedBy(target(3, 503), target(41, null))).toBe("unreachable");
    expect(await links.addBlockedBy(target(3, 503), target(41, null))).toBe("unreachable"); // no second read
  });

  it("removes by id: the sub-issue in the body, the blocker in the path", async () => {
    nock(API)
      .delete("/repos/a/b/issues/1/sub_issue", { sub_issue_id: 502 })
      .reply(200, {})
      .delete("/repos/a/b/issues/3/dependencies/blocked_by/504")
      .reply(200, {});
    const links = new IssueLinks(octokit());
    expect(await links.removeSubIssue(target(1, 501), target(2, 502))).toBe("linked");
    expect(await links.removeBlockedBy(target(3, 503), target(4, 504))).toBe("linked");
  });
});

describe("LabelCache", () => {
  const styles = labelStyles({ plan: "plan", step: "plan-step", question: "question" });

  it("lists once, creates only the missing labels with their colours, then asks nothing", async () => {
    const created: unknown[] = [];
    nock(API)
      .get("/repos/a/b/labels")
      .query({ per_page: "100" })
      .reply(200, [{ name: "Plan" }, { name: "bug" }])
      .post("/repos/a/b/labels", (body) => (created.push(body), true))
      .twice()
      .reply(201, {});
    const cache = new LabelCache(octokit(), { owner: "a", repo: "b" }, styles);
    await cache.ensure(["plan", "plan-step", "admin-api"]);
    await cache.ensure(["plan-step", "PLAN", "admin-api"]);
    await cache.ensure([]);
    expect(created).toEqual([
      { name: "plan-step", color: "1d76db", description: "A step of a plan (plan-sync)" },
      { name: "admin-api", color: "ededed", description: "Set by plan-sync from a plan" },
    ]);
  });

  it("a label created meanwhile (422 already_exists) is what we wanted", async () => {
    nock(API).get("/repos/a/b/labels").query(true).reply(200, []).post("/repos/a/b/labels").reply(422, {});
    await new LabelCache(octokit(), { owner: "a", repo: "b" }, styles).ensure(["question"]);
  });
});
