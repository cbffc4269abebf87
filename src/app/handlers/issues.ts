// `issues` closed/reopened/edited by a person on a managed issue: the plan is synced again at the default
// branch head, which refreshes the tracking issue's progress (people win on state: nothing is reverted), then
// the status comments of the open PRs that change the plan (pr-refresh.ts).
import type { Context } from "probot";
import { CONFIG_FILE } from "../../github/index.js";
import { createPullRequestGitHub } from "../../github/pull-requests.js";
import { isPlanPath } from "../../sync/config.js";
import { decodeMarker } from "../../sync/marker.js";
import type { ManagedIssue, Marker } from "../../sync/model.js";
import { loadConfig } from "../load-config.js";
import type { AppDeps } from "../deps.js";
import { refreshPullRequestComments } from "../workflows/refresh-pr-comments.js";
import { hostOf } from "./repository.js";
import { mergeTargets, planKey } from "../work-queue.js";
import { logResult, type RunTag, type TaggedResult } from "../workflows/sync-plans.js";
import { syncPlan, type PlanTarget } from "../workflows/sync-one-plan.js";
import { closedItemOf, writeBackClosedItem } from "../workflows/write-back-closed-items.js";

/** Answers false when the plan's sync failed: a redelivery of this event runs it again. */
export async function onIssueChanged(
  context: Context<"issues.closed" | "issues.reopened" | "issues.edited">,
  deps: AppDeps,
): Promise<boolean | void> {
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
  const branch = repository.default_branch;
  const at = { host: hostOf(repository.html_url), ...repo, branch, botLogins };
  // Under the plan's queue the issues are read again: a sync that ran meanwhile may have created some. When this
  // event joins a push's waiting sync (or a push joins it), whichever work runs is logged once, by its caller.
  const own: RunTag = { sha: null };
  const sync = async (target: PlanTarget): Promise<TaggedResult> => ({
    ...(await syncPlan(github, { ...target, config: loaded.config, context: at }, deps)),
    ranFor: own,
  });
  const target = { path, previousPath: null };
  deps.reporter?.planStarted?.(target);
  const { ranFor, ...result } = deps.planQueue
    ? await deps.planQueue.run(planKey(repo.owner, repo.repo, path), target, sync, mergeTargets)
    : {
        ...(await syncPlan(github, { ...target, config: loaded.config, context: at, issues }, deps)),
        ranFor: own,
      };
  if (ranFor === own) logResult(context.log, repo, result);
  deps.reporter?.planSynced?.(result);
  // Then the open PRs' comments, whose table of issues shows the states just changed (failures only logged).
  const prs = createPullRequestGitHub(context.octokit, repo);
  const refresh = { github, prs, path, config: loaded.config, repo: at, log: context.log };
  await refreshPullRequestComments(refresh, deps);
  // After the refresh: `writeback: pull_request` ticks the item a person closed as completed in the plan file.
  const closed = closedItemOf(context.payload, marker, loaded.config);
  if (closed) {
    const request = {
      path,
      defaultBranch: branch,
      botLogins,
      items: [closed],
      maxItems: loaded.config.max_items,
    };
    await writeBackClosedItem(context.octokit, repo, request, deps, context.log);
  }
  return result.status !== "failed" && result.status !== "paused";
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
