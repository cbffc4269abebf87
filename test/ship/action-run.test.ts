// The committed bundle (action/dist/index.js) run as the runner runs it — a process with the runner's
// environment, the job summary and output files in a temp folder — against the fake GitHub: what the
// workflow's log, job summary and outputs say for a plan with errors, a clean push and a pull request.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeForActions } from "../support/actions-fake.js";
import type { FakeGitHub } from "../support/fake-github/index.js";
import { WebhookPayloads } from "../support/webhook-payloads.js";

const exec = promisify(execFile);
const bundle = join(import.meta.dirname, "..", "..", "action", "dist", "index.js");

let fake: FakeGitHub;
let dir: string;
let token: string;

beforeAll(async () => {
  ({ fake, token } = await startFakeForActions(["cycle", "roadmap", "preview"]));
  dir = await mkdtemp(join(tmpdir(), "plan-sync-action-run-"));
});
afterAll(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

interface StepRun {
  placeholders: (text: string) => string;
  code: number;
  /** stdout, with the fake's random port and the commit shas replaced by placeholders. */
  log: string[];
  stderr: string;
  summary: string;
  outputs: Record<string, string>;
  /** Everything the step wrote, unedited (to look for the token). */
  raw: string;
}

/** Runs the bundle on one event the way the runner does; answers what the workflow would show. */
async function runStep(
  repo: string,
  eventName: string,
  payload: Record<string, unknown>,
  extraEnv: Record<string, string> = {},
): Promise<StepRun> {
  const { installation: _installation, ...event } = payload;
  const run = await mkdtemp(join(dir, "run-"));
  const files = {
    event: join(run, "event.json"),
    summary: join(run, "summary.md"),
    output: join(run, "output.txt"),
  };
  await writeFile(files.event, JSON.stringify(event));
  await writeFile(files.summary, "");
  await writeFile(files.output, "");
  const sha = String(event["after"] ?? (event["pull_request"] as { head: { sha: string } }).head.sha);
  const env = {
    PATH: process.env["PATH"] ?? "",
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_REPOSITORY: repo,
    GITHUB_API_URL: fake.url,
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_SHA: sha,
    GITHUB_RUN_ID: "42",
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_OUTPUT: files.output,
    "INPUT_GITHUB-TOKEN": token,
    "INPUT_BOT-LOGIN": "github-actions[bot]",
    ...extraEnv,
  };
  const outcome = await exec(process.execPath, [bundle], { cwd: run, env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
  const summary = await readFile(files.summary, "utf8");
  const outputFile = await readFile(files.output, "utf8");
  const placeholders = (text: string) =>
    text
      .replaceAll(fake.url, "<api>")
      .replaceAll(fake.host, "<host>")
      .replaceAll(sha, "<sha>")
      .replaceAll(sha.slice(0, 7), "<short>");
  return {
    placeholders,
    code: outcome.code,
    log: placeholders(outcome.stdout).split("\n").slice(0, -1),
    stderr: outcome.stderr,
    summary: placeholders(summary),
    outputs: parseOutputs(outputFile),
    raw: [outcome.stdout, outcome.stderr, summary, outputFile].join("\n"),
  };
}

/** $GITHUB_OUTPUT in the multi-line form: `name<<delimiter`, the value's lines, the delimiter. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let index = 0; index < lines.length - 1; index++) {
    const match = /^([\w-]+)<<(ghadelimiter_[0-9a-f-]{36})$/.exec(lines[index] ?? "");
    if (!match) throw new Error(`not an output line: ${lines[index]}`);
    const end = lines.indexOf(match[2] ?? "", index + 1);
    outputs[match[1] ?? ""] = lines.slice(index + 1, end).join("\n");
    index = end;
  }
  return outputs;
}

const CYCLE = `# Implementation Plan: Cycle

## Implementation Steps

#### Step 1.1: Build the parser

**Depends on**: Step 1.2

#### Step 1.2: Build the renderer

**Depends on**: Step 1.1
`;

const CLEAN = `# Implementation Plan: Action mode

## Implementation Steps

#### Step 1.1: Write the workflow

**What**: Add the workflow file.
`;

const CYCLE_MESSAGE =
  'Dependency cycle: Step 1.1 → Step 1.2 → Step 1.1. Remove one of these "Depends on" links.';

/** The cycle is reported on each step of it, on its "Depends on" line. */
const CYCLE_ANNOTATIONS = [7, 11].map(
  (line) => `::error file=plans/cycle.md,line=${line},col=17,title=dependency-cycle::${CYCLE_MESSAGE}`,
);

describe("the bundled Action", () => {
  it("on a push of a plan with a dependency cycle: names the cycle on its lines, writes no issue, fails", async () => {
    fake.commit("acme/cycle", "main", { "plans/cycle.md": CYCLE });
    const step = await runStep("acme/cycle", "push", new WebhookPayloads(fake).push({ repo: "acme/cycle" }));

    expect(step.code).toBe(1);
    expect(step.log).toEqual([
      "plan-sync: handling push (actions-42-1) against <api>",
      "::group::plans/cycle.md",
      "plan-sync: plan synced",
      "Cycle: not applied: the plan has errors (see the annotations)",
      ...CYCLE_ANNOTATIONS,
      "::endgroup::",
      "::error::check run failed: 1 plan with errors (not applied)",
    ]);
    const blob = "https://github.com/acme/cycle/blob/<sha>/plans/cycle.md";
    expect(step.summary).toBe(
      [
        "## plan-sync: 1 plan with errors (not applied)",
        "",
        "### Cycle",
        "`plans/cycle.md` · **not applied**: the plan has errors (see the annotations)",
        "",
        "**Diagnostics** (2 errors, 0 warnings):",
        `- **error** \`dependency-cycle\` at [line 7](${blob}#L7): ${CYCLE_MESSAGE}`,
        `- **error** \`dependency-cycle\` at [line 11](${blob}#L11): ${CYCLE_MESSAGE}`,
        "",
        "**The step failed**:",
        "- check run failed: 1 plan with errors (not applied)",
        "",
      ].join("\n"),
    );
    expect(step.outputs).toEqual({
      plans: JSON.stringify({
        "plans/cycle.md": {
          title: "Cycle",
          status: "refused",
          tracking_issue: null,
          created: 0,
          updated: 0,
          closed: 0,
        },
      }),
      created: "0",
      updated: "0",
      closed: "0",
      preview: "false",
    });
    expect(fake.issues("acme/cycle")).toEqual([]);
    expect(step.stderr).toBe("");
    expect(step.raw).not.toContain(token);
  }, 60_000);

  it("never prints the token, even re-run with debug logging", async () => {
    fake.commit("acme/cycle", "main", { "plans/cycle.md": `${CYCLE}\n` });
    const payload = new WebhookPayloads(fake).push({ repo: "acme/cycle" });
    const step = await runStep("acme/cycle", "push", payload, { RUNNER_DEBUG: "1" });
    expect(step.log.filter((line) => line.startsWith("::debug::")).length).toBeGreaterThan(3);
    expect(step.raw).not.toContain(token);
  }, 60_000);

  it("on clean pushes: links the issues it created, updated and closed, and outputs the tracking issue", async () => {
    fake.commit("acme/roadmap", "main", { "plans/action-mode.md": CLEAN });
    const first = await runStep(
      "acme/roadmap",
      "push",
      new WebhookPayloads(fake).push({ repo: "acme/roadmap" }),
    );
    const issues = "https://github.com/acme/roadmap/issues";

    expect(first.code).toBe(0);
    expect(first.log).toEqual([
      "plan-sync: handling push (actions-42-1) against <api>",
      "::group::plans/action-mode.md",
      "plan-sync: plan synced",
      "Action mode: synced",
      `Created #1 “Plan: Action mode” ${issues}/1`,
      `Created #2 “Write the workflow” ${issues}/2`,
      `Tracking issue: ${issues}/1`,
      "::endgroup::",
    ]);
    expect(first.summary).toBe(
      [
        "## plan-sync: 1 plan in sync",
        "",
        "### Action mode",
        `\`plans/action-mode.md\` · synced · tracking issue [#1](${issues}/1)`,
        "",
        `- Created: [#1](${issues}/1) Plan: Action mode, [#2](${issues}/2) Write the workflow`,
        "",
      ].join("\n"),
    );
    expect(JSON.parse(first.outputs["plans"] ?? "")).toEqual({
      "plans/action-mode.md": {
        title: "Action mode",
        status: "synced",
        tracking_issue: 1,
        created: 2,
        updated: 0,
        closed: 0,
      },
    });
    expect(first.raw).not.toContain(token);

    // Step 1.1 leaves the plan, Step 1.2 joins it: one issue closed, one created, the tracking issue updated.
    fake.commit("acme/roadmap", "main", {
      "plans/action-mode.md": CLEAN.replace(
        "#### Step 1.1: Write the workflow",
        "#### Step 1.2: Run the workflow",
      ),
    });
    const second = await runStep(
      "acme/roadmap",
      "push",
      new WebhookPayloads(fake).push({ repo: "acme/roadmap" }),
    );
    expect(second.log.filter((line) => /^(Created|Updated|Closed|Tracking)/.test(line))).toEqual([
      `Created #3 “Run the workflow” ${issues}/3`,
      `Updated #1 “Plan: Action mode” ${issues}/1`,
      `Closed #2 “Write the workflow” ${issues}/2`,
      `Tracking issue: ${issues}/1`,
    ]);
    expect(second.summary.split("\n").filter((line) => line.startsWith("- "))).toEqual([
      `- Created: [#3](${issues}/3) Run the workflow`,
      `- Updated: [#1](${issues}/1) Plan: Action mode`,
      `- Closed: [#2](${issues}/2) Write the workflow`,
    ]);
    expect(second.outputs).toMatchObject({ created: "1", updated: "1", closed: "1", preview: "false" });
  }, 90_000);

  it("on a pull request: the status comment's preview as the job summary, and what merging would do", async () => {
    fake.commit("acme/preview", "feature", { "plans/cycle.md": CYCLE, "plans/action-mode.md": CLEAN });
    const pull = fake.openPullRequest("acme/preview", { head: "feature" });
    const payload = new WebhookPayloads(fake).pullRequest({ repo: "acme/preview", number: pull.number });
    const step = await runStep("acme/preview", "pull_request", payload);

    expect(step.code).toBe(1);
    expect(step.log).toEqual([
      "plan-sync: handling pull_request (actions-42-1) against <api>",
      "plan-sync: previewing pull request",
      "::group::plans/action-mode.md",
      "Action mode: synced on merge",
      "To create “Plan: Action mode”",
      "To create “Write the workflow”",
      "::endgroup::",
      "::group::plans/cycle.md",
      "Cycle: not applied on merge: the plan has errors (see the annotations)",
      ...CYCLE_ANNOTATIONS,
      "::endgroup::",
      "::error::check run failed: 1 plan with errors: not applied on merge",
    ]);
    const comments = fake.comments("acme/preview", pull.number);
    expect(comments).toHaveLength(1);
    expect(step.summary).toBe(
      `${step.placeholders(comments[0]?.body ?? "")}\n\n**The step failed**:\n- check run failed: 1 plan with errors: not applied on merge\n`,
    );
    expect(step.summary).toContain("### Action mode");
    expect(JSON.parse(step.outputs["plans"] ?? "")).toEqual({
      "plans/action-mode.md": {
        title: "Action mode",
        status: "sync",
        tracking_issue: null,
        created: 2,
        updated: 0,
        closed: 0,
      },
      "plans/cycle.md": {
        title: "Cycle",
        status: "refused",
        tracking_issue: null,
        created: 0,
        updated: 0,
        closed: 0,
      },
    });
    expect(step.outputs).toMatchObject({ created: "2", updated: "0", closed: "0", preview: "true" });
    expect(fake.issues("acme/preview").filter((issue) => !issue.pull_request)).toEqual([]);
    expect(step.raw).not.toContain(token);
  }, 60_000);
});
