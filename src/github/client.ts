// The one Octokit type the GitHub layer takes: Probot's context.octokit and a plain @octokit/rest client (Action
// mode, benches) both fit it.
import type { Octokit } from "@octokit/rest";

/** What the layer uses of an Octokit (structural: ProbotOctokit lacks the legacy top-level endpoint methods). */
export type GitHubClient = Pick<Octokit, "rest" | "paginate" | "hook" | "request">;

/** A repository, as every request names it. */
export interface RepoRef {
  owner: string;
  repo: string;
}

/** The HTTP status of an Octokit RequestError, or undefined for anything else (network errors, bugs). */
export function statusOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("status" in error)) return undefined;
  const status = (error as { status: unknown }).status;
  return typeof status === "number" ? status : undefined;
}
