// Native sub-issues and "blocked by" dependencies. Both APIs name the other issue by its REST id, not its number.
// Where GitHub does not offer them (404: not on this GitHub; 403: no permission; 422: a cap reached, a
// cross-repository link refused, or the link already there) the sync carries on: every body already says the
// same in text (the tracking issue's task list of steps, a step's `Blocked by #N` lines).
// https://docs.github.com/en/rest/issues/sub-issues · https://docs.github.com/en/rest/issues/issue-dependencies
import type { LinkOutcome } from "../sync/apply-loop.js";
import type { IssueTarget } from "../sync/model.js";
import { rateLimitWaitOf, statusOf, type GitHubClient } from "./client.js";

// A link write's outcome (LinkOutcome): `unreachable` on 403/404/410, `rejected` on 422.
const UNREACHABLE_STATUSES = new Set([403, 404, 410]);

/** Runs a link write; the statuses of an unavailable or refused link give their outcome, anything else throws. */
async function linkWrite(write: () => Promise<unknown>): Promise<LinkOutcome> {
  try {
    await write();
    return "linked";
  } catch (error) {
    const status = statusOf(error);
    // A rate limit (403/429) says nothing about the link: the sync stops and pauses, the link is tried again.
    if (rateLimitWaitOf(error) !== null) throw error;
    if (status === 422) return "rejected";
    if (status !== undefined && UNREACHABLE_STATUSES.has(status)) return "unreachable";
    throw error;
  }
}

export class IssueLinks {
  /** Ids of issues looked up by number this run (issues outside the plan). */
  private readonly ids = new Map<string, number | null>();

  constructor(private readonly octokit: GitHubClient) {}

  /** The REST id of a target: known already, or one read of the issue (null when it cannot be reached). */
  async idOf(target: IssueTarget): Promise<number | null> {
    if (target.id !== null) return target.id;
    const key = `${target.owner}/${target.repo}#${target.number}`.toLowerCase();
    if (this.ids.has(key)) return this.ids.get(key) ?? null;
    let id: number | null = null;
    try {
      const { data } = await this.octokit.rest.issues.get({
        owner: target.owner,
        repo: target.repo,
        issue_number: target.number,
      });
      id = data.id;
    } catch (error) {
      const status = statusOf(error);
      if (rateLimitWaitOf(error) !== null) throw error;
      if (status === undefined || !(UNREACHABLE_STATUSES.has(status) || status === 422)) throw error;
    }
    this.ids.set(key, id);
    return id;
  }

  async addSubIssue(parent: IssueTarget, child: IssueTarget, replaceParent: boolean): Promise<LinkOutcome> {
    const childId = await this.idOf(child);
    if (childId === null) return "unreachable";
    return linkWrite(() =>
      this.octokit.rest.issues.addSubIssue({
        owner: parent.owner,
        repo: parent.repo,
        issue_number: parent.number,
        sub_issue_id: childId,
        ...(replaceParent ? { replace_parent: true } : {}),
      }),
    );
  }

  async removeSubIssue(parent: IssueTarget, child: IssueTarget): Promise<LinkOutcome> {
    const childId = await this.idOf(child);
    if (childId === null) return "unreachable";
    return linkWrite(() =>
      this.octokit.rest.issues.removeSubIssue({
        owner: parent.owner,
        repo: parent.repo,
        issue_number: parent.number,
        sub_issue_id: childId,
      }),
    );
  }

  async addBlockedBy(issue: IssueTarget, blocker: IssueTarget): Promise<LinkOutcome> {
    const blockerId = await this.idOf(blocker);
    if (blockerId === null) return "unreachable";
    return linkWrite(() =>
      this.octokit.rest.issues.addBlockedByDependency({
        owner: issue.owner,
        repo: issue.repo,
        issue_number: issue.number,
        issue_id: blockerId,
      }),
    );
  }

  async removeBlockedBy(issue: IssueTarget, blocker: IssueTarget): Promise<LinkOutcome> {
    const blockerId = await this.idOf(blocker);
    if (blockerId === null) return "unreachable";
    return linkWrite(() =>
      this.octokit.rest.issues.removeDependencyBlockedBy({
        owner: issue.owner,
        repo: issue.repo,
        issue_number: issue.number,
        issue_id: blockerId,
      }),
    );
  }
}
