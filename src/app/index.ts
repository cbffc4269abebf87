// plan-sync's events, the table of contents: one line per event, each adding the event's delivery job. The
// worker (src/runtime/job-worker.ts) runs that job later, anywhere: `handleDelivery` names the handler that
// decides which jobs the event causes, and `runJobs` what runs them.
import type { Context, Probot } from "probot";
import type { AppDeps } from "./deps.js";
import type { DeliveryJob } from "./jobs.js";
import { onInstalled } from "./handlers/installation.js";
import { onIssueChanged } from "./handlers/issues.js";
import { onPullRequest, PULL_REQUEST_EVENTS } from "./handlers/pull-request.js";
import { onPush } from "./handlers/push.js";

/** The events registered below; the runtime answers any other delivery 2xx with nothing done. */
export const HANDLED_EVENTS: ReadonlySet<string> = new Set([
  "push",
  "pull_request",
  "issues",
  "installation",
  "installation_repositories",
]);

export function registerHandlers(app: Probot, deps: AppDeps): void {
  const add = (context: Context) => deps.queue.add(deliveryJobOf(context));
  app.on("push", add);
  app.on([...PULL_REQUEST_EVENTS], add);
  app.on(["issues.closed", "issues.reopened", "issues.edited"], add);
  app.on(["installation.created", "installation_repositories.added"], add);
}

/** A delivery as data: what the worker needs to rebuild its context anywhere. */
export function deliveryJobOf(context: Pick<Context, "id" | "name" | "payload">): DeliveryJob {
  const installation = (context.payload as { installation?: { id?: number } }).installation;
  return {
    kind: "delivery",
    deliveryId: context.id,
    name: context.name,
    installationId: installation?.id ?? null,
    payload: context.payload as object,
  };
}

/** Runs the handler of the delivery whose context the worker rebuilt. */
export async function handleDelivery(context: Context, deps: AppDeps): Promise<void> {
  switch (context.name) {
    case "push":
      return onPush(context as Context<"push">, deps);
    case "pull_request":
      return onPullRequest(context as Context<(typeof PULL_REQUEST_EVENTS)[number]>, deps);
    case "issues":
      return onIssueChanged(context as Context<"issues.closed">, deps);
    case "installation":
    case "installation_repositories":
      return onInstalled(context as Context<"installation.created">, deps);
    default:
      context.log.warn(`plan-sync: no handler for a ${context.name} delivery: ignored`);
  }
}
