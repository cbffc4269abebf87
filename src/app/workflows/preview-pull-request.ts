// Preview a pull request (SPEC.md §2 "Pull requests"): a dry run of every plan the PR touches at its head, shown
// in one status comment and a `plan-sync` check run. The same preview refreshes the comment after an issue event
// (refresh-pr-comments.ts). Nothing here writes to an issue.
import type { Logger } from "probot";
import { CONFIG_PATH, describeFailure, type GitHubLayer } from "../../github/index.js";
import type { PullRequestFile, PullRequestGitHub } from "../../github/pull-requests.js";
import { defaultConfig, isPlanPath, type Config } from "../../sync/config.js";
import type { ManagedIssue, RepoContext } from "../../sync/model.js";
import {
  isStatusComment,
  renderConfigErrorComment,
  renderNoPlansComment,
  renderPreviewComment,
} from "../../sync/pr-comment.js";
import { previewPlan, type PlanPreview } from "../../sync/pr-preview.js";
import { referencedIssues, type IssueAddress } from "../../sync/references.js";
import type { AppDeps } from "../deps.js";
import type { loadConfig } from "../load-config.js";
import { reportOfPreview, reportOfPreviewFailure } from "./preview-check-run.js";
import { reportOfInvalidConfig } from "./sync-check-run.js";

/** A plan file the PR touches, as the preview reads it. */
export interface PreviewTarget {
  path: string;
  previousPath: string | null;
  /** Deleted by the PR (or renamed to a path that is not a plan). */
  removed: boolean;
}

export interface PreviewRun {
  github: GitHubLayer;
  prs: PullRequestGitHub;
  number: number;
  /** `sha`: the PR head commit. */
  repo: RepoContext;
  log: Logger;
  parsePlan: AppDeps["parsePlan"];
  reporter?: AppDeps["reporter"];
}

export async function previewPullRequest(
  run: PreviewRun,
  readConfig: () => ReturnType<typeof loadConfig>,
): Promise<void> {
  const { github, prs, repo } = run;
  const loaded = await readConfig();
  const files = await prs.listFiles(run.number);
  const findComment = () => prs.findStatusComment(run.number, repo.botLogins, isStatusComment);
  if (!loaded.ok) {
    const watched = { ...defaultConfig(), paths: loaded.paths };
    if (!files.some((file) => file.path === CONFIG_PATH || targetsOf([file], watched).length > 0)) return;
    run.log.warn({ errors: loaded.errors }, "plan-sync: invalid .github/plan-sync.yml, nothing previewed");
    const checkRunId = await github.startCheckRun(repo.sha);
    await prs.upsertStatusComment(
      run.number,
      await findComment(),
      renderConfigErrorComment(repo, loaded.errors),
    );
    await github.completeCheckRun(checkRunId, reportOfInvalidConfig(loaded.errors));
    run.reporter?.configRejected?.(loaded.errors);
    return;
  }
  const config = loaded.config;
  const targets = targetsOf(files, config);
  if (targets.length === 0) {
    // Only a PR that touched plans before has our comment; it now says the PR no longer does.
    const existing = await findComment();
    if (existing) await prs.upsertStatusComment(run.number, existing, renderNoPlansComment(repo));
    return;
  }
  const checkRunId = await github.startCheckRun(repo.sha);
  try {
    const issues = await github.listManagedIssues(repo.botLogins);
    const { body, previews } = await renderPreview(run, config, targets, issues);
    await prs.upsertStatusComment(run.number, await findComment(), body);
    await github.completeCheckRun(checkRunId, reportOfPreview(previews));
    run.reporter?.pullRequestPreviewed?.({ number: run.number, comment: body, previews });
  } catch (error) {
    await github.completeCheckRun(checkRunId, reportOfPreviewFailure(describeFailure(error)));
    throw error;
  }
}

/**
 * The status comment's body for the plans the PR touches at `run.repo.sha`, and the previews its check run
 * reports. Reads each plan file at that commit and the live state of the issues the plans reference.
 */
export async function renderPreview(
  run: PreviewRun,
  config: Config,
  targets: PreviewTarget[],
  issues: ManagedIssue[],
): Promise<{ body: string; previews: PlanPreview[] }> {
  const { github, repo } = run;
  const previews: PlanPreview[] = [];
  for (const target of targets) {
    const text = target.removed ? null : await github.readFile(repo.sha, target.path);
    const plan =
      text === null ? null : await run.parsePlan(text, { path: target.path, maxItems: config.max_items });
    previews.push(previewPlan({ ...target, plan, config, issues, context: repo }));
  }
  const referenceStates = await run.prs.readIssueStates(referencesOf(previews, repo));
  return { body: renderPreviewComment({ repo, config, referenceStates, plans: previews }), previews };
}

/**
 * The plan files among the PR's changes: added, modified and removed ones, a rename under its new path with the
 * old one as `previousPath` (its issues follow it), a plan renamed to a path outside `paths` as removed.
 */
export function targetsOf(files: PullRequestFile[], config: Config): PreviewTarget[] {
  const targets: PreviewTarget[] = [];
  for (const file of files) {
    const isPlan = isPlanPath(config, file.path);
    const wasPlan = file.previousPath !== null && isPlanPath(config, file.previousPath);
    if (isPlan)
      targets.push({
        path: file.path,
        previousPath: wasPlan ? file.previousPath : null,
        removed: file.status === "removed",
      });
    else if (wasPlan) targets.push({ path: file.previousPath as string, previousPath: null, removed: true });
  }
  return targets.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Issues named by the plans' dependency sections, to show their live state. */
function referencesOf(previews: PlanPreview[], repo: RepoContext): Map<string, IssueAddress> {
  return new Map(
    previews.flatMap((preview) => (preview.plan ? [...referencedIssues(preview.plan, repo)] : [])),
  );
}
