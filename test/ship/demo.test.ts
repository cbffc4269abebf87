// `npm run demo` end to end: the script as a child process (what a newcomer runs), and the scenario in process
// for its quiet summary, its failure path and how it tells whether the app previews pull requests.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import type { ApplicationFunction, Probot } from "probot";
import { beforeAll, describe, expect, it } from "vitest";
import { createReporter, PREVIEW_NOT_AVAILABLE } from "../../scripts/demo-report.js";
import {
  DemoFailure,
  handlesPullRequests,
  recordingEvents,
  runDemo,
  type DemoEvent,
} from "../../scripts/demo-scenario.js";

const root = join(import.meta.dirname, "..", "..");
const tsx = join(root, "node_modules", ".bin", "tsx");

/** The rows of the issue table printed under `Plan <path>: …`, with the column padding collapsed. */
function tableOf(output: string, path: string): string[] {
  const lines = output.split("\n");
  const start = lines.findIndex((line) => line.startsWith(`Plan ${path}: `));
  if (start < 0) throw new Error(`no table for ${path}`);
  const end = lines.findIndex((line, index) => index > start && line === "");
  return [
    lines[start] ?? "",
    ...lines.slice(start + 1, end).map((line) => line.trim().replace(/ {2,}/g, " ")),
  ];
}

/** The text of one `━━ … ━━` section, from its heading to the next. */
function sectionOf(output: string, heading: string): string {
  const start = output.indexOf(`━━ ${heading}`);
  if (start < 0) throw new Error(`no section ${heading}`);
  const next = output.indexOf("━━ ", output.indexOf("━━", start + 3) + 2);
  return output.slice(start, next < 0 ? undefined : next);
}

describe("npm run demo, as a child process", () => {
  let stdout = "";
  let stderr = "";
  let exitCode: number | null = null;
  beforeAll(async () => {
    const run = await promisify(execFile)(tsx, ["scripts/demo.ts"], { cwd: root, timeout: 60_000 }).catch(
      (error: { stdout: string; stderr: string; code: number }) => error,
    );
    ({ stdout, stderr } = run);
    exitCode = "code" in run ? run.code : 0;
  }, 60_000);

  it("exits 0 with nothing on stderr, both servers on 127.0.0.1", () => {
    expect({ exitCode, stderr }).toEqual({ exitCode: 0, stderr: "" });
    expect(stdout).toMatch(
      /^plan-sync demo: the real app on http:\/\/127\.0\.0\.1:\d+, a fake GitHub on http:\/\/127\.0\.0\.1:\d+\/api\/v3\n/,
    );
    expect(stdout).toMatch(/\ndemo finished in \d+\.\d s\n$/);
  });

  it("push 1 syncs the three example plans: one tracking issue each, steps, questions, labels, links", () => {
    const push = sectionOf(stdout, "Push 1: add the example plans");
    expect(push).toContain("Check run plan-sync: success: 3 plans in sync\n");
    expect(tableOf(stdout, "plans/rate-limiter.md")).toEqual([
      "Plan plans/rate-limiter.md: 10 issues",
      "#10 open Plan: Per-tenant API rate limiter [plan]",
      "#11 open Token bucket script [plan-step] parent #10",
      "#12 open Limiter client with circuit breaker [plan-step] @mkowalski blocked by #11 parent #10",
      "#13 open Middleware [plan-step] blocked by #12 parent #10",
      "#14 open Limits admin endpoint [plan-step, admin-api] blocked by #13 parent #10",
      "#15 closed (completed) Shadow mode [plan-step] blocked by #13 parent #10",
      "#16 open Enforce for all tenants [plan-step] blocked by #15 #14 parent #10",
      "#17 open Should internal tenants be exempt? [question] parent #10",
      "#18 closed (completed) Do we count requests or request cost units? [question] parent #10",
      "#19 open Who owns the limits admin UI? [question] parent #10",
    ]);
    expect(tableOf(stdout, "specs/002-password-reset/tasks.md")).toEqual([
      "Plan specs/002-password-reset/tasks.md: 9 issues",
      "#20 open Plan: Password reset by email [plan]",
      "#21 closed (completed) Add `itsdangerous` to requirements.txt [plan-step] parent #20",
      "#22 closed (completed) Add `RESET_TOKEN_TTL` and `MAIL_FROM` settings in app/config.py [plan-step, parallel] parent #20",
      "#23 open Create `password_reset_tokens` table migration in migrations/versions/0007_reset_tokens.py [plan-step] parent #20",
      "#24 open Create ResetToken model in app/models/reset_token.py [plan-step, parallel] parent #20",
      "#25 open Implement token issue and check in app/services/reset.py [plan-step, US1] blocked by #24 #23 parent #20",
      "#26 open Add reset email template in app/templates/email/reset.html [plan-step, parallel, US1] parent #20",
      "#27 open Add POST /password/forgot and POST /password/reset in app/routes/password.py [plan-step, US1] blocked by #25 #26 parent #20",
      "#28 open Rate-limit POST /password/forgot per address and per IP in app/routes/password.py [plan-step] blocked by #23 parent #20",
    ]);
    expect(tableOf(stdout, ".kiro/specs/notification-preferences/tasks.md")).toEqual([
      "Plan .kiro/specs/notification-preferences/tasks.md: 9 issues",
      "#1 open Plan: notification-preferences [plan]",
      "#2 closed (completed) Set up the notification preferences module [plan-step] parent #1",
      "#3 open Implement preference storage [plan-step] parent #1",
      "#4 closed (completed) Create the `notification_preferences` table migration [plan-step] parent #3",
      "#5 open Implement `PreferencesRepository` with get and upsert [plan-step] parent #3",
      "#6 open Write property test for upsert idempotence [plan-step, optional] parent #3",
      "#7 open Expose preferences over the API [plan-step] parent #1",
      "#8 open Add GET and PUT `/api/me/notification-preferences` [plan-step] parent #7",
      "#9 open Checkpoint - Make sure all tests pass [plan-step] parent #1",
    ]);
  });

  it("prints the rate-limiter's tracking issue body as markdown, without the hidden markers", () => {
    const push = sectionOf(stdout, "Push 1: add the example plans");
    expect(push).toContain("Tracking issue #10 body (markdown):\n");
    expect(push).toContain("    │ - ⚪ #11 Step 1.1: Token bucket script\n");
    expect(push).toContain("    │ - ✅ #15 Step 3.1: Shadow mode\n");
    expect(push).not.toContain("plan-sync:marker");
  });

  it("push 2 closes the step marked done and renames the other in place: 3 issues written, nothing created", () => {
    const push = sectionOf(stdout, "Push 2: Step 2.1 Middleware marked done");
    expect(push).toContain("Check run plan-sync: success: 1 plan in sync\n");
    expect(push).toMatch(/\nAPI calls: \d+ reads, 5 writes\n/);
    expect(push).toContain(
      "  writes: POST /repos/{owner}/{repo}/check-runs ×1, PATCH /repos/{owner}/{repo}/issues/{issue_number} ×3, PATCH /repos/{owner}/{repo}/check-runs/{check_run_id} ×1\n",
    );
    expect(push.slice(push.indexOf("Issues created:")).trim().split("\n")).toEqual([
      "Issues created: 0, changed: 3",
      "  #10 Plan: Per-tenant API rate limiter: body updated",
      "  #13 Middleware: open → closed (completed); body updated",
      '  #14 Limits admin API: title "Limits admin endpoint" → "Limits admin API"; body updated',
    ]);
  });

  it("opens a pull request: status comment of what merging will do, check run success, no issue written", () => {
    const pull = sectionOf(stdout, "Pull request #29: Rate limiter: Step 3.3 added, open question answered");
    expect(pull).not.toContain(PREVIEW_NOT_AVAILABLE);
    expect(pull).toMatch(/\nCheck run plan-sync: success: /);
    expect(pull).toContain("\nStatus comment:\n    │ ## plan-sync\n");
    expect(pull).toContain("    │ - Create Step 3.3: Remove the shadow-mode flag\n");
    expect(pull).toContain(
      "    │ - Close #17 answered: Should internal tenants be exempt? — No: same limits, higher values.\n",
    );
    expect(pull).not.toMatch(/writes: .*POST \/repos\/\{owner\}\/\{repo\}\/issues ×/);
    expect(pull).toContain("Issues changed by the pull request: none\n");
  });
});

describe("the demo in process", () => {
  it("prints one line per step with --quiet", async () => {
    let text = "";
    await runDemo(createReporter((chunk) => (text += chunk), { quiet: true }));
    expect(text.split("\n")).toEqual([
      expect.stringMatching(
        /^push 1 \(add the example plans\): check run success; 3 plans, 28 issues \(22 open\); 28 created, 0 changed; API calls: \d+ reads, \d+ writes \(\+1 installation token request\)$/,
      ),
      expect.stringMatching(
        /^push 2 \(Step 2\.1 Middleware marked done, Step 2\.2 renamed to "Limits admin API"\): check run success; 3 plans, 28 issues \(21 open\); 0 created, 3 changed; API calls: \d+ reads, 5 writes$/,
      ),
      expect.stringMatching(/^pull request #29: status comment posted, check run success; API calls: /),
      "",
    ]);
  });

  it("fails with the check run's reason when GitHub refuses every issue create", async () => {
    const events: DemoEvent[] = [];
    const run = runDemo((event) => events.push(event), {
      prepare: (fake) => fake.faults.add({ route: "issues/create", status: 422, times: Infinity }),
    });
    await expect(run).rejects.toThrow(DemoFailure);
    await expect(run).rejects.toThrow(/^the check run of push "add the example plans" concluded failure: /);
    expect(events.map((event) => event.kind)).toEqual(["start"]);
  });

  it("previews pull requests only when the app subscribes to a pull_request event", () => {
    const subscribed = (names: string[]) => {
      const events = new Set<string>();
      const appFn: ApplicationFunction = (app) => {
        for (const name of names) app.on(name as "push", () => undefined);
      };
      void recordingEvents(appFn, events)({ on: () => undefined } as unknown as Probot, {} as never);
      return handlesPullRequests(events);
    };
    expect(subscribed(["push", "issues.closed"])).toBe(false);
    expect(subscribed(["push", "pull_request.opened"])).toBe(true);
    expect(subscribed(["pull_request"])).toBe(true);
  });
});
