// `installation.created` and `installation_repositories.added`: the plans already on each repository's default
// branch are synced once (a reinstall syncs again; syncs are idempotent).
import type { Context } from "probot";
import { readConfigFile } from "../../github/index.js";
import { isPlanPath } from "../../sync/config.js";
import { loadConfig } from "../load-config.js";
import type { AppDeps } from "../deps.js";
import { hostOf } from "./repository.js";
import { reportInvalidConfig, syncPlans } from "../workflows/sync-plans.js";

type InstallationContext = Context<"installation.created" | "installation_repositories.added">;

export async function onInstalled(context: InstallationContext, deps: AppDeps): Promise<void> {
  const payload = context.payload;
  const listed = "repositories_added" in payload ? payload.repositories_added : (payload.repositories ?? []);
  for (const { full_name: fullName } of listed) {
    const [owner = "", repo = ""] = fullName.split("/");
    try {
      await syncRepository(context, { owner, repo }, deps);
    } catch (error) {
      // One repository's failure must not keep the others of the installation from syncing.
      context.log.error({ repo: fullName, error: String(error) }, "plan-sync: install sync failed");
    }
  }
}

async function syncRepository(
  context: InstallationContext,
  repo: { owner: string; repo: string },
  deps: AppDeps,
): Promise<void> {
  const github = deps.github(context.octokit, repo);
  const repository = await github.repository();
  const branch = repository.defaultBranch;
  const head = await github.branchHead(branch);
  if (!head) return; // an empty repository
  const loaded = await loadConfig(() => readConfigFile(context.octokit, repo));
  if (!loaded.ok) {
    await reportInvalidConfig(github, { repo, checkSha: head, runs: deps.runs }, loaded.errors, context.log);
    return;
  }
  const config = loaded.config;
  const { paths, truncated } = await github.listPlanPaths(head, (path) => isPlanPath(config, path));
  if (truncated) context.log.warn({ repo }, "plan-sync: tree truncated, some plans may be missed");
  if (paths.length === 0) return;
  await syncPlans(
    {
      github,
      installationId: context.payload.installation.id,
      deliveryId: context.id,
      reason: "install",
      repo: { ...repo, branch, host: hostOf(repository.htmlUrl) },
      config,
      checkSha: head,
      targets: paths.map((path) => ({ path, previousPath: null })),
      at: { sha: head },
    },
    deps,
    context.log,
  );
}
