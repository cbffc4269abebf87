import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { pino } from "pino";
import { ProbotOctokit, type ApplicationFunction, type Logger } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { escapeCommandData, formatForActions } from "../../src/action/log.js";
import { createApp } from "../../src/runtime/create-app.js";
import { runAction, type ActionEnv } from "../../src/action/main.js";
import { FakeGitHub } from "../support/fake-github/index.js";
import { WebhookPayloads } from "../support/webhook-payloads.js";

const root = join(import.meta.dirname, "..", "..");
const REPO = "acme/roadmap";
const BOT = "github-actions[bot]";
const silent = pino({ level: "silent" }) as unknown as Logger;
// Probot's Octokit without the throttle's pauses between writes, so the test stays fast. A function: Probot
// passes its own `throttle` options per instance, which would replace an object default (and re-enable it).
const Octokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  throttle: { ...(options["throttle"] as object), enabled: false },
  retry: { enabled: false },
}));

const PLAN = `# Implementation Plan: Action mode

## Implementation Steps

### Phase 1: Setup

#### Step 1.1: Write the workflow

**What**: Add the workflow file.

#### Step 1.2: Try it

**Depends on**: Step 1.1
`;

let fake: FakeGitHub;
let dir: string;
let token: string;

beforeAll(async () => {
  fake = await FakeGitHub.start();
  // GITHUB_TOKEN is an installation token of the GitHub Actions app, installed on the workflow's repository.
  fake.addApp({ id: 15368, slug: "github-actions" });
  const installation = fake.addInstallation({ id: 900, appId: 15368, account: "acme" });
  fake.addRepo({ owner: "acme", name: "roadmap", installationId: installation.id });
  token = fake.credentials.issueInstallationToken(installation).token;
  dir = await mkdtemp(join(tmpdir(), "plan-sync-action-"));
});
afterAll(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

/** An event file as the runner writes it: the webhook payload, without `installation` (a token, not an App). */
async function eventFile(name: string, payload: Record<string, unknown>): Promise<string> {
  const { installation: _installation, ...withoutInstallation } = payload;
  const path = join(dir, `${name}-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(path, JSON.stringify(withoutInstallation));
  return path;
}

function runnerEnv(eventName: string, eventPath: string): ActionEnv {
  return {
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: REPO,
    GITHUB_API_URL: fake.url,
    GITHUB_RUN_ID: "42",
    GITHUB_RUN_ATTEMPT: "2",
    "INPUT_GITHUB-TOKEN": token,
  };
}

async function pushEnv(): Promise<ActionEnv> {
  const payload = new WebhookPayloads(fake).push({ repo: REPO });
  return runnerEnv("push", await eventFile("push", payload));
}

describe("runAction", () => {
  it("delivers the workflow's event to the app, authenticated by the token, against GITHUB_API_URL", async () => {
    const seen: { name: string; id: string; installation: unknown }[] = [];
    const appFn: ApplicationFunction = (app) => {
      app.on("push", async (context) => {
        seen.push({ name: context.name, id: context.id, installation: context.payload.installation });
        await context.octokit.rest.issues.create({ ...context.repo(), title: "written from the Action" });
      });
    };
    fake.commit(REPO, "main", { "plans/a.md": "# A\n" });
    const result = await runAction(appFn, { env: await pushEnv(), log: silent, Octokit });

    expect(result).toEqual({ failures: [] });
    expect(seen).toEqual([{ name: "push", id: "actions-42-2", installation: undefined }]);
    const created = fake.issues(REPO).find((issue) => issue.title === "written from the Action");
    expect(created?.user?.login).toBe(BOT);
    fake.assertNoUnexpectedRequests();
  });

  it("fails when a handler throws, naming each error", async () => {
    const appFn: ApplicationFunction = (app) => {
      app.on("push", async () => {
        throw new Error("could not read the plan");
      });
    };
    expect(await runAction(appFn, { env: await pushEnv(), log: silent, Octokit })).toEqual({
      failures: ["plan-sync failed: could not read the plan"],
    });
  });

  it("fails when the app concludes a check run as failing, and not when it succeeds", async () => {
    const conclude =
      (conclusion: "failure" | "success"): ApplicationFunction =>
      (app) => {
        app.on("push", async (context) => {
          const { data } = await context.octokit.rest.checks.create({
            ...context.repo(),
            name: "plan-sync",
            head_sha: context.payload.after,
            status: "in_progress",
          });
          await context.octokit.rest.checks.update({
            ...context.repo(),
            check_run_id: data.id,
            status: "completed",
            conclusion,
            output: { title: conclusion === "failure" ? "1 plan has errors" : "Synced", summary: "…" },
          });
        });
      };
    expect(await runAction(conclude("failure"), { env: await pushEnv(), log: silent, Octokit })).toEqual({
      failures: ["check run failed: 1 plan has errors"],
    });
    expect(await runAction(conclude("success"), { env: await pushEnv(), log: silent, Octokit })).toEqual({
      failures: [],
    });
  });

  it("delivers pull_request_target as pull_request (same payload)", async () => {
    const names: string[] = [];
    const appFn: ApplicationFunction = (app) => {
      app.on("pull_request", async (context) => {
        names.push(`${context.name}.${context.payload.action}`);
      });
    };
    fake.commit(REPO, "feature", { "plans/b.md": "# B\n" });
    const pull = fake.openPullRequest(REPO, { head: "feature" });
    const payload = new WebhookPayloads(fake).pullRequest({ repo: REPO, number: pull.number });
    const env = runnerEnv("pull_request_target", await eventFile("pr", payload));
    expect(await runAction(appFn, { env, log: silent, Octokit })).toEqual({ failures: [] });
    expect(names).toEqual(["pull_request.opened"]);
  });

  it.each([
    ["no token", { "INPUT_GITHUB-TOKEN": undefined }, /^No token: set the `github-token` input/],
    ["no event", { GITHUB_EVENT_PATH: undefined }, /^GITHUB_EVENT_NAME and GITHUB_EVENT_PATH are not set/],
    [
      "an unreadable event",
      { GITHUB_EVENT_PATH: "/nonexistent/event.json" },
      /^Cannot read the event payload/,
    ],
    [
      "another repository's event",
      { GITHUB_REPOSITORY: "acme/other" },
      /^The event is about acme\/roadmap, not acme\/other$/,
    ],
  ])("refuses to start with %s", async (_name, override, message) => {
    const env = { ...(await pushEnv()), ...override };
    await expect(runAction(() => {}, { env, log: silent, Octokit })).rejects.toThrow(message);
  });
});

describe("Action logs", () => {
  it.each([
    ['{"level":30,"msg":"synced 2 plans"}', "synced 2 plans"],
    ['{"level":40,"msg":"unknown ticket"}', "::warning::unknown ticket"],
    ['{"level":50,"msg":"sync failed","err":{"message":"HTTP 502"}}', "::error::sync failed: HTTP 502"],
    ['{"level":60,"msg":"line 1\\nline 2 at 100%"}', "::error::line 1%0Aline 2 at 100%25"],
    ['{"level":20,"msg":"GET /repos"}', "::debug::GET /repos"],
  ])("%s → %s", (json, line) => {
    expect(formatForActions(json)).toBe(line);
  });

  it("escapes CR, LF and % in workflow command data", () => {
    expect(escapeCommandData("a%b\r\nc")).toBe("a%25b%0D%0Ac");
  });
});

describe("the Action with the real app", () => {
  it("syncs a pushed plan into issues owned by github-actions[bot]", async () => {
    fake.commit(REPO, "main", { "plans/action-mode.md": PLAN });
    const result = await runAction(createApp({ botLogins: [BOT] }), {
      env: await pushEnv(),
      log: silent,
      Octokit,
    });

    expect(result).toEqual({ failures: [] });
    const titles = fake
      .issues(REPO)
      .filter((issue) => issue.user?.login === BOT && issue.body?.includes("plans/action-mode.md"))
      .map((issue) => issue.title)
      .sort();
    expect(titles).toEqual(["Plan: Action mode", "Try it", "Write the workflow"]);
    expect(fake.checkRuns(REPO).at(-1)).toMatchObject({ name: "plan-sync", conclusion: "success" });
    fake.assertNoUnexpectedRequests();
  });
});

const exec = promisify(execFile);

describe("the Action entry (src/action/index.ts through tsx)", () => {
  // One start only: the entry runs with Probot's real throttling, which spaces writes seconds apart.
  it("exits 1 with an ::error:: line when the app fails a plan", async () => {
    fake.commit(REPO, "main", { "plans/broken.md": `---\ntitle: [unclosed\n---\n${PLAN}` });
    const env = { ...process.env, ...(await pushEnv()), LOG_LEVEL: "silent" as const };
    const failing = await exec(process.execPath, ["--import", "tsx", "src/action/index.ts"], {
      cwd: root,
      env,
    }).then(
      () => ({ code: 0, stdout: "" }),
      (error: { code: number; stdout: string }) => error,
    );
    expect({ code: failing.code, stdout: failing.stdout }).toEqual({
      code: 1,
      stdout: "::error::check run failed: 1 plan with errors (not applied)\n",
    });
    expect(fake.checkRuns(REPO).at(-1)).toMatchObject({ name: "plan-sync", conclusion: "failure" });
  }, 30_000);
});

describe("the committed bundle (action/dist/index.js)", () => {
  it("loads on its own outside the repository and reports a missing event as a workflow error", async () => {
    const bundle = join(root, "action", "dist", "index.js");
    const env = { PATH: process.env["PATH"] ?? "" };
    const outcome = await exec(process.execPath, [bundle], { cwd: dir, env }).then(
      () => ({ code: 0, stdout: "" }),
      (error: { code: number; stdout: string }) => error,
    );
    expect({ code: outcome.code, stdout: outcome.stdout }).toEqual({
      code: 1,
      stdout:
        "::error::GITHUB_EVENT_NAME and GITHUB_EVENT_PATH are not set: is this running in GitHub Actions?\n",
    });
  });
});
