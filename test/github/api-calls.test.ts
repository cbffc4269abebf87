import nock from "nock";
import { Octokit } from "@octokit/rest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ApiCallCounter, observeRequests, routeOf } from "../../src/github/api-calls.js";

describe("routeOf", () => {
  it.each([
    ["/repos/{owner}/{repo}/issues", "/repos/{owner}/{repo}/issues"],
    ["/repos/{owner}/{repo}/issues?x=1", "/repos/{owner}/{repo}/issues"],
    ["https://api.github.com/repos/acme/web/issues?page=2", "/repos/{owner}/{repo}/issues"],
    ["https://ghe.example.com/api/v3/repos/acme/web/labels?page=3", "/repos/{owner}/{repo}/labels"],
    [
      "https://api.github.com/repos/acme/web/issues/12/sub_issues?page=2",
      "/repos/{owner}/{repo}/issues/{issue_number}/sub_issues",
    ],
    [
      "https://api.github.com/repos/acme/web/check-runs/99/annotations",
      "/repos/{owner}/{repo}/check-runs/{id}/annotations",
    ],
  ])("%s → %s", (url, route) => {
    expect(routeOf(url)).toBe(route);
  });
});

describe("the observeRequests plugin with an ApiCallCounter", () => {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it("records reads and writes by route and status, failures included", async () => {
    const counter = new ApiCallCounter();
    const Counted = Octokit.plugin(observeRequests);
    const octokit = new Counted({
      log: { debug() {}, info() {}, warn() {}, error() {} },
      observeRequests: [counter.observe],
    });
    nock("https://api.github.com")
      .get("/repos/a/b/issues/1")
      .reply(200, {})
      .get("/repos/a/b/issues/2")
      .reply(404, {})
      .post("/repos/a/b/issues")
      .reply(201, {});
    await octokit.rest.issues.get({ owner: "a", repo: "b", issue_number: 1 });
    await expect(octokit.rest.issues.get({ owner: "a", repo: "b", issue_number: 2 })).rejects.toThrow();
    const mark = counter.mark();
    await octokit.rest.issues.create({ owner: "a", repo: "b", title: "t" });

    expect(counter.calls.map((call) => `${call.method} ${call.route} ${call.status}`)).toEqual([
      "GET /repos/{owner}/{repo}/issues/{issue_number} 200",
      "GET /repos/{owner}/{repo}/issues/{issue_number} 404",
      "POST /repos/{owner}/{repo}/issues 201",
    ]);
    expect(counter.totals()).toEqual({
      reads: 2,
      writes: 1,
      byRoute: {
        "GET /repos/{owner}/{repo}/issues/{issue_number}": 2,
        "POST /repos/{owner}/{repo}/issues": 1,
      },
    });
    expect(counter.totals(mark)).toEqual({
      reads: 0,
      writes: 1,
      byRoute: { "POST /repos/{owner}/{repo}/issues": 1 },
    });
  });
});
