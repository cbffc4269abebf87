// Reading the issues plan-sync may manage: one paginated list (100 a page) of the issues our bot created, never
// a search per item. Filtering by creator, not by label: a person may remove our label, never the author.
// reconcile then trusts only issues whose author is our bot AND whose body carries our marker.
import { decodeMarker } from "../sync/marker.js";
import type { CloseReason, ManagedIssue } from "../sync/model.js";
import type { GitHubClient, RepoRef } from "./client.js";

/** The fields of GitHub's issue JSON we read (checked at runtime: the response is not trusted blindly). */
export interface IssueJson {
  id: number;
  number: number;
  title: string;
  body?: string | null;
  state: string;
  state_reason?: string | null;
  labels?: Array<string | { name?: string | null }>;
  assignees?: Array<{ login: string }> | null;
  milestone?: { number: number; title: string } | null;
  user?: { login: string } | null;
  pull_request?: unknown;
  parent_issue_url?: string | null;
  issue_dependencies_summary?: { total_blocked_by?: number } | null;
}

const CLOSE_REASONS = new Set(["completed", "not_planned", "duplicate", "reopened"]);

export function toManagedIssue(json: IssueJson): ManagedIssue {
  const body = json.body ?? "";
  const issue: ManagedIssue = {
    id: json.id,
    number: json.number,
    title: json.title,
    body,
    state: json.state === "closed" ? "closed" : "open",
    stateReason: CLOSE_REASONS.has(json.state_reason ?? "")
      ? (json.state_reason as CloseReason | "reopened")
      : null,
    labels: (json.labels ?? [])
      .map((label) => (typeof label === "string" ? label : (label.name ?? "")))
      .filter((name) => name !== ""),
    assignees: (json.assignees ?? []).map((user) => user.login),
    milestone: json.milestone ? { number: json.milestone.number, title: json.milestone.title } : null,
    authorLogin: json.user?.login ?? "",
    marker: decodeMarker(body),
  };
  // Observed links only when the response carries the fields (GitHub Enterprise without sub-issues does not):
  // reconcile then trusts what its marker recorded instead of re-sending links every sync.
  if ("parent_issue_url" in json) issue.parentNumber = issueNumberOfUrl(json.parent_issue_url ?? null);
  const blockedBy = json.issue_dependencies_summary?.total_blocked_by;
  if (typeof blockedBy === "number") issue.blockedByCount = blockedBy;
  return issue;
}

function issueNumberOfUrl(url: string | null): number | null {
  const match = url ? /\/issues\/(\d+)$/.exec(url) : null;
  return match?.[1] ? Number(match[1]) : null;
}

/** Every issue (open and closed) created by one of `creators`, as ManagedIssue, pull requests left out. */
export async function listManagedIssues(
  octokit: GitHubClient,
  repo: RepoRef,
  creators: string[],
): Promise<ManagedIssue[]> {
  const issues: ManagedIssue[] = [];
  for (const creator of creators) {
    const pages = octokit.paginate.iterator(octokit.rest.issues.listForRepo, {
      ...repo,
      creator,
      state: "all",
      per_page: 100,
      sort: "created",
      direction: "asc",
    });
    for await (const page of pages) {
      for (const json of page.data as IssueJson[]) {
        if (json.pull_request === undefined) issues.push(toManagedIssue(json));
      }
    }
  }
  return issues;
}
