import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import yaml from "js-yaml";
import { pino } from "pino";
import { ProbotOctokit, type ApplicationFunction, type Logger } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatForActions } from "../../src/action/log.js";
import { MAX_SUMMARY_BYTES, renderJobSummary } from "../../src/action/job-summary.js";
import { repoLinksOf } from "../../src/action/links.js";
import { formatOutputs, stepOutputs } from "../../src/action/step-outputs.js";
import {
  diagnosticCommand,
  escapeCommandData,
  escapeCommandProperty,
  workflowCommand,
} from "../../src/action/workflow-commands.js";
import { createApp } from "../../src/runtime/create-app.js";
import type { ActionEnv } from "../../src/action/env.js";
import { runAction } from "../../src/action/main.js";
import { startFakeForActions } from "../support/actions-fake.js";
import type { FakeGitHub } from "../support/fake-github/index.js";
import { WebhookPayloads } from "../support/webhook-payloads.js";

const root = join(import.meta.dirname, "..", "..");
const REPO = "acme/roadmap";
const BOT = "github-actions[bot]";
const silent = pino({ level: "silent" }) as unknown as Logger;
// An Octokit class without the throttle's pauses between writes, so the tests stay fast: Probot's for the apps
// written here, the app's own (`appFn.Octokit`) for the real one. A function: Probot passes its own `throttle`
// options per instance, which would replace an object default (and re-enable it).
const withoutPauses = (Base: typeof ProbotOctokit) =>
  Base.defaults((options: Record<string, unknown>) => ({
    ...options,
    throttle: { ...(options["throttle"] as object), enabled: false },
    retry: { enabled: false },
  }));
const Octokit = withoutPauses(ProbotOctokit);

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
  ({ fake, token } = await startFakeForActions(["roadmap"]));
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

describe("workflow commands", () => {
  it("escape `:` and `,` in properties too (they separate properties), `%` before the rest", () => {
    expect(escapeCommandProperty("plans/a:b,c%0A.md\n")).toBe("plans/a%3Ab%2Cc%250A.md%0A");
    expect(
      workflowCommand(
        "error",
        { file: "plans/x,y.md", line: 3, col: undefined, title: "a:b" },
        "one: two, 100%\nthree",
      ),
    ).toBe("::error file=plans/x%2Cy.md,line=3,title=a%3Ab::one: two, 100%25%0Athree");
  });

  it("annotate a diagnostic on its file and line, an error as ::error and a warning as ::warning", () => {
    const diagnostic = {
      rule: "dependency-cycle",
      message: "Step 2.1 → Step 3.1 → Step 2.1",
      line: 12,
      column: 1,
    } as const;
    expect(diagnosticCommand("plans/x.md", { ...diagnostic, severity: "error" })).toBe(
      "::error file=plans/x.md,line=12,col=1,title=dependency-cycle::Step 2.1 → Step 3.1 → Step 2.1",
    );
    expect(diagnosticCommand("plans/x.md", { ...diagnostic, severity: "warning", line: 0, column: 0 })).toBe(
      "::warning file=plans/x.md,line=1,col=1,title=dependency-cycle::Step 2.1 → Step 3.1 → Step 2.1",
    );
  });

  it("write outputs in the multi-line form, refusing a value that holds the delimiter", () => {
    expect(formatOutputs({ plans: '{"a":1}', note: "two\nlines" }, "ghadelimiter_x")).toBe(
      'plans<<ghadelimiter_x\n{"a":1}\nghadelimiter_x\nnote<<ghadelimiter_x\ntwo\nlines\nghadelimiter_x\n',
    );
    expect(() => formatOutputs({ plans: "ghadelimiter_x\nevil<<y" }, "ghadelimiter_x")).toThrow(
      "output plans holds its delimiter",
    );
  });

  it("are the outputs action.yml declares", async () => {
    const declared = yaml.load(await readFile(join(root, "action.yml"), "utf8")) as { outputs: object };
    const run = { plans: [], synced: [], pullRequest: null, configErrors: null };
    expect(Object.keys(stepOutputs(run)).sort()).toEqual(Object.keys(declared.outputs).sort());
  });

  it("cut a job summary over GitHub's 1 MiB at a line end, with a note", () => {
    const run = {
      plans: [],
      synced: [],
      pullRequest: { number: 1, comment: "line of text\n".repeat(100_000) },
      configErrors: null,
    };
    const summary = renderJobSummary(run, [], repoLinksOf({}));
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(MAX_SUMMARY_BYTES);
    expect(summary).toMatch(
      /line of text\n\n… cut here: the summary is over GitHub's 1 MiB limit\. The check run has the rest\.\n$/,
    );
  });
});

describe("the Action with the real app", () => {
  it("syncs a pushed plan into issues owned by github-actions[bot]", async () => {
    fake.commit(REPO, "main", { "plans/action-mode.md": PLAN });
    const app = createApp({ botLogins: [BOT] });
    const result = await runAction(app, {
      env: await pushEnv(),
      log: silent,
      Octokit: withoutPauses(app.Octokit),
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
