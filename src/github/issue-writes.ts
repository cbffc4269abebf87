// One write per call: create, update, close, reopen, comment. Each answers the issue as GitHub now holds it, so
// the applier's snapshot is what GitHub says, not what we meant to send.
import type { IssueChanges, ManagedIssue } from "../sync/model.js";
import type { GitHubClient, RepoRef } from "./client.js";
import type { LabelCache, MilestoneCache } from "./labels.js";
import { toManagedIssue, type IssueJson } from "./managed-issues.js";
import { createOnce } from "./retry.js";

export interface NewIssue {
  title: string;
  body: string;
  labels: string[];
  assignees: string[];
  milestone: string | null;
}

type PatchFields = {
  title?: string;
  body?: string;
  labels?: string[];
  assignees?: string[];
  milestone?: number;
  state?: "open" | "closed";
  state_reason?: "completed" | "not_planned" | "duplicate" | "reopened";
};

export class IssueWrites {
  constructor(
    private readonly octokit: GitHubClient,
    private readonly repo: RepoRef,
    private readonly labels: LabelCache,
    private readonly milestones: MilestoneCache,
    private readonly warn: (message: string) => void,
    /** Logins our issues are created as: only their issues can be a create GitHub committed despite an error. */
    private readonly creators: string[],
  ) {}

  async create(issue: NewIssue): Promise<ManagedIssue> {
    await this.labels.ensure(issue.labels);
    const milestone = issue.milestone === null ? null : await this.milestoneNumber(issue.milestone);
    // Not retried by Octokit: a create GitHub committed but answered 5xx would be made twice (see retry.ts).
    const sent = { title: issue.title, body: issue.body, creators: this.creators };
    const data = await createOnce(this.octokit, this.repo, sent, async () => {
      const { data: created } = await this.octokit.rest.issues.create({
        ...this.repo,
        title: issue.title,
        body: issue.body,
        labels: issue.labels,
        assignees: issue.assignees,
        ...(milestone === null ? {} : { milestone }),
        request: { retries: 0 },
      });
      return created as IssueJson;
    });
    return toManagedIssue(data);
  }

  /** One PATCH with the changes (and the state change, if any); nothing is sent when there is nothing to change. */
  async update(
    number: number,
    changes: IssueChanges,
    state: Pick<PatchFields, "state" | "state_reason"> = {},
  ): Promise<ManagedIssue | null> {
    const fields: PatchFields = { ...state };
    if (changes.title !== undefined) fields.title = changes.title;
    if (changes.body !== undefined) fields.body = changes.body;
    if (changes.labels !== undefined) {
      await this.labels.ensure(changes.labels);
      fields.labels = changes.labels;
    }
    if (changes.assignees !== undefined) fields.assignees = changes.assignees;
    if (changes.milestone !== undefined) {
      const milestone = await this.milestoneNumber(changes.milestone);
      if (milestone !== null) fields.milestone = milestone;
    }
    if (Object.keys(fields).length === 0) return null;
    const { data } = await this.octokit.rest.issues.update({ ...this.repo, issue_number: number, ...fields });
    return toManagedIssue(data as IssueJson);
  }

  async comment(number: number, body: string): Promise<void> {
    await this.octokit.rest.issues.createComment({ ...this.repo, issue_number: number, body });
  }

  private async milestoneNumber(title: string): Promise<number | null> {
    const number = await this.milestones.numberOf(title);
    if (number === null)
      this.warn(`milestone "${title}" does not exist in ${this.repo.owner}/${this.repo.repo}: left off`);
    return number;
  }
}
