// The GitHub layer: the only code that talks to GitHub. Handlers get one of these per repository (no singleton),
// built by `deps.github` and nowhere else, with intent-level methods: the plan's issues and check runs here, its
// pull requests (`pulls`) and writeback branch (`writeback`) beside them; tests and benches can pass their own.
import type { ManagedIssue, ReconcileInput, ReferenceState } from "../sync/model.js";
import type { IssueAddress } from "../sync/references.js";
import type { ApplyResult } from "../sync/apply-loop.js";
import { applyPlan } from "./apply.js";
import {
  completeCheckRun,
  openCheckRunsAt,
  reportCheckRunProgress,
  startCheckRun,
  type CheckOutcome,
} from "./check-runs.js";
import type { GitHubClient, RepoRef } from "./client.js";
import { IssueLinks } from "./issue-links.js";
import { readIssueStates } from "./issue-states.js";
import { IssueWrites } from "./issue-writes.js";
import { LabelCache, labelStyles, MilestoneCache } from "./labels.js";
import { listManagedIssues } from "./managed-issues.js";
import { changedPathsBetween, type ChangedPaths } from "./changed-paths.js";
import { branchHead, listPlanPaths, readFileAt, renamesBetween, type Rename } from "./plan-files.js";
import { createPullRequestGitHub, type PullRequestGitHub } from "./pull-requests.js";
import { createWritebackGitHub, type WritebackGitHub } from "./writeback-pull-request.js";

export { ApiCallCounter } from "./api-calls.js";
export type { GitHubRequest, RequestObserver } from "./api-calls.js";
export { createPlanSyncOctokit, planSyncClient } from "./octokit.js";
export type { PlanSyncOctokit, PlanSyncOctokitOptions } from "./octokit.js";
export type { RateLimitBackoff } from "./rate-limit-backoff.js";
export type { ThrottleOptions } from "./throttle.js";
export type { CheckAnnotation, CheckOutcome } from "./check-runs.js";
export type { GitHubClient, RepoRef } from "./client.js";
export { describeFailure, limitWaitSeconds, rateLimitWaitOf } from "./client.js";
export { CONFIG_FILE, CONFIG_PATH, isUnreadableConfigError, readConfigFile } from "./config-file.js";
export type { Rename } from "./plan-files.js";
export type { ChangedPaths } from "./changed-paths.js";

export interface GitHubLayer {
  readonly repo: RepoRef;
  /** The repository's pull requests: files, our status comment, merges, the open ones. */
  readonly pulls: PullRequestGitHub;
  /** The writeback branch and pull request of `writeback: pull_request`. */
  readonly writeback: WritebackGitHub;
  /** The repository's default branch and web address (for links). */
  repository(): Promise<{ defaultBranch: string; htmlUrl: string }>;
  branchHead(branch: string): Promise<string | null>;
  readFile(sha: string, path: string): Promise<string | null>;
  listPlanPaths(
    sha: string,
    isPlan: (path: string) => boolean,
  ): Promise<{ paths: string[]; truncated: boolean }>;
  renamesBetween(base: string, head: string): Promise<Rename[] | null>;
  /** What differs between two commits (compare), or null past what compare can tell (see changed-paths.ts). */
  changedPaths(base: string, head: string, forced: boolean): Promise<ChangedPaths | null>;
  listManagedIssues(creators: string[]): Promise<ManagedIssue[]>;
  /** The state of issues a plan references, by canonical reference (at most 20 reads; unreachable ones left out). */
  readIssueStates(keys: Map<string, IssueAddress>): Promise<Record<string, ReferenceState>>;
  /** The applier protocol; labels of `labelKinds` are created with their colours on first use. */
  applyPlan(input: ReconcileInput, itemCount: number): Promise<ApplyResult>;
  /** `progress`: what the run says until it completes (e.g. that its plans are queued). */
  startCheckRun(headSha: string, progress?: { title: string; summary: string }): Promise<number>;
  /** Ids of the `plan-sync` check runs still in progress on a commit. */
  openCheckRunsAt(sha: string): Promise<number[]>;
  completeCheckRun(checkRunId: number, outcome: CheckOutcome): Promise<void>;
  /** The run stays in progress; its output says how far it got. */
  reportCheckRunProgress(checkRunId: number, progress: { title: string; summary: string }): Promise<void>;
}

export interface GitHubLayerOptions {
  now?: () => Date;
  warn?: (message: string) => void;
}

export function createGitHubLayer(
  octokit: GitHubClient,
  repo: RepoRef,
  options: GitHubLayerOptions = {},
): GitHubLayer {
  const now = options.now ?? (() => new Date());
  const warn = options.warn ?? (() => undefined);
  const milestones = new MilestoneCache(octokit, repo);
  // One label cache per run and set of label kinds (the config names them).
  const labelCaches = new Map<string, LabelCache>();
  const links = new IssueLinks(octokit);
  return {
    repo,
    pulls: createPullRequestGitHub(octokit, repo),
    writeback: createWritebackGitHub(octokit, repo),
    async repository() {
      const { data } = await octokit.rest.repos.get({ ...repo });
      return { defaultBranch: data.default_branch, htmlUrl: data.html_url };
    },
    branchHead: (branch) => branchHead(octokit, repo, branch),
    readFile: (sha, path) => readFileAt(octokit, repo, sha, path),
    listPlanPaths: (sha, isPlan) => listPlanPaths(octokit, repo, sha, isPlan),
    renamesBetween: (base, head) => renamesBetween(octokit, repo, base, head),
    changedPaths: (base, head, forced) => changedPathsBetween(octokit, repo, base, head, forced),
    listManagedIssues: (creators) => listManagedIssues(octokit, repo, creators),
    readIssueStates: (keys) => readIssueStates(octokit, keys),
    applyPlan(input, itemCount) {
      const kinds = input.config.labels;
      const key = JSON.stringify(kinds);
      const labels = labelCaches.get(key) ?? new LabelCache(octokit, repo, labelStyles(kinds));
      labelCaches.set(key, labels);
      const writes = new IssueWrites(octokit, repo, labels, milestones, warn, input.context.botLogins);
      return applyPlan(input, { writes, links }, itemCount);
    },
    startCheckRun: (headSha, progress) => startCheckRun(octokit, repo, headSha, now(), progress),
    openCheckRunsAt: (sha) => openCheckRunsAt(octokit, repo, sha),
    completeCheckRun: (checkRunId, outcome) => completeCheckRun(octokit, repo, checkRunId, outcome, now()),
    reportCheckRunProgress: (checkRunId, progress) =>
      reportCheckRunProgress(octokit, repo, checkRunId, progress),
  };
}
