// `issues` closed/reopened/edited by a person on a managed issue: the plan is synced again at the default
// branch head, which refreshes the tracking issue's progress (people win on state: nothing is reverted), then
// the status comments of the open PRs that change the plan (pr-refresh.ts).
import type { Context } from "probot";
import { CONFIG_FILE } from "../../github/index.js";
import { isPlanPath } from "../../sync/config.js";
import { decodeMarker } from "../../sync/marker.js";
import type { ManagedIssue, Marker } from "../../sync/model.js";
import { loadConfig } from "../load-config.js";
import type { AppDeps } from "../deps.js";
import { hostOf } from "./repository.js";
import { closedItemOf } from "../workflows/write-back-closed-items.js";

/** Adds the plan's sync job (a failed sync forgets the delivery: a redelivery of this event runs it again). */
export async function onIssueChanged(
  context: Context<"issues.closed" | "issues.reopened" | "issues.edited">,
  deps: AppDeps,
): Promise<void> {
  const { issue, sender, repository } = context.payload;
  // Our own bot acting on its own issue: our writes come back as events; ignored before any request (no loops).
  // (A bot acting on an issue it wrote is either us, or a bot whose issues are not ours to manage.)
  if (sender.type === "Bot" && sender.login === issue.user?.login) return;
  const marker = decodeMarker(issue.body);
  if (!marker || issue.pull_request) return;
  const botLogins = await deps.botLogins();
  const ours = (login: string | undefined) =>
    botLogins.some((bot) => bot.toLowerCase() === login?.toLowerCase());
  if (!ours(issue.user?.login) || ours(sender.login)) return;

  const loaded = await loadConfig(() => context.config(CONFIG_FILE));
  if (!loaded.ok) {
    context.log.warn(
      { errors: loaded.errors },
      "plan-sync: invalid .github/plan-sync.yml, issue event ignored",
    );
    return;
  }
  const repo = { owner: repository.owner.login, repo: repository.name };
  const github = deps.github(context.octokit, repo);
  const issues = await github.listManagedIssues(botLogins);
  const path = planPathOf(marker, issues, botLogins);
  if (!isPlanPath(loaded.config, path)) return;
  // The plan's sync is a job: it waits behind a sync of the plan that runs, and joins one that waits (one sync
  // of the newest state). It refreshes the open PRs' comments after, and writes back an item closed as done.
  await deps.queue.add({
    kind: "sync-plan",
    path,
    previousPath: null,
    installationId: context.payload.installation?.id ?? null,
    deliveryId: context.id,
    reason: "issue",
    repo: { ...repo, branch: repository.default_branch, host: hostOf(repository.html_url) },
    config: loaded.config,
    followUp: { closed: closedItemOf(context.payload, marker, loaded.config) },
  });
}

/** The plan's current path: its tracking issue records it (the plan id is the path when first synced). */
function planPathOf(marker: Marker, issues: ManagedIssue[], botLogins: string[]): string {
  const bots = new Set(botLogins.map((login) => login.toLowerCase()));
  const tracking = issues.find(
    (candidate) =>
      candidate.marker?.kind === "tracking" &&
      candidate.marker.plan === marker.plan &&
      bots.has(candidate.authorLogin.toLowerCase()),
  );
  return tracking?.marker?.path ?? marker.path ?? marker.plan;
}
