import { blocking } from "./issue-rules.js";
import type {
  Account,
  AppRecord,
  CheckRun,
  Comment,
  Installation,
  Issue,
  Label,
  Repo,
  Store,
} from "./store.js";
import type { Commit, FileDiff } from "./git.js";

/** Renders stored objects the way GitHub's REST API shows them (the fields clients read, not all of them). */
export class Shapes {
  constructor(
    private readonly store: Store,
    /** e.g. http://127.0.0.1:1234/api/v3 and http://127.0.0.1:1234 */
    private readonly urls: () => { api: string; html: string },
  ) {}

  get api() {
    return this.urls().api;
  }

  get html() {
    return this.urls().html;
  }

  user(account: Account) {
    return {
      login: account.login,
      id: account.id,
      node_id: nodeId("U", account.id),
      type: account.type,
      site_admin: false,
      url: `${this.api}/users/${account.login}`,
      html_url: `${this.html}/${account.login}`,
      avatar_url: `${this.html}/avatars/${account.id}`,
    };
  }

  app(app: AppRecord) {
    return {
      id: app.id,
      slug: app.slug,
      node_id: nodeId("A", app.id),
      name: app.name,
      owner: this.user(app.bot),
      html_url: `${this.html}/apps/${app.slug}`,
      permissions: {
        contents: "read",
        issues: "write",
        pull_requests: "write",
        checks: "write",
        metadata: "read",
      },
      events: ["push", "pull_request", "issues", "installation", "installation_repositories"],
    };
  }

  installation(installation: Installation) {
    const app = this.store.apps.get(installation.appId);
    return {
      id: installation.id,
      app_id: installation.appId,
      app_slug: app?.slug,
      account: this.user(installation.account),
      target_type: installation.account.type,
      repository_selection: "selected",
      permissions: app ? this.app(app).permissions : {},
      events: app ? this.app(app).events : [],
      access_tokens_url: `${this.api}/app/installations/${installation.id}/access_tokens`,
      html_url: `${this.html}/settings/installations/${installation.id}`,
    };
  }

  repo(repo: Repo) {
    const api = `${this.api}/repos/${repo.fullName}`;
    return {
      id: repo.id,
      node_id: nodeId("R", repo.id),
      name: repo.name,
      full_name: repo.fullName,
      owner: this.user(repo.owner),
      private: repo.private,
      visibility: repo.private ? "private" : "public",
      fork: false,
      archived: false,
      disabled: false,
      default_branch: repo.defaultBranch,
      html_url: `${this.html}/${repo.fullName}`,
      url: api,
      issues_url: `${api}/issues{/number}`,
      has_issues: true,
      created_at: repo.createdAt,
      updated_at: repo.createdAt,
      pushed_at: repo.createdAt,
      permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
    };
  }

  label(repo: Repo, label: Label) {
    return {
      id: label.id,
      node_id: nodeId("LA", label.id),
      url: `${this.api}/repos/${repo.fullName}/labels/${encodeURIComponent(label.name)}`,
      name: label.name,
      color: label.color,
      description: label.description,
      default: false,
    };
  }

  issue(issue: Issue) {
    const { repo } = issue;
    const api = `${this.api}/repos/${repo.fullName}/issues/${issue.number}`;
    const children = (this.store.subIssues.get(issue.id) ?? []).map((id) => this.store.issueById(id));
    const completed = children.filter((child) => child.state === "closed").length;
    const parentId = this.store.parentOf.get(issue.id);
    const parent = parentId === undefined ? undefined : this.store.issues.get(parentId);
    const blockedBy = this.store.blockedBy.get(issue.id) ?? [];
    const blocks = blocking(this.store, issue);
    const milestone = repo.milestones.find((m) => m.number === issue.milestone);
    const kind = issue.pull ? "pull" : "issues";
    return {
      id: issue.id,
      node_id: nodeId(issue.pull ? "PR" : "I", issue.id),
      url: api,
      repository_url: `${this.api}/repos/${repo.fullName}`,
      comments_url: `${api}/comments`,
      html_url: `${this.html}/${repo.fullName}/${kind}/${issue.number}`,
      number: issue.number,
      state: issue.state,
      state_reason: issue.stateReason,
      title: issue.title,
      body: issue.body,
      user: this.user(issue.user),
      labels: issue.labels.map((name) => {
        const label = this.store.label(repo, name);
        return label ? this.label(repo, label) : { name };
      }),
      assignee: issue.assignees[0] ? this.user(this.store.user(issue.assignees[0])) : null,
      assignees: issue.assignees.map((login) => this.user(this.store.user(login))),
      milestone: milestone
        ? { id: milestone.id, number: milestone.number, title: milestone.title, state: milestone.state }
        : null,
      locked: false,
      comments: this.store.commentsOf(issue).length,
      ...(issue.pull
        ? { pull_request: { url: `${this.api}/repos/${repo.fullName}/pulls/${issue.number}` } }
        : {}),
      closed_at: issue.closedAt,
      closed_by: issue.closedBy ? this.user(issue.closedBy) : null,
      created_at: issue.createdAt,
      updated_at: issue.updatedAt,
      author_association: issue.viaApp ? "NONE" : "MEMBER",
      performed_via_github_app: issue.viaApp ? this.app(issue.viaApp) : null,
      sub_issues_summary: {
        total: children.length,
        completed,
        percent_completed: children.length === 0 ? 0 : Math.floor((completed * 100) / children.length),
      },
      parent_issue_url: parent ? `${this.api}/repos/${parent.repo.fullName}/issues/${parent.number}` : null,
      issue_dependencies_summary: {
        blocked_by: blockedBy.filter((id) => this.store.issues.get(id)?.state === "open").length,
        blocking: blocks.filter((id) => this.store.issues.get(id)?.state === "open").length,
        total_blocked_by: blockedBy.length,
        total_blocking: blocks.length,
      },
    };
  }

  comment(comment: Comment) {
    const { repo, number } = comment.issue;
    return {
      id: comment.id,
      node_id: nodeId("IC", comment.id),
      url: `${this.api}/repos/${repo.fullName}/issues/comments/${comment.id}`,
      html_url: `${this.html}/${repo.fullName}/issues/${number}#issuecomment-${comment.id}`,
      issue_url: `${this.api}/repos/${repo.fullName}/issues/${number}`,
      body: comment.body,
      user: this.user(comment.user),
      created_at: comment.createdAt,
      updated_at: comment.updatedAt,
      author_association: comment.viaApp ? "NONE" : "MEMBER",
      performed_via_github_app: comment.viaApp ? this.app(comment.viaApp) : null,
    };
  }

  checkRun(run: CheckRun) {
    const api = `${this.api}/repos/${run.repo.fullName}/check-runs/${run.id}`;
    return {
      id: run.id,
      node_id: nodeId("CR", run.id),
      head_sha: run.headSha,
      external_id: run.externalId,
      url: api,
      html_url: `${this.html}/${run.repo.fullName}/runs/${run.id}`,
      details_url: run.detailsUrl,
      status: run.status,
      conclusion: run.conclusion,
      started_at: run.startedAt,
      completed_at: run.completedAt,
      name: run.name,
      output: {
        ...run.output,
        annotations_count: run.annotations.length,
        annotations_url: `${api}/annotations`,
      },
      check_suite: { id: run.id },
      app: run.app ? this.app(run.app) : null,
      pull_requests: [],
    };
  }

  commit(repo: Repo, commit: Commit, files?: FileDiff[]) {
    const api = `${this.api}/repos/${repo.fullName}`;
    return {
      sha: commit.sha,
      node_id: nodeId("C", commit.sha),
      url: `${api}/commits/${commit.sha}`,
      html_url: `${this.html}/${repo.fullName}/commit/${commit.sha}`,
      commit: {
        message: commit.message,
        author: commit.author,
        committer: commit.author,
        tree: { sha: commit.treeSha, url: `${api}/git/trees/${commit.treeSha}` },
        url: `${api}/git/commits/${commit.sha}`,
      },
      author: null,
      committer: null,
      parents: commit.parents.map((sha) => ({ sha, url: `${api}/commits/${sha}` })),
      ...(files ? { files: files.map((file) => this.fileDiff(repo, commit, file)) } : {}),
    };
  }

  fileDiff(repo: Repo, head: Commit, file: FileDiff) {
    const raw = `${this.html}/${repo.fullName}/raw/${head.sha}/${file.filename}`;
    return {
      ...file,
      blob_url: raw,
      raw_url: raw,
      contents_url: `${this.api}/repos/${repo.fullName}/contents/${file.filename}?ref=${head.sha}`,
    };
  }
}

/** Stand-ins for GitHub's opaque global node ids, unique per kind and id. */
function nodeId(kind: string, id: number | string): string {
  return `${kind}_${Buffer.from(String(id)).toString("base64url")}`;
}
