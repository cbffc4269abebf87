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

/**
 * A failure as logs and check runs should say it: for a GitHub answer, which request got which status
 * (`POST /repos/acme/gateway/issues answered 502: Bad Gateway`), without the query or any header.
 */
export function describeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const status = statusOf(error);
  const request = (error as { request?: { method?: unknown; url?: unknown } } | null)?.request;
  if (status === undefined || typeof request?.method !== "string" || typeof request.url !== "string")
    return message;
  let path = request.url;
  try {
    path = decodeURIComponent(new URL(request.url).pathname.replace(/^\/api\/v3(?=\/)/, ""));
  } catch {
    // not an absolute URL: keep it as sent
  }
  return `${request.method} ${path} answered ${status}: ${message.replace(/ - https:\/\/docs\.github\.com\S*$/, "")}`;
}
