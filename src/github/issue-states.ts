// The state of issues a plan references (its upstream and downstream dependencies): one read each, at most
// MAX_REFERENCE_READS, for the PR comment's live states and the tracking issue's states when it is written.
import type { ReferenceState } from "../sync/model.js";
import type { IssueAddress } from "../sync/references.js";
import { rateLimitWaitOf, statusOf, type GitHubClient } from "./client.js";

/** How many referenced issues one preview or sync reads, at most (one request each). */
export const MAX_REFERENCE_READS = 20;

/** States by canonical reference; an issue the installation cannot see (404/403/410) is left out, shown as written. */
export async function readIssueStates(
  octokit: GitHubClient,
  keys: Map<string, IssueAddress>,
): Promise<Record<string, ReferenceState>> {
  const states: Record<string, ReferenceState> = {};
  for (const [key, address] of [...keys].slice(0, MAX_REFERENCE_READS)) {
    try {
      const { data } = await octokit.rest.issues.get({
        owner: address.owner,
        repo: address.repo,
        issue_number: address.number,
      });
      states[key] = { state: data.state === "closed" ? "closed" : "open", title: data.title };
    } catch (error) {
      if (rateLimitWaitOf(error) !== null) throw error; // not "cannot see it": GitHub asks us to wait
      const status = statusOf(error);
      if (status !== 404 && status !== 403 && status !== 410) throw error;
    }
  }
  return states;
}
