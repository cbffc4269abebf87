// GitHub Action mode (SPEC.md §5): the same Probot app, run once on the event of the workflow that started
// it, authenticated by the workflow's token instead of an App's key. The recipe: read the event → build a
// token-authenticated Probot → load the app → deliver the event → fail the step if the app failed.
import { readFile } from "node:fs/promises";
import { Probot, type ApplicationFunction, type Logger, type ProbotOctokit } from "probot";
import type { ActionEnv } from "./env.js";
import { createActionLog } from "./log.js";

export interface ActionEvent {
  id: string;
  name: string;
  payload: Record<string, unknown>;
}

export interface ActionOptions {
  env: ActionEnv;
  /** Default: workflow-command lines on stdout (errors and warnings annotate the run). */
  log?: Logger;
  /** Default: the app's own class (`appFn.Octokit`); tests pass one built on it without the throttle's pauses. */
  Octokit?: typeof ProbotOctokit;
}

export interface ActionResult {
  /** Why the step fails: the app threw, or concluded a check run as failing. Empty when all went well. */
  failures: string[];
}

/** A problem with the workflow's setup, reported as is (no stack). */
export class ActionSetupError extends Error {
  override name = "ActionSetupError";
}

/** The identity issues belong to when the workflow's own GITHUB_TOKEN writes them. */
export const ACTIONS_BOT_LOGIN = "github-actions[bot]";

// The runner exposes `with:` inputs as INPUT_<NAME> (upper-cased, spaces as underscores, hyphens kept).
export function actionInput(env: ActionEnv, name: string): string | undefined {
  const value = env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`]?.trim();
  return value ? value : undefined;
}

export function readToken(env: ActionEnv): string {
  const token = actionInput(env, "github-token") ?? env["GITHUB_TOKEN"];
  if (!token)
    throw new ActionSetupError(
      "No token: set the `github-token` input (default `${{ github.token }}`) or the GITHUB_TOKEN environment variable.",
    );
  return token;
}

/** The login the app must treat as itself: the `bot-login` input, else the Actions bot. */
export function botLoginOf(env: ActionEnv): string {
  return actionInput(env, "bot-login") ?? ACTIONS_BOT_LOGIN;
}

export async function readEvent(env: ActionEnv): Promise<ActionEvent> {
  const name = env["GITHUB_EVENT_NAME"];
  const path = env["GITHUB_EVENT_PATH"];
  if (!name || !path)
    throw new ActionSetupError(
      "GITHUB_EVENT_NAME and GITHUB_EVENT_PATH are not set: is this running in GitHub Actions?",
    );
  let payload: unknown;
  try {
    payload = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new ActionSetupError(`Cannot read the event payload at ${path}: ${(error as Error).message}`);
  }
  if (typeof payload !== "object" || payload === null)
    throw new ActionSetupError(`The event payload at ${path} is not a JSON object`);
  const repository = (payload as { repository?: { full_name?: unknown } }).repository;
  const expected = env["GITHUB_REPOSITORY"];
  if (expected && repository?.full_name !== undefined && repository.full_name !== expected)
    throw new ActionSetupError(`The event is about ${String(repository.full_name)}, not ${expected}`);
  // A re-run of the job is a new attempt with the same run id: give it a new delivery id so it is processed.
  const id = `actions-${env["GITHUB_RUN_ID"] ?? "local"}-${env["GITHUB_RUN_ATTEMPT"] ?? "1"}`;
  // pull_request_target carries the same payload as pull_request, with a token that may write to the base
  // repository (plans are read as data, never run, so this is safe).
  return {
    id,
    name: name === "pull_request_target" ? "pull_request" : name,
    payload: payload as Record<string, unknown>,
  };
}

/** GITHUB_API_URL is https://api.github.com, or https://<host>/api/v3 on GitHub Enterprise Server. */
export function apiUrlOf(env: ActionEnv): string {
  return (env["GITHUB_API_URL"] ?? "https://api.github.com").replace(/(?<!\/)\/+$/, "");
}

/**
 * An app whose webhooks may start work that outlives `receive` (createApp's background): waited for; and the
 * Octokit class it needs Probot to build its clients from (createApp's).
 */
export type ActionApp = ApplicationFunction & { idle?: () => Promise<void>; Octokit?: typeof ProbotOctokit };

export async function runAction(appFn: ActionApp, options: ActionOptions): Promise<ActionResult> {
  const { env } = options;
  const log = options.log ?? createActionLog(env);
  const event = await readEvent(env);
  const Octokit = options.Octokit ?? appFn.Octokit;
  const probot = new Probot({
    githubToken: readToken(env),
    baseUrl: apiUrlOf(env),
    log,
    ...(Octokit ? { Octokit } : {}),
  });
  await probot.ready();
  const failures: string[] = [];
  // With a token, every event's context.octokit is this one client, so one hook sees every request.
  watchCheckRuns(await probot.auth(), (reason) => failures.push(reason));
  // No HTTP server in this mode: routes the app adds (health, metrics) have nowhere to go.
  await probot.load(appFn, { cwd: env["GITHUB_WORKSPACE"] ?? process.cwd(), addHandler: () => {} });

  log.info(`plan-sync: handling ${event.name} (${event.id}) against ${apiUrlOf(env)}`);
  try {
    await probot.receive(event as Parameters<Probot["receive"]>[0]);
  } catch (error) {
    const errors = error instanceof AggregateError ? error.errors : [error];
    for (const each of errors) failures.push(`plan-sync failed: ${messageOf(each)}`);
  }
  // Work left running in the background would be cut off when the step exits (its errors are only logged).
  await appFn.idle?.();
  return { failures };
}

type Client = Awaited<ReturnType<Probot["auth"]>>;

/**
 * The app reports a plan with errors, an invalid config or a failed sync as a failing `plan-sync` check run;
 * the step fails for the same reasons, so the workflow run shows it too.
 */
function watchCheckRuns(octokit: Client, onFailure: (reason: string) => void): void {
  octokit.hook.after("request", (_response, options) => {
    const isCheckRun = /^\/repos\/[^/]+\/[^/]+\/check-runs(\/[^/]+)?$/.test(String(options.url));
    if (!isCheckRun || options["conclusion"] !== "failure") return;
    const output = options["output"] as { title?: unknown } | undefined;
    onFailure(`check run failed: ${typeof output?.title === "string" ? output.title : "no title"}`);
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
