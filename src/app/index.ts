// plan-sync as a Probot app. This file is the table of contents: one line per event; the handlers get the
// GitHub layer and the rest of their dependencies from `createApp(deps)`.
import type { ApplicationFunction, Probot } from "probot";
import { createGitHubLayer, type ApiCallCounter } from "../github/index.js";
import { parsePlan } from "../plan/parse.js";
import { botLoginsOf } from "./bot-identity.js";
import type { AppDeps } from "./deps.js";
import { onInstalled } from "./installation.js";
import { onIssueChanged } from "./issues.js";
import { onPullRequest, PULL_REQUEST_EVENTS } from "./pull-request.js";
import { onPush } from "./push.js";

export interface AppOptions {
  now?: () => Date;
  parsePlan?: AppDeps["parsePlan"];
  /** Known bot logins (skips GET /app), e.g. `["plan-sync[bot]"]`. */
  botLogins?: string[];
  /** Counts every API call the app makes (benches, metrics). */
  counter?: ApiCallCounter;
}

export function createApp(options: AppOptions = {}): ApplicationFunction {
  return (app: Probot) => {
    const now = options.now ?? (() => new Date());
    const deps: AppDeps = {
      now,
      parsePlan: options.parsePlan ?? parsePlan,
      github: (octokit, repo) =>
        createGitHubLayer(octokit, repo, {
          now,
          ...(options.counter ? { counter: options.counter } : {}),
          warn: (message) => app.log.warn(`plan-sync: ${message}`),
        }),
      botLogins: botLoginsOf(app, options.botLogins),
    };

    app.on("push", (context) => onPush(context, deps));
    app.on([...PULL_REQUEST_EVENTS], (context) => onPullRequest(context, deps));
    app.on(["issues.closed", "issues.reopened", "issues.edited"], (context) => onIssueChanged(context, deps));
    app.on(["installation.created", "installation_repositories.added"], (context) =>
      onInstalled(context, deps),
    );
  };
}

/** What `probot run ./dist/app/index.js` loads. */
export default createApp();
