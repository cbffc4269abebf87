import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeGitHub } from "../support/fake-github/index.js";
import { loadOperations } from "../support/fake-github/operations.js";
import { octokitAs, statusOf } from "../support/octokit.js";

const owner = "acme";
const repo = "web";
const REPO = `${owner}/${repo}`;

let now = Date.UTC(2025, 0, 1);
let fake: FakeGitHub;
beforeEach(async () => {
  now = Date.UTC(2025, 0, 1);
  fake = await FakeGitHub.start({ clock: () => now, seed: 42 });
  fake.addRepo({ owner, name: repo });
});
afterEach(() => fake.close());

/** The error an Octokit call failed with: status, retry-after and message. */
async function failure(call: Promise<unknown>) {
  try {
    await call;
  } catch (error) {
    const { status, response, message } = error as {
      status: number;
      response?: { headers: Record<string, string> };
      message: string;
    };
    return { status, retryAfter: response?.headers["retry-after"], message };
  }
  throw new Error("expected the request to fail");
}

describe("fault injection", () => {
  it("a 502 after commit: the client sees the error, the issue exists anyway", async () => {
    const handle = fake.faults.add({
      route: "POST /repos/{owner}/{repo}/issues",
      status: 502,
      afterCommit: true,
    });
    const octokit = octokitAs(fake);

    expect(await statusOf(octokit.issues.create({ owner, repo, title: "Step 1" }))).toBe(502);
    expect(fake.issues(REPO).map((issue) => issue.title)).toEqual(["Step 1"]);
    expect(handle.fired).toBe(1);
    await octokit.issues.create({ owner, repo, title: "Step 2" });
    expect(fake.issues(REPO).map((issue) => issue.title)).toEqual(["Step 1", "Step 2"]);
    expect(fake.log.requests().map((r) => [r.status, r.outcome])).toEqual([
      [502, "fault"],
      [201, "ok"],
    ]);
  });

  it("a fault before the change: N times, then through; matched by operationId and a predicate", async () => {
    fake.faults.add({
      route: "issues/create",
      status: 500,
      times: 2,
      when: (request) => request.body["title"] === "flaky",
    });
    const octokit = octokitAs(fake);

    expect(await statusOf(octokit.issues.create({ owner, repo, title: "flaky" }))).toBe(500);
    expect((await octokit.issues.create({ owner, repo, title: "steady" })).status).toBe(201);
    expect(await statusOf(octokit.issues.create({ owner, repo, title: "flaky" }))).toBe(500);
    expect((await octokit.issues.create({ owner, repo, title: "flaky" })).status).toBe(201);
    expect(fake.issues(REPO).map((issue) => issue.title)).toEqual(["steady", "flaky"]);
  });

  it("a secondary rate limit answers 403 with retry-after and GitHub's message (429 on request)", async () => {
    fake.faults.secondaryRateLimit("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      retryAfter: 7,
    });
    fake.faults.secondaryRateLimit("issues/update", { status: 429, retryAfter: 3 });
    const octokit = octokitAs(fake);
    const issue = fake.createIssue(REPO, { title: "t" });

    expect(
      await failure(octokit.issues.createComment({ owner, repo, issue_number: issue.number, body: "x" })),
    ).toMatchObject({
      status: 403,
      retryAfter: "7",
      message: expect.stringMatching(/secondary rate limit/),
    });
    expect(
      await failure(octokit.issues.update({ owner, repo, issue_number: issue.number, title: "u" })),
    ).toMatchObject({ status: 429, retryAfter: "3" });
    expect(fake.comments(REPO, issue.number)).toEqual([]);
  });

  it("a probability rule draws from the seeded RNG: the same seed fails the same requests", async () => {
    const pattern = async (target: FakeGitHub) => {
      target.faults.add({
        route: "GET /repos/{owner}/{repo}",
        status: 503,
        probability: 0.3,
        times: Infinity,
      });
      const octokit = octokitAs(target);
      const statuses: number[] = [];
      for (let n = 0; n < 20; n++)
        statuses.push(
          await octokit.repos.get({ owner, repo }).then(
            (r) => r.status,
            (e: { status: number }) => e.status,
          ),
        );
      return statuses;
    };
    const twin = await FakeGitHub.start({ seed: 42 });
    twin.addRepo({ owner, name: repo });
    try {
      const first = await pattern(fake);
      expect(await pattern(twin)).toEqual(first);
      expect(first.filter((status) => status === 503).length).toBe(5);
    } finally {
      await twin.close();
    }
  });

  it("a write budget per minute answers secondary limits past it, per actor, until the clock moves on", async () => {
    fake.faults.writeBudget({ perMinute: 3, perHour: 5 });
    const alice = octokitAs(fake, "alice");
    const create = (octokit = alice) => octokit.issues.create({ owner, repo, title: "t" });

    for (let n = 0; n < 3; n++) await create();
    now += 20_000;
    expect(await failure(create())).toMatchObject({ status: 403, retryAfter: "40" });
    expect((await create(octokitAs(fake, "bob"))).status).toBe(201);
    expect((await alice.issues.get({ owner, repo, issue_number: 1 })).status).toBe(200);
    now += 40_000;
    await create();
    await create();
    expect(await failure(create())).toMatchObject({ status: 403, retryAfter: "3540" });
    expect(fake.issues(REPO)).toHaveLength(6);
  });

  it("adds latency chosen per request", async () => {
    const seen: string[] = [];
    fake.faults.latencyMs = (request) => {
      seen.push(request.operationId);
      return 1;
    };
    await octokitAs(fake).repos.get({ owner, repo });
    expect(seen).toEqual(["repos/get"]);
  });
});

describe("the request log", () => {
  it("records unknown routes as unexpected and schema breaks as validation failures", async () => {
    const octokit = octokitAs(fake);
    expect(await statusOf(octokit.request("GET /repos/{owner}/{repo}/hooks", { owner, repo }))).toBe(404);
    expect(
      await statusOf(
        octokit.request("POST /repos/{owner}/{repo}/issues", { owner, repo, title: "t", state_reason: "x" }),
      ),
    ).toBe(422);
    await octokit.repos.get({ owner, repo });

    expect(fake.log.unexpected().map((r) => [r.method, r.path, r.route])).toEqual([
      ["GET", "/repos/acme/web/hooks", null],
    ]);
    expect(fake.log.validationFailures().map((r) => [r.operationId, r.problems])).toEqual([
      ["issues/create", ["body has unknown field 'state_reason'"]],
    ]);
    expect(fake.log.counters()).toEqual({
      reads: 1,
      writes: 1,
      byOperation: { "issues/create": 1, "repos/get": 1 },
    });
    expect(() => fake.assertNoUnexpectedRequests()).toThrowErrorMatchingInlineSnapshot(`
      [Error: fake GitHub got 2 unexpected or invalid request(s):
        GET /repos/acme/web/hooks → 404: no route for GET /repos/acme/web/hooks
        POST /repos/acme/web/issues → 422: body has unknown field 'state_reason']
    `);
    fake.log.clear();
    expect(() => fake.assertNoUnexpectedRequests()).not.toThrow();
  });

  it("answers only documented statuses on success (a self-check of the fake against the description)", async () => {
    const octokit = octokitAs(fake);
    const parent = fake.createIssue(REPO, { title: "p" });
    const child = fake.createIssue(REPO, { title: "c" });
    await octokit.issues.addSubIssue({ owner, repo, issue_number: parent.number, sub_issue_id: child.id });
    await octokit.issues.removeSubIssue({ owner, repo, issue_number: parent.number, sub_issue_id: child.id });
    await octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by", {
      owner,
      repo,
      issue_number: child.number,
      issue_id: parent.id,
    });
    await octokit.request(
      "DELETE /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by/{issue_id}",
      { owner, repo, issue_number: child.number, issue_id: parent.id },
    );
    await octokit.issues.createLabel({ owner, repo, name: "plan" });
    await octokit.issues.createComment({ owner, repo, issue_number: parent.number, body: "b" });
    const documented = new Map(
      loadOperations().map((operation) => [operation.operationId, operation.statuses]),
    );
    const answered = fake.log.requests({ outcome: "ok" });
    expect(answered).toHaveLength(6);
    for (const entry of answered)
      expect(documented.get(entry.operationId as string), entry.operationId as string).toContain(
        entry.status,
      );
  });
});
