// Creating an issue is the one write that is not safe to repeat blindly: GitHub may commit it and still answer
// 5xx (or drop the connection). Octokit's retry plugin would then create it again. So a create goes out with
// the plugin's retries off, and before each new attempt the newest issues are read back: if one that our bot
// wrote already holds what we sent (same title and body, marker included), that is our issue. (A person's issue
// with the same text is not: copying a body must never hand its issue to plan-sync.) A duplicate that still slips through
// (committed later than the read, or older than the page read) is closed as `duplicate` by the next reconcile.
import { statusOf, type GitHubClient, type RepoRef } from "./client.js";
import type { IssueJson } from "./managed-issues.js";

export interface CreateRetryOptions {
  /** Attempts in all (the first included). */
  attempts: number;
  /** Wait before attempt n+1: `baseDelayMs × 2^(n-1)`. */
  baseDelayMs: number;
  /** How many of the newest issues are read back to find a committed create. */
  lookback: number;
}

const CREATE_RETRY: CreateRetryOptions = { attempts: 4, baseDelayMs: 500, lookback: 30 };

/** 5xx and network failures (no status): the create may or may not have been committed. */
function mayHaveCommitted(error: unknown): boolean {
  const status = statusOf(error);
  return status === undefined || status >= 500;
}

/**
 * Sends `create` (which must pass `request: { retries: 0 }` to Octokit) until it is answered, finding an
 * issue GitHub committed despite an error before trying again. Other errors (4xx) are thrown at once.
 */
export async function createOnce(
  octokit: GitHubClient,
  repo: RepoRef,
  sent: { title: string; body: string; creators: string[] },
  create: () => Promise<IssueJson>,
  options: CreateRetryOptions = CREATE_RETRY,
): Promise<IssueJson> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await create();
    } catch (error) {
      if (!mayHaveCommitted(error) || attempt >= options.attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, options.baseDelayMs * 2 ** (attempt - 1)));
      const committed = await findCommitted(octokit, repo, sent, options.lookback);
      if (committed) return committed;
    }
  }
}

async function findCommitted(
  octokit: GitHubClient,
  repo: RepoRef,
  sent: { title: string; body: string; creators: string[] },
  lookback: number,
): Promise<IssueJson | undefined> {
  const creators = new Set(sent.creators.map((login) => login.toLowerCase()));
  const { data } = await octokit.rest.issues.listForRepo({
    ...repo,
    state: "all",
    sort: "created",
    direction: "desc",
    per_page: lookback,
  });
  return (data as IssueJson[]).find(
    (issue) =>
      issue.pull_request === undefined &&
      creators.has(issue.user?.login.toLowerCase() ?? "") &&
      issue.title === sent.title &&
      issue.body === sent.body,
  );
}
