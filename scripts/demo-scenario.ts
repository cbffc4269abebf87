// The demo's story, as a recipe: start the fake GitHub and the real app server, install the app on a
// repository, push the example plans, push an edit, open a pull request. Each step reports what GitHub looks
// like afterwards through `emit`, so the output streams and a failure still shows what came before it.
import type { ApplicationFunction } from "probot";
import { createApp } from "../src/runtime/create-app.js";
import { startApp, until, type RunningApp } from "../test/support/e2e.js";
import type { CheckRun, FakeGitHub } from "../test/support/fake-github/index.js";
import {
  applyEdits,
  examplePlans,
  PULL_REQUEST_EDITS,
  RATE_LIMITER_PATH,
  SECOND_PUSH_EDITS,
  type PlanEdit,
} from "./demo-plans.js";
import { callTotals, issuesOf, type CallTotals, type IssueView } from "./demo-state.js";

export const OWNER = "demo-org";
export const REPO = `${OWNER}/demo-repo`;
const INSTALLATION_ID = 1;
const PR_BRANCH = "plan/remove-shadow-flag";

export class DemoFailure extends Error {}

export interface DemoStart {
  kind: "start";
  appUrl: string;
  fakeUrl: string;
  repo: string;
  botLogin: string;
}

export interface PushStep {
  kind: "push";
  title: string;
  sha: string;
  files: string[];
  checkRun: CheckRun;
  calls: CallTotals;
  before: IssueView[];
  after: IssueView[];
}

export interface PullStep {
  kind: "pull";
  number: number;
  title: string;
  branch: string;
  headSha: string;
  calls: CallTotals;
  /** null when the app registers no pull_request handler. */
  preview: { comment: string; checkRun: CheckRun } | null;
}

export type DemoEvent = DemoStart | PushStep | PullStep;

export interface DemoOptions {
  /** Called with the fake before anything is pushed (tests inject faults here). */
  prepare?: (fake: FakeGitHub) => void;
  logLevel?: "info" | "silent";
  /** How long to wait for the app to finish one event. */
  timeoutMs?: number;
}

export async function runDemo(emit: (event: DemoEvent) => void, options: DemoOptions = {}): Promise<void> {
  const events = new Set<string>();
  const app = await startApp(recordingEvents(createApp(), events), {
    logLevel: options.logLevel ?? "silent",
  });
  try {
    app.fake.addInstallation({ id: INSTALLATION_ID, appId: app.appId, account: OWNER });
    app.fake.addRepo({ owner: OWNER, name: "demo-repo", installationId: INSTALLATION_ID });
    options.prepare?.(app.fake);
    emit({ kind: "start", appUrl: app.url, fakeUrl: app.fake.url, repo: REPO, botLogin: app.botLogin });

    const plans = examplePlans();
    emit(await push(app, "add the example plans", plans, options));
    const edited = applyEdits(plans[RATE_LIMITER_PATH] ?? "", SECOND_PUSH_EDITS);
    emit(await push(app, summaryOf(SECOND_PUSH_EDITS), { [RATE_LIMITER_PATH]: edited }, options));
    const proposed = applyEdits(edited, PULL_REQUEST_EDITS);
    emit(await openPullRequest(app, proposed, handlesPullRequests(events), options));

    app.fake.assertNoUnexpectedRequests();
  } finally {
    await app.close();
  }
}

/** Commits `files` on main, sends the signed push delivery, and waits for the push's check run to complete. */
async function push(
  app: RunningApp,
  title: string,
  files: Record<string, string>,
  options: DemoOptions,
): Promise<PushStep> {
  const before = issuesOf(app.fake, REPO);
  const sha = app.fake.commit(REPO, "main", files, { message: title });
  app.fake.log.clear();
  await deliver(app, "push", app.payloads.push({ repo: REPO }));
  const checkRun = await until(
    () => app.fake.checkRuns(REPO).find((run) => run.headSha === sha && run.status === "completed"),
    { timeoutMs: options.timeoutMs ?? 15_000, what: `the plan-sync check run of push ${sha.slice(0, 7)}` },
  ).catch(timedOut);
  if (checkRun.conclusion !== "success")
    throw new DemoFailure(
      `the check run of push "${title}" concluded ${checkRun.conclusion}: ${checkRun.output.title}\n${checkRun.output.summary ?? ""}`,
    );
  const after = issuesOf(app.fake, REPO);
  return {
    kind: "push",
    title,
    sha,
    files: Object.keys(files),
    checkRun,
    calls: callTotals(app.fake.log.requests()),
    before,
    after,
  };
}

async function openPullRequest(
  app: RunningApp,
  proposed: string,
  handled: boolean,
  options: DemoOptions,
): Promise<PullStep> {
  const before = JSON.stringify(issuesOf(app.fake, REPO));
  const title = `Rate limiter: ${summaryOf(PULL_REQUEST_EDITS)}`;
  const headSha = app.fake.commit(REPO, PR_BRANCH, { [RATE_LIMITER_PATH]: proposed }, { message: title });
  const { number } = app.fake.openPullRequest(REPO, { head: PR_BRANCH, title, as: "mkowalski" });
  app.fake.log.clear();
  await deliver(app, "pull_request", app.payloads.pullRequest({ repo: REPO, number }));
  const preview = handled ? await previewOf(app, number, headSha, options) : null;
  if (JSON.stringify(issuesOf(app.fake, REPO)) !== before)
    throw new DemoFailure(`opening pull request #${number} changed issues; a preview must change none`);
  const calls = callTotals(app.fake.log.requests());
  return { kind: "pull", number, title, branch: PR_BRANCH, headSha, calls, preview };
}

/** The app's status comment on the pull request and its check run on the head commit, once both are there. */
async function previewOf(app: RunningApp, number: number, headSha: string, options: DemoOptions) {
  return until(
    () => {
      const comment = app.fake.comments(REPO, number).find((c) => c.user.login === app.botLogin);
      const checkRun = app.fake
        .checkRuns(REPO)
        .find((run) => run.headSha === headSha && run.status === "completed");
      return comment && checkRun ? { comment: comment.body, checkRun } : undefined;
    },
    { timeoutMs: options.timeoutMs ?? 15_000, what: `the status comment and check run of PR #${number}` },
  ).catch(timedOut);
}

async function deliver(app: RunningApp, name: string, payload: object): Promise<void> {
  const status = await app.sendWebhook(name, payload);
  if (status < 200 || status > 299)
    throw new DemoFailure(`the app answered the ${name} webhook with HTTP ${status}`);
}

/** Wraps an app to note which events it subscribes to: the demo previews pull requests only if it does. */
/** `appFn` noting the events it listens to in `events`; what it carries (`idle`, its `Octokit` class) is kept. */
export function recordingEvents<App extends ApplicationFunction>(appFn: App, events: Set<string>): App {
  const recording: ApplicationFunction = (app, appOptions) => {
    const on = app.on;
    app.on = ((names: string | string[], handler: unknown) => {
      for (const name of [names].flat()) events.add(name);
      return (on as (names: unknown, handler: unknown) => void)(names, handler);
    }) as typeof app.on;
    return appFn(app, appOptions);
  };
  return Object.assign(recording, appFn);
}

export function handlesPullRequests(events: Set<string>): boolean {
  return [...events].some((name) => name === "pull_request" || name.startsWith("pull_request."));
}

function summaryOf(edits: PlanEdit[]): string {
  return edits.map((edit) => edit.summary).join(", ");
}

function timedOut(error: unknown): never {
  throw new DemoFailure(error instanceof Error ? error.message : String(error));
}
