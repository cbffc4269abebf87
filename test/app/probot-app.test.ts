// The Probot app against nock, on real webhook payload shapes from @octokit/webhooks-examples: each test lists
// every request it expects, with its body; anything else fails (net connect disabled, pending mocks checked).
import nock from "nock";
import type { Probot } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { endNock, startNockedApp } from "../support/nock-probot.js";
import { exampleOf } from "../support/webhook-payloads.js";

const API = "https://api.github.com";
const REPO_PATH = "/repos/acme/gateway";
const BOT = "plan-sync[bot]";
const HEAD = "a".repeat(40);
const PUSHED = "b".repeat(40);
const TINY = [
  "# Implementation Plan: Tiny",
  "",
  "## Implementation Steps",
  "",
  "### Phase 1: Only",
  "",
  "#### Step 1.1: First",
  "**What**: one",
  "",
  "#### Step 1.2: Second",
  "**What**: two",
  "**Depends on**: Step 1.1",
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
  const example = exampleOf("push")["repository"] as Record<string, unknown>;
  return {
    ...example,
    name: "gateway",
    full_name: "acme/gateway",
    owner: { ...(example["owner"] as object), login: "acme", name: "acme" },
    html_url: "https://github.com/acme/gateway",
    default_branch: "main",
    master_branch: "main",
  };
}

function pushPayload(
  ref: string,
  commits: Array<{ added?: string[]; modified?: string[]; removed?: string[] }>,
) {
  const example = exampleOf("push");
  const commit = (example["commits"] as Array<Record<string, unknown>>)[0] ?? {};
  return {
    ...example,
    ref,
    before: "c".repeat(40),
    after: PUSHED,
    deleted: false,
    repository: repository(),
    installation: { id: 5, node_id: "MDIzOkludGVncmF0aW9uNQ==" },
    commits: commits.map((change) => ({ ...commit, added: [], modified: [], removed: [], ...change })),
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

/** An issue as GitHub answers a create: what was sent, with a number and id. */
function created(number: number) {
  return (_uri: string, raw: nock.Body): [number, Record<string, unknown>] => {
    const body = raw as Record<string, unknown>;
    return [
      201,
      {
        id: 1000 + number,
        number,
        title: body["title"],
        body: body["body"],
        state: "open",
        state_reason: null,
        labels: ((body["labels"] as string[] | undefined) ?? []).map((name) => ({ name })),
        assignees: [],
        milestone: null,
        user: { login: BOT, type: "Bot" },
      },
    ];
  };
}

describe("push", () => {
  it("syncs a new plan: check run, issues with labels, sub-issues by id, blocked-by by id, tracking body", async () => {
    const bodies: Record<string, unknown>[] = [];
    const record = (body: Record<string, unknown>) => (bodies.push(body), true);
    let tracking = "";
    authAndNoConfig(nock(API))
      .post(`${REPO_PATH}/check-runs`, record)
      .reply(201, { id: 77 })
      // read at the branch; the head is resolved once reconcile has something to write, then read there
      .get(`${REPO_PATH}/contents/plans%2Ftiny.md`)
      .query({ ref: "main" })
      .reply(200, TINY, { "content-type": "text/plain; charset=utf-8" })
      .get(`${REPO_PATH}/issues`)
      .query({ creator: BOT, state: "all", per_page: "100", sort: "created", direction: "asc" })
      .reply(200, [])
      .get(`${REPO_PATH}/git/ref/heads%2Fmain`)
      .reply(200, { ref: "refs/heads/main", object: { sha: HEAD, type: "commit" } })
      .get(`${REPO_PATH}/contents/plans%2Ftiny.md`)
      .query({ ref: HEAD })
      .reply(200, TINY, { "content-type": "text/plain; charset=utf-8" })
      .get(`${REPO_PATH}/labels`)
      .query({ per_page: "100" })
      .reply(200, [])
      .post(`${REPO_PATH}/labels`, record)
      .reply(201, {})
      .post(`${REPO_PATH}/issues`, (body) => ((tracking = body.body), record(body)))
      .reply(created(1))
      .post(`${REPO_PATH}/labels`, record)
      .reply(201, {})
      .post(`${REPO_PATH}/issues`, record)
      .reply(created(2))
      .post(`${REPO_PATH}/issues/1/sub_issues`, record)
      .reply(201, {})
      .post(`${REPO_PATH}/issues`, record)
      .reply(created(3))
      .post(`${REPO_PATH}/issues/1/sub_issues`, record)
      .reply(201, {})
      .post(`${REPO_PATH}/issues/3/dependencies/blocked_by`, record)
      .reply(201, {})
      .patch(`${REPO_PATH}/issues/1`, record)
      .reply(200, (_uri, body) => ({
        ...created(1)("", { labels: ["plan"], title: "Plan: Tiny", body: tracking })[1],
        ...(body as object),
      }))
      .patch(`${REPO_PATH}/check-runs/77`, record)
      .reply(200, {});

    await probot.receive({
      name: "push",
      id: "d1",
      payload: pushPayload("refs/heads/main", [{ added: ["plans/tiny.md"] }]),
    } as never);

    const summary = bodies.map((body) => {
      if ("title" in body && "labels" in body)
        return { title: body["title"], labels: body["labels"], assignees: body["assignees"] };
      if ("body" in body)
        return {
          patchedBody:
            typeof body["body"] === "string" &&
            (body["body"] as string).includes("#2") &&
            (body["body"] as string).includes("#3"),
        };
      return body;
    });
    expect(summary).toEqual([
      {
        name: "plan-sync",
        head_sha: PUSHED,
        status: "in_progress",
        started_at: "2026-11-25T10:00:00.000Z",
        output: { title: "Queued: 1 plan to sync", summary: expect.stringContaining("- `plans/tiny.md`") },
      },
      { name: "plan", color: "5319e7", description: "Tracking issue of a plan (plan-sync)" },
      { title: "Plan: Tiny", labels: ["plan"], assignees: [] },
      { name: "plan-step", color: "1d76db", description: "A step of a plan (plan-sync)" },
      { title: "First", labels: ["plan-step"], assignees: [] },
      { sub_issue_id: 1002 },
      { title: "Second", labels: ["plan-step"], assignees: [] },
      { sub_issue_id: 1003 },
      { issue_id: 1002 },
      { patchedBody: true },
      {
        status: "completed",
        conclusion: "success",
        completed_at: "2026-11-25T10:00:00.000Z",
        output: {
          title: "1 plan in sync",
          summary: "### `plans/tiny.md`\nTiny: synced\nIssues: 3 created, 1 updated, 3 links changed.",
        },
      },
    ]);
  });

  it("to a branch the config does not name reads the config and nothing else", async () => {
    authAndNoConfig(nock(API));
    await probot.receive({
      name: "push",
      id: "d2",
      payload: pushPayload("refs/heads/feature", [{ added: ["plans/tiny.md"] }]),
    } as never);
  });

  it("that touches no plan path reads the config and nothing else", async () => {
    authAndNoConfig(nock(API));
    await probot.receive({
      name: "push",
      id: "d3",
      payload: pushPayload("refs/heads/main", [{ modified: ["src/main.go", "docs/readme.md"] }]),
    } as never);
  });
});

describe("issues", () => {
  it("an event our bot sent on its own issue makes no request at all", async () => {
    const example = exampleOf("issues", "edited");
    const payload = {
      ...example,
      repository: repository(),
      installation: { id: 5, node_id: "x" },
      sender: { ...(example["sender"] as object), login: BOT, type: "Bot" },
      issue: {
        ...(example["issue"] as object),
        user: { ...(example["sender"] as object), login: BOT, type: "Bot" },
        body: "<!-- plan-sync:marker {} -->",
      },
    };
    await probot.receive({ name: "issues", id: "d4", payload } as never);
  });
});

describe("installation", () => {
  it("installation.created with a repository holding no plan reads and writes nothing more", async () => {
    const example = exampleOf("installation", "created");
    const payload = {
      ...example,
      installation: { ...(example["installation"] as object), id: 5 },
      repositories: [{ id: 1, node_id: "R", name: "gateway", full_name: "acme/gateway", private: false }],
    };
    authAndNoConfig(nock(API))
      .get(REPO_PATH)
      .reply(200, repository())
      .get(`${REPO_PATH}/git/ref/heads%2Fmain`)
      .reply(200, { ref: "refs/heads/main", object: { sha: HEAD, type: "commit" } })
      .get(`${REPO_PATH}/git/trees/${HEAD}`)
      .query({ recursive: "1" })
      .reply(200, {
        sha: "t",
        truncated: false,
        tree: [{ path: "README.md", type: "blob", sha: "x", mode: "100644" }],
      });
    await probot.receive({ name: "installation", id: "d5", payload } as never);
  });
});
