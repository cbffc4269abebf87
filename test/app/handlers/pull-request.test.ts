// `pull_request` events against nock, on the real payload shape from @octokit/webhooks-examples: every request
// the app makes is listed with its body; anything else fails (net connect disabled, pending mocks checked).
import { Octokit } from "@octokit/rest";
import nock from "nock";
import type { Probot } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGitHubLayer } from "../../../src/github/index.js";
import { createPullRequestGitHub } from "../../../src/github/pull-requests.js";
import { updateMergedPullRequests } from "../../../src/app/workflows/merged-pull-requests.js";
import { targetsOf } from "../../../src/app/workflows/preview-pull-request.js";
import { defaultConfig } from "../../../src/sync/config.js";
import { endNock, startNockedApp } from "../../support/nock-probot.js";
import { exampleOf } from "../../support/webhook-payloads.js";

const API = "https://api.github.com";
const REPO_PATH = "/repos/acme/gateway";
const BOT = "plan-sync[bot]";
const HEAD = "a".repeat(40);
const MERGE = "m".repeat(40);
const TINY = [
  "# Implementation Plan: Tiny",
  "",
  "## Implementation Steps",
  "",
  "#### Step 1: First",
  "**What**: one",
  "",
  "#### Step 2: Second",
  "**Depends on**: Step 9",
  "",
].join("\n");

let probot: Probot;
beforeEach(async () => {
  probot = await startNockedApp(BOT, new Date("2026-11-25T10:00:00Z"));
});
afterEach(() => {
  expect(endNock()).toEqual([]);
});

function repository() {
  const example = exampleOf("pull_request", "opened")["repository"] as Record<string, unknown>;
  return {
    ...example,
    name: "gateway",
    full_name: "acme/gateway",
    owner: { ...(example["owner"] as object), login: "acme" },
    html_url: "https://github.com/acme/gateway",
    default_branch: "main",
  };
}

function pullRequestPayload(action: string, pull: Record<string, unknown> = {}) {
  const example = exampleOf("pull_request", action);
  const examplePull = example["pull_request"] as Record<string, Record<string, unknown>>;
  return {
    ...example,
    action,
    number: 7,
    repository: repository(),
    installation: { id: 5, node_id: "MDIzOkludGVncmF0aW9uNQ==" },
    pull_request: {
      ...examplePull,
      number: 7,
      head: { ...examplePull["head"], sha: HEAD, ref: "feature", repo: repository() },
      base: { ...examplePull["base"], ref: "main", repo: repository() },
      ...pull,
    },
  };
}

/** Token, then the config: none in the repository nor in the org's `.github`. */
function authAndNoConfig(scope: nock.Scope) {
  return scope
    .post("/app/installations/5/access_tokens")
    .reply(201, { token: "t", expires_at: "2099-01-01T00:00:00Z", permissions: {} })
    .get(`${REPO_PATH}/contents/.github%2Fplan-sync.yml`)
    .reply(404)
    .get("/repos/acme/.github/contents/.github%2Fplan-sync.yml")
    .reply(404);
}

const ours = (body: string) => ({ id: 900, user: { login: BOT }, body });
const OLD_STATE = `<!-- plan-sync:pull-request {"v":1,"sha":"${"0".repeat(40)}","plans":[]} -->\nold`;

describe("pull_request.opened", () => {
  it("reads the files (100 a page), previews at the head, finds our comment on page 2 (not the person's copy) and edits it; warnings pass", async () => {
    const bodies: Array<{ route: string; body: Record<string, unknown> }> = [];
    const record = (route: string) => (body: Record<string, unknown>) => (bodies.push({ route, body }), true);
    authAndNoConfig(nock(API))
      .get(`${REPO_PATH}/pulls/7/files`)
      .query({ per_page: "100" })
      .reply(200, [
        { filename: "plans/tiny.md", status: "added" },
        { filename: "README.md", status: "modified" },
      ])
      .post(`${REPO_PATH}/check-runs`, record("create check"))
      .reply(201, { id: 77 })
      .get(`${REPO_PATH}/issues`)
      .query({ creator: BOT, state: "all", per_page: "100", sort: "created", direction: "asc" })
      .reply(200, [])
      .get(`${REPO_PATH}/contents/plans%2Ftiny.md`)
      .query({ ref: HEAD })
      .reply(200, TINY, { "content-type": "text/plain; charset=utf-8" })
      .get(`${REPO_PATH}/issues/7/comments`)
      .query({ per_page: "100" })
      .reply(
        200,
        [
          { id: 1, user: { login: "alice" }, body: "LGTM" },
          // A person's comment that carries our marker is not ours.
          { id: 2, user: { login: "mallory" }, body: OLD_STATE },
        ],
        { link: `<${API}${REPO_PATH}/issues/7/comments?per_page=100&page=2>; rel="next"` },
      )
      .get(`${REPO_PATH}/issues/7/comments`)
      .query({ per_page: "100", page: "2" })
      .reply(200, [ours(OLD_STATE)])
      .patch(`${REPO_PATH}/issues/comments/900`, record("edit comment"))
      .reply(200, {})
      .patch(`${REPO_PATH}/check-runs/77`, record("complete check"))
      .reply(200, {});

    await probot.receive({ name: "pull_request", id: "p1", payload: pullRequestPayload("opened") } as never);

    expect(bodies.map((entry) => entry.route)).toEqual(["create check", "edit comment", "complete check"]);
    expect(bodies[0]?.body).toEqual({
      name: "plan-sync",
      head_sha: HEAD,
      status: "in_progress",
      started_at: "2026-11-25T10:00:00.000Z",
    });
    const comment = String(bodies[1]?.body["body"]);
    expect(comment.split("\n")[0]).toBe(
      `<!-- plan-sync:pull-request {"v":1,"sha":"${HEAD}","plans":[{"path":"plans/tiny.md","previousPath":null,"creates":["tracking","step:1","step:2"]}]} -->`,
    );
    expect(comment).toContain("**Merging**: 3 issues to create.");
    expect(comment).toContain(
      `- **warning** \`unknown-dependency\` at [line 9](https://github.com/acme/gateway/blob/${HEAD}/plans/tiny.md#L9): `,
    );
    expect(bodies[2]?.body).toMatchObject({
      status: "completed",
      conclusion: "success",
      output: {
        title: "1 plan: merging creates 3, updates 0, closes 0 issues",
        annotations: [
          {
            path: "plans/tiny.md",
            start_line: 9,
            end_line: 9,
            start_column: 17,
            end_column: 17,
            annotation_level: "warning",
            title: "unknown-dependency",
          },
        ],
      },
    });
  });

  it("completes the check run as a failure when the preview fails, and lets the delivery fail", async () => {
    const bodies: Record<string, unknown>[] = [];
    authAndNoConfig(nock(API))
      .get(`${REPO_PATH}/pulls/7/files`)
      .query({ per_page: "100" })
      .reply(200, [{ filename: "plans/tiny.md", status: "modified" }])
      .post(`${REPO_PATH}/check-runs`)
      .reply(201, { id: 78 })
      .get(`${REPO_PATH}/issues`)
      .query(true)
      .reply(500, { message: "boom" })
      .patch(`${REPO_PATH}/check-runs/78`, (body) => (bodies.push(body), true))
      .reply(200, {});

    await expect(
      probot.receive({ name: "pull_request", id: "p2", payload: pullRequestPayload("synchronize") } as never),
    ).rejects.toThrow();
    expect(bodies).toMatchObject([
      {
        status: "completed",
        conclusion: "failure",
        output: { title: "plan-sync could not preview this pull request" },
      },
    ]);
  });
});

describe("after the merge", () => {
  const stateWithCreates = `<!-- plan-sync:pull-request {"v":1,"sha":"${HEAD}","plans":[{"path":"plans/tiny.md","previousPath":null,"creates":["tracking","step:1"]}]} -->\n## plan-sync\n\npreview`;
  const issue = (number: number, item: string, kind: string, title: string) => ({
    id: 100 + number,
    number,
    title,
    state: "open",
    user: { login: BOT },
    body: `<!-- plan-sync:marker ${JSON.stringify({ v: 1, plan: "plans/tiny.md", item, kind, explicitId: null, number: null, title, hash: "h", done: false, removed: false, labels: [], assignees: [], parent: null, blockedBy: [], path: kind === "tracking" ? "plans/tiny.md" : null })} -->`,
  });
  const mergedBody = (body: string) =>
    body.includes("### Merged in [`mmmmmmm`](https://github.com/acme/gateway/commit/" + MERGE + ")") &&
    body.includes("- #3 Plan: Tiny\n- #4 First") &&
    body.endsWith("preview");

  it("pull_request.closed with merged: the comment lists the issues the merge created", async () => {
    nock(API)
      .post("/app/installations/5/access_tokens")
      .reply(201, { token: "t", expires_at: "2099-01-01T00:00:00Z", permissions: {} })
      .get(`${REPO_PATH}/issues/7/comments`)
      .query({ per_page: "100" })
      .reply(200, [ours(stateWithCreates)])
      .get(`${REPO_PATH}/issues`)
      .query(true)
      .reply(200, [issue(3, "tracking", "tracking", "Plan: Tiny"), issue(4, "step:1", "step", "First")])
      .patch(`${REPO_PATH}/issues/comments/900`, (body) => mergedBody(body.body))
      .reply(200, {});
    const payload = pullRequestPayload("closed", { merged: true, merge_commit_sha: MERGE });
    await probot.receive({ name: "pull_request", id: "p3", payload } as never);
  });

  it("after the merge's push: the merged PR of the pushed commit gets the same section, under the PR's queue key", async () => {
    nock(API)
      .get(`${REPO_PATH}/commits/${MERGE}/pulls`)
      .reply(200, [
        { number: 7, merged_at: "2026-11-25T09:59:00Z", merge_commit_sha: MERGE },
        // Open, or merged by another commit: the pushed commit only belongs to them.
        { number: 8, merged_at: null, merge_commit_sha: null },
        { number: 9, merged_at: "2026-11-24T09:00:00Z", merge_commit_sha: "x".repeat(40) },
      ])
      .get(`${REPO_PATH}/issues/7/comments`)
      .query({ per_page: "100" })
      .reply(200, [ours(stateWithCreates)])
      .get(`${REPO_PATH}/issues`)
      .query(true)
      .reply(200, [issue(3, "tracking", "tracking", "Plan: Tiny"), issue(4, "step:1", "step", "First")])
      .patch(`${REPO_PATH}/issues/comments/900`, (body) => mergedBody(body.body))
      .reply(200, {});
    const octokit = new Octokit({ log: { debug() {}, info() {}, warn() {}, error() {} } });
    const repo = { owner: "acme", repo: "gateway" };
    const written = await updateMergedPullRequests({
      github: createGitHubLayer(octokit, repo),
      prs: createPullRequestGitHub(octokit, repo),
      repo: { host: "github.com", ...repo, sha: MERGE, branch: "main", botLogins: [BOT] },
    });
    expect(written).toEqual([7]);
  });

  it("a pushed commit that merged no PR costs that one read", async () => {
    nock(API).get(`${REPO_PATH}/commits/${HEAD}/pulls`).reply(200, []);
    const octokit = new Octokit({ log: { debug() {}, info() {}, warn() {}, error() {} } });
    const repo = { owner: "acme", repo: "gateway" };
    const written = await updateMergedPullRequests({
      github: createGitHubLayer(octokit, repo),
      prs: createPullRequestGitHub(octokit, repo),
      repo: { host: "github.com", ...repo, sha: HEAD, branch: "main", botLogins: [BOT] },
    });
    expect(written).toEqual([]);
  });
});

describe("which files are previewed", () => {
  it.each([
    [
      "added, modified and removed plans",
      [
        ["plans/a.md", "added"],
        ["plans/b.md", "removed"],
        ["src/x.ts", "modified"],
      ],
      [
        ["plans/a.md", null, false],
        ["plans/b.md", null, true],
      ],
    ],
    [
      "a plan renamed within the paths follows its issues",
      [["plans/new.md", "renamed", "plans/old.md"]],
      [["plans/new.md", "plans/old.md", false]],
    ],
    [
      "a plan renamed out of the paths is removed",
      [["notes/old.md", "renamed", "plans/old.md"]],
      [["plans/old.md", null, true]],
    ],
    [
      "a file renamed into the paths is a new plan",
      [["plans/new.md", "renamed", "notes/new.md"]],
      [["plans/new.md", null, false]],
    ],
  ] as const)("%s", (_name, files, expected) => {
    const config = defaultConfig();
    const targets = targetsOf(
      files.map(([path, status, previousPath]) => ({ path, status, previousPath: previousPath ?? null })),
      config,
    );
    expect(targets.map((target) => [target.path, target.previousPath, target.removed])).toEqual(expected);
  });
});
