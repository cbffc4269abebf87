// The refresh of open PRs' status comments after an issue event, on in-memory pull requests (no HTTP): which PRs
// it reads and writes, and how it gives way to a PR's own event under the PR's queue key.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  MAX_REFRESHED_PULL_REQUESTS,
  refreshPullRequestComments,
  type PullRequestRefresh,
} from "../../../src/app/workflows/refresh-pr-comments.js";
import type { GitHubLayer } from "../../../src/github/index.js";
import type {
  OpenPullRequest,
  PullRequestFile,
  PullRequestGitHub,
  StatusComment,
} from "../../../src/github/pull-requests.js";
import { parsePlan } from "../../../src/plan/parse.js";
import { defaultConfig } from "../../../src/sync/config.js";
import { commentStateOf, renderNoPlansComment } from "../../../src/sync/pr-comment.js";

const PLAN = readFileSync(new URL("../../fixtures/plans/rate-limiter.md", import.meta.url), "utf8");
const PATH = "plans/rate-limiter.md";
const REPO = {
  host: "github.com",
  owner: "acme",
  repo: "gateway",
  branch: "main",
  botLogins: ["plan-sync[bot]"],
};
const HEAD = "a".repeat(40);

interface MemoryPull extends OpenPullRequest {
  files: PullRequestFile[];
  comment: StatusComment | null;
}

const modified = (path: string): PullRequestFile => ({ path, status: "modified", previousPath: null });
/** A comment of ours showing `sha` (its body differs from any preview, so a refresh writes). */
const commentAt = (id: number, sha: string): StatusComment => ({
  id,
  body: renderNoPlansComment({ ...REPO, sha }),
});

/** Open PRs in memory; every call recorded in order. */
class MemoryPullRequests implements PullRequestGitHub {
  readonly calls: string[] = [];
  constructor(readonly pulls: MemoryPull[]) {}

  async listOpen(base: string, limit: number) {
    this.calls.push(`list open into ${base}, ${limit}`);
    return this.pulls.map(({ number, headSha }) => ({ number, headSha }));
  }
  async listFiles(number: number) {
    this.calls.push(`files #${number}`);
    return this.pull(number).files;
  }
  async findStatusComment(number: number) {
    this.calls.push(`comment #${number}`);
    return this.pull(number).comment;
  }
  async upsertStatusComment(number: number, existing: StatusComment | null, body: string) {
    this.calls.push(`upsert #${number}`);
    if (existing?.body === body) return false;
    this.pull(number).comment = { id: existing?.id ?? 0, body };
    return true;
  }
  async readIssueStates() {
    this.calls.push("reference states");
    return {};
  }
  async mergedPullRequestsOf(): Promise<number[]> {
    throw new Error("not used by the refresh");
  }
  private pull(number: number): MemoryPull {
    const found = this.pulls.find((pull) => pull.number === number);
    if (!found) throw new Error(`no PR #${number}`);
    return found;
  }
}

/** `warnings`: where the log's warnings go (their arguments). */
function refreshOf(prs: MemoryPullRequests, warnings: unknown[][] = []): PullRequestRefresh {
  const github = {
    readFile: async (sha: string, path: string) => {
      prs.calls.push(`read ${path}@${sha.slice(0, 1)}`);
      return PLAN;
    },
    listManagedIssues: async () => {
      prs.calls.push("issues");
      return [];
    },
  } as Partial<GitHubLayer> as GitHubLayer;
  const warn = (...args: unknown[]) => void warnings.push(args);
  const log = { info() {}, warn } as unknown as PullRequestRefresh["log"];
  return { github, prs, path: PATH, config: defaultConfig(), repo: REPO, log };
}

describe("refreshPullRequestComments", () => {
  it("previews every PR that touches the plan (a rename from its path too); others only have their files read", async () => {
    const prs = new MemoryPullRequests([
      { number: 13, headSha: HEAD, files: [modified("plans/other.md")], comment: commentAt(3, HEAD) },
      {
        number: 12,
        headSha: HEAD,
        files: [{ path: "plans/limiter.md", status: "renamed", previousPath: PATH }],
        comment: commentAt(2, HEAD),
      },
      { number: 11, headSha: HEAD, files: [modified(PATH)], comment: commentAt(1, HEAD) },
    ]);
    const outcomes = await refreshPullRequestComments(refreshOf(prs), { parsePlan });
    expect(Object.fromEntries(outcomes)).toEqual({ 12: "written", 11: "written" });
    expect(prs.calls).toEqual([
      `list open into main, ${MAX_REFRESHED_PULL_REQUESTS}`,
      "files #13",
      "files #12",
      "comment #12",
      "issues",
      "read plans/limiter.md@a",
      "reference states",
      "upsert #12",
      "files #11",
      "comment #11",
      "issues",
      "read plans/rate-limiter.md@a",
      "reference states",
      "upsert #11",
    ]);
    expect(commentStateOf(prs.pulls[2]?.comment?.body ?? "")?.plans.map((plan) => plan.path)).toEqual([PATH]);
    expect(MAX_REFRESHED_PULL_REQUESTS).toBe(10);
  });

  it("a comment at another commit, or none, is not written; a failing PR does not stop the next", async () => {
    const prs = new MemoryPullRequests([
      { number: 14, headSha: HEAD, files: [modified(PATH)], comment: commentAt(4, "b".repeat(40)) },
      { number: 13, headSha: HEAD, files: [modified(PATH)], comment: null },
      { number: 12, headSha: HEAD, files: [modified(PATH)], comment: commentAt(2, HEAD) },
      { number: 11, headSha: HEAD, files: [modified(PATH)], comment: commentAt(1, HEAD) },
    ]);
    const listFiles = prs.listFiles.bind(prs);
    prs.listFiles = async (number) => {
      if (number === 12) throw new Error("GET files answered 502");
      return listFiles(number);
    };
    const warnings: unknown[][] = [];
    const outcomes = await refreshPullRequestComments(refreshOf(prs, warnings), { parsePlan });
    expect(Object.fromEntries(outcomes)).toEqual({ 14: "other commit", 13: "no comment", 11: "written" });
    expect(prs.calls.filter((call) => call.startsWith("upsert"))).toEqual(["upsert #11"]);
    expect(warnings.map(([fields, message]) => [(fields as { pull: number }).pull, message])).toEqual([
      [12, "plan-sync: status comment of #12 not refreshed: GET files answered 502"],
    ]);
  });
});
