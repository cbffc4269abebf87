// The `plan-sync` check run: created in_progress when work starts, completed with a conclusion, a title, a
// summary and the diagnostics as annotations on the plan files' lines.
// https://docs.github.com/en/rest/checks/runs#update-a-check-run — annotations: 50 per request; summary and
// text: 65,535 characters each.
import type { GitHubClient, RepoRef } from "./client.js";

export const CHECK_NAME = "plan-sync";
export const MAX_ANNOTATIONS_PER_REQUEST = 50;
export const MAX_SUMMARY_LENGTH = 65_535;

export type CheckConclusion = "success" | "failure" | "neutral";

export interface CheckAnnotation {
  path: string;
  line: number;
  column?: number;
  level: "failure" | "warning" | "notice";
  title: string;
  message: string;
}

export interface CheckOutcome {
  conclusion: CheckConclusion;
  title: string;
  summary: string;
  annotations: CheckAnnotation[];
}

export async function startCheckRun(
  octokit: GitHubClient,
  repo: RepoRef,
  headSha: string,
  startedAt: Date,
  progress?: { title: string; summary: string },
): Promise<number> {
  const { data } = await octokit.rest.checks.create({
    ...repo,
    name: CHECK_NAME,
    head_sha: headSha,
    status: "in_progress",
    started_at: startedAt.toISOString(),
    ...(progress ? { output: progress } : {}),
  });
  return data.id;
}

/**
 * Completes the run. Annotations go 50 a request: every batch but the last in an update of the output alone,
 * the last one with the conclusion (so the run never shows complete with annotations still missing).
 */
export async function completeCheckRun(
  octokit: GitHubClient,
  repo: RepoRef,
  checkRunId: number,
  outcome: CheckOutcome,
  completedAt: Date,
): Promise<void> {
  const output = { title: outcome.title, summary: capSummary(outcome.summary) };
  const batches = batchesOf(outcome.annotations.map(toApiAnnotation), MAX_ANNOTATIONS_PER_REQUEST);
  for (const batch of batches.slice(0, -1)) {
    await octokit.rest.checks.update({
      ...repo,
      check_run_id: checkRunId,
      output: { ...output, annotations: batch },
    });
  }
  const last = batches[batches.length - 1];
  await octokit.rest.checks.update({
    ...repo,
    check_run_id: checkRunId,
    status: "completed",
    conclusion: outcome.conclusion,
    completed_at: completedAt.toISOString(),
    output: last ? { ...output, annotations: last } : output,
  });
}

/** Ids of the `plan-sync` runs still in progress on a commit (every run, not only the latest: `filter=all`). */
export async function openCheckRunsAt(octokit: GitHubClient, repo: RepoRef, sha: string): Promise<number[]> {
  const runs = await octokit.paginate(octokit.rest.checks.listForRef, {
    ...repo,
    ref: sha,
    check_name: CHECK_NAME,
    status: "in_progress",
    filter: "all",
    per_page: 100,
  });
  return runs.map((run) => run.id);
}

/** A run still in progress says how far it got (e.g. paused by a rate limit); one write, no annotations. */
export async function reportCheckRunProgress(
  octokit: GitHubClient,
  repo: RepoRef,
  checkRunId: number,
  progress: { title: string; summary: string },
): Promise<void> {
  await octokit.rest.checks.update({
    ...repo,
    check_run_id: checkRunId,
    status: "in_progress",
    output: { title: progress.title, summary: capSummary(progress.summary) },
  });
}

export function capSummary(summary: string): string {
  if (summary.length <= MAX_SUMMARY_LENGTH) return summary;
  const note = "\n\n… (truncated: the summary was longer than GitHub allows)";
  return summary.slice(0, MAX_SUMMARY_LENGTH - note.length) + note;
}

function toApiAnnotation(annotation: CheckAnnotation) {
  return {
    path: annotation.path,
    start_line: annotation.line,
    end_line: annotation.line,
    // Columns are allowed only when the annotation sits on one line (it always does here).
    ...(annotation.column === undefined
      ? {}
      : { start_column: annotation.column, end_column: annotation.column }),
    annotation_level: annotation.level,
    title: annotation.title,
    message: annotation.message,
  };
}

function batchesOf<T>(items: T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let index = 0; index < items.length; index += size) batches.push(items.slice(index, index + size));
  return batches;
}
