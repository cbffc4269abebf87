// Shared setup of the end-to-end tests: the app on the real Probot server, a fake GitHub with one installed
// repository, and helpers to commit a plan and push it.
import { readFileSync } from "node:fs";
import { createApp, type AppOptions } from "../../src/runtime/create-app.js";
import { startApp, type RunningApp } from "../support/e2e.js";

export const OWNER = "acme";
export const NAME = "gateway";
export const REPO = `${OWNER}/${NAME}`;
export const INSTALLATION = 91;
export const PLAN_PATH = "plans/rate-limiter.md";
export const RATE_LIMITER = readFileSync(
  new URL("../fixtures/plans/rate-limiter.md", import.meta.url),
  "utf8",
);
/** The issues a first sync of RATE_LIMITER creates, in order. */
export const RATE_LIMITER_TITLES = [
  "Plan: Per-tenant API rate limiter",
  "Token bucket script",
  "Limiter client with circuit breaker",
  "Middleware",
  "Limits admin endpoint",
  "Shadow mode",
  "Enforce for all tenants",
  "Should internal tenants be exempt?",
  "Do we count requests or request cost units?",
  "Who owns the limits admin UI?",
];

export async function startScenario(options: AppOptions = {}): Promise<RunningApp> {
  const app = await startApp(createApp({ now: () => new Date("2026-11-25T10:00:00Z"), ...options }));
  app.fake.addInstallation({ id: INSTALLATION, appId: app.appId, account: OWNER });
  app.fake.addRepo({ owner: OWNER, name: NAME, installationId: INSTALLATION });
  return app;
}

/** Commits `files` on main, sends the push, answers the pushed sha. The log is cleared first. */
export async function push(
  app: RunningApp,
  files: Record<string, string | null>,
  message?: string,
): Promise<string> {
  const sha = app.fake.commit(REPO, "main", files, message ? { message } : {});
  app.fake.log.clear();
  const status = await app.sendWebhook("push", app.payloads.push({ repo: REPO }));
  if (status !== 200) throw new Error(`push webhook answered ${status}`);
  return sha;
}

/** The issues of the repository as `#n title [labels] state(reason)`, for readable assertions. */
export function issueLines(app: RunningApp): string[] {
  return app.fake
    .issues(REPO)
    .map(
      (issue) =>
        `#${issue.number} ${issue.title} [${issue.labels.map((label) => (typeof label === "string" ? label : label.name)).join(", ")}] ${issue.state}${issue.state_reason ? `(${issue.state_reason})` : ""}`,
    );
}

/** Requests that change something, without Probot's installation-token requests (authentication, not work). */
export function writes(app: RunningApp) {
  return app.fake.log
    .requests()
    .filter(
      (request) => request.method !== "GET" && !(request.route ?? "").startsWith("/app/installations/"),
    );
}

/**
 * An `issues` delivery. @octokit/webhooks-examples has no `issues.closed` example: the `reopened` one has the
 * same shape (issue, repository, sender, installation), so it is used with the action replaced.
 */
export function issueEvent(
  app: RunningApp,
  number: number,
  action: "closed" | "reopened" | "edited",
  sender: string,
) {
  const base = action === "closed" ? "reopened" : action;
  return { ...app.payloads.issues({ repo: REPO, number, action: base, sender }), action };
}

/** After a test: every request hit a known route with a body GitHub's OpenAPI schema accepts; then the app stops. */
export async function closeChecked(app: RunningApp): Promise<void> {
  try {
    app.fake.assertNoUnexpectedRequests();
  } finally {
    await app.close();
  }
}

/** A `pull_request` payload, as `deliverPullRequest` sends it (`edit` may change it first). */
export type PullRequestPayload = Record<string, unknown> & { pull_request: Record<string, unknown> };

/** Sends the `pull_request` event `action` of PR `number`, from alice; fails unless the app answers 200. */
export async function deliverPullRequest(
  app: RunningApp,
  number: number,
  action: string,
  edit?: (payload: PullRequestPayload) => void,
): Promise<void> {
  const payload = app.payloads.pullRequest({
    repo: REPO,
    number,
    action,
    sender: "alice",
  }) as PullRequestPayload;
  edit?.(payload);
  const status = await app.sendWebhook("pull_request", payload);
  if (status !== 200) throw new Error(`pull_request webhook answered ${status}`);
}

/** Writes of the work (Probot's installation-token requests left out), as `METHOD route`. */
export function workWrites(app: RunningApp): string[] {
  return app.fake.log
    .requests()
    .filter((request) => request.method !== "GET" && !(request.route ?? "").startsWith("/app/"))
    .map((request) => `${request.method} ${request.route}`);
}

/** A plan of `phases × steps` steps, each depending on the one before it. */
export function bigPlan(phases: number, steps: number): string {
  const lines = ["# Implementation Plan: Big", "", "## Implementation Steps", ""];
  for (let phase = 1; phase <= phases; phase++) {
    lines.push(`### Phase ${phase}: Part ${phase}`, "");
    for (let step = 1; step <= steps; step++) {
      lines.push(`#### Step ${phase}.${step}: Work ${phase}.${step}`, `**What**: item ${phase}.${step}`);
      if (step > 1) lines.push(`**Depends on**: Step ${phase}.${step - 1}`);
      lines.push("");
    }
  }
  return lines.join("\n");
}
