// plan-sync's events, the table of contents: one line per event, each naming its handler. How a handler's work
// is run (after the webhook is answered, once per delivery) is the runtime's: `run` (src/runtime/create-app.ts).
import type { Probot } from "probot";
import type { AppDeps } from "./deps.js";
import { onInstalled } from "./handlers/installation.js";
import { onIssueChanged } from "./handlers/issues.js";
import { onPullRequest, PULL_REQUEST_EVENTS } from "./handlers/pull-request.js";
import { onPush } from "./handlers/push.js";

/** One webhook delivery as the runtime needs it: its id (X-GitHub-Delivery), event name and logger. */
export type Delivery = { id: string; name: string; log: Probot["log"] };

/** Runs a handler's work for one delivery; `false` from the work: it failed, a redelivery runs it again. */
export type RunDelivery = (delivery: Delivery, work: () => Promise<boolean | void>) => Promise<void>;

/** The events registered below; the runtime answers any other delivery 2xx with nothing done. */
export const HANDLED_EVENTS: ReadonlySet<string> = new Set([
  "push",
  "pull_request",
  "issues",
  "installation",
  "installation_repositories",
]);

export function registerHandlers(app: Probot, deps: AppDeps, run: RunDelivery): void {
  app.on("push", (context) => run(context, () => onPush(context, deps)));
  app.on([...PULL_REQUEST_EVENTS], (context) => run(context, () => onPullRequest(context, deps)));
  app.on(["issues.closed", "issues.reopened", "issues.edited"], (context) =>
    run(context, () => onIssueChanged(context, deps)),
  );
  app.on(["installation.created", "installation_repositories.added"], (context) =>
    run(context, () => onInstalled(context, deps)),
  );
}
