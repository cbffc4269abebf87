// What the demo shows of the fake GitHub: the issues as GitHub reports them, grouped by the plan their hidden
// marker names, and the API calls the app made. Read through the fake's public facade only.
import { decodeMarker } from "../src/sync/index.js";
import type { FakeGitHub, LoggedRequest } from "../test/support/fake-github/index.js";

export interface IssueView {
  number: number;
  title: string;
  state: string;
  stateReason: string | null;
  labels: string[];
  assignees: string[];
  blockedBy: number[];
  parent: number | null;
  /** From the marker: tracking, phase, step or question; null for an issue plan-sync does not manage. */
  kind: string | null;
  /** From the marker: the plan's id (its path when first synced). */
  plan: string | null;
  /** Tracking issue only: the plan file's current path. */
  path: string | null;
  body: string;
}

export interface PlanView {
  /** The plan file's current path (the tracking issue's), else its id. */
  path: string;
  tracking: IssueView | null;
  /** Every issue of the plan, the tracking issue first, then by number. */
  issues: IssueView[];
}

export function issuesOf(fake: FakeGitHub, repo: string): IssueView[] {
  return fake.issues(repo).map((issue) => {
    const marker = decodeMarker(issue.body);
    return {
      number: issue.number,
      title: issue.title,
      state: issue.state,
      stateReason: issue.state_reason,
      labels: issue.labels.map((label) => (typeof label === "string" ? label : label.name)),
      assignees: issue.assignees.map((user) => user.login),
      blockedBy: fake.blockedBy(repo, issue.number),
      parent: numberAtEndOf(issue.parent_issue_url),
      kind: marker?.kind ?? null,
      plan: marker?.plan ?? null,
      path: marker?.path ?? null,
      body: issue.body ?? "",
    };
  });
}

export function plansOf(issues: IssueView[]): PlanView[] {
  const byPlan = new Map<string, IssueView[]>();
  for (const issue of issues) {
    if (issue.plan === null) continue;
    byPlan.set(issue.plan, [...(byPlan.get(issue.plan) ?? []), issue]);
  }
  return [...byPlan].map(([plan, members]) => {
    const tracking = members.find((issue) => issue.kind === "tracking") ?? null;
    const rest = members.filter((issue) => issue !== tracking);
    return { path: tracking?.path ?? plan, tracking, issues: tracking ? [tracking, ...rest] : rest };
  });
}

/** `#6 open` or `#6 closed (completed)`. */
export function stateOf(issue: Pick<IssueView, "state" | "stateReason">): string {
  return issue.state === "closed" && issue.stateReason ? `closed (${issue.stateReason})` : issue.state;
}

export interface CallTotals {
  reads: number;
  writes: number;
  /** Installation-token requests: authentication, not work. */
  auth: number;
  /** `POST /repos/{owner}/{repo}/issues` → count, in first-seen order. */
  readsByRoute: Array<[string, number]>;
  writesByRoute: Array<[string, number]>;
}

const TOKEN_ROUTE = "/app/installations/{installation_id}/access_tokens";

export function callTotals(requests: LoggedRequest[]): CallTotals {
  const reads = new Map<string, number>();
  const writes = new Map<string, number>();
  let auth = 0;
  for (const request of requests) {
    if (request.route === TOKEN_ROUTE) {
      auth++;
      continue;
    }
    const table = request.method === "GET" ? reads : writes;
    const key = `${request.method} ${request.route ?? request.path}`;
    table.set(key, (table.get(key) ?? 0) + 1);
  }
  const sum = (table: Map<string, number>) => [...table.values()].reduce((total, n) => total + n, 0);
  return {
    reads: sum(reads),
    writes: sum(writes),
    auth,
    readsByRoute: [...reads],
    writesByRoute: [...writes],
  };
}

function numberAtEndOf(url: string | null | undefined): number | null {
  const match = /\/(\d+)$/.exec(url ?? "");
  return match ? Number(match[1]) : null;
}
