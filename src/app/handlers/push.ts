// `push` to the default branch (or a configured one) touching plan files or the config: each touched plan is
// synced at the branch head (a job per plan), under one `plan-sync` check run on the pushed commit.
import type { Context } from "probot";
import { CONFIG_FILE, CONFIG_PATH } from "../../github/index.js";
import { defaultConfig, isPlanPath } from "../../sync/config.js";
import type { AppDeps } from "../deps.js";
import { loadConfig } from "../load-config.js";
import { changesOfPush, touchedPaths, type PushChanges } from "../workflows/push-changes.js";
import { targetsOf } from "../workflows/push-targets.js";
import { reportInvalidConfig, syncPlans } from "../workflows/sync-plans.js";
import { hostOf } from "./repository.js";

/** Decides the push's run: a check run on the pushed commit and one sync job per plan it touched. */
export async function onPush(context: Context<"push">, deps: AppDeps): Promise<void> {
  const { payload } = context;
  if (payload.deleted || !payload.ref?.startsWith("refs/heads/")) return;
  const branch = payload.ref.slice("refs/heads/".length);
  const repository = payload.repository;
  const repo = {
    owner: repository.owner?.login ?? repository.full_name.split("/")[0] ?? "",
    repo: repository.name,
  };
  const github = deps.github(context.octokit, repo);
  // Asked once, and only for a push on a branch that matters: compare costs a read when the payload may be cut.
  let pushed: PushChanges | undefined;
  const changesNow = async () => (pushed ??= await changesOfPush(payload, github));
  const touchedNow = async () => {
    const changes = await changesNow();
    return changes.kind === "listed" ? touchedPaths(changes.changes) : null;
  };

  const loaded = await loadConfig(() => context.config(CONFIG_FILE));
  if (!loaded.ok) {
    const watched = { ...defaultConfig(), paths: loaded.paths };
    const touched = branch === repository.default_branch ? await touchedNow() : new Set<string>();
    const relevant =
      touched === null || touched.has(CONFIG_PATH) || [...touched].some((path) => isPlanPath(watched, path));
    if (branch === repository.default_branch && relevant) {
      const at = { repo, checkSha: payload.after, runs: deps.runs };
      await reportInvalidConfig(github, at, loaded.errors, context.log);
      deps.reporter?.configRejected?.(loaded.errors);
    }
    return;
  }
  const config = loaded.config;
  const branches = config.branches.length > 0 ? config.branches : [repository.default_branch];
  if (!branches.includes(branch)) return;
  const touched = await touchedNow();
  // Changes past what compare can tell: every plan is a candidate, as when the config changes.
  const everyPlan = touched === null || touched.has(CONFIG_PATH);
  if (!everyPlan && ![...touched].some((path) => isPlanPath(config, path))) return;

  const botLogins = await deps.botLogins();
  const { targets, notSynced } = await targetsOf(
    github,
    config,
    await changesNow(),
    everyPlan,
    payload,
    botLogins,
  );
  const host = hostOf(repository.html_url);
  const defaultBranch = branch === repository.default_branch;
  // A merge's push names its PR (GitHub's merge and squash messages do): its comment lists the issues after.
  const namesPullRequest = /Merge pull request #\d+|\(#\d+\)\s*$/m.test(payload.head_commit?.message ?? "");
  await syncPlans(
    {
      github,
      installationId: payload.installation?.id ?? null,
      deliveryId: context.id,
      reason: "push",
      repo: { ...repo, branch, host },
      config,
      checkSha: payload.after,
      targets,
      notSynced,
      staleRunsAt: [payload.before, payload.after],
      defaultBranch,
      namesPullRequest,
    },
    deps,
    context.log,
  );
}
