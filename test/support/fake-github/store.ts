import type { KeyObject } from "node:crypto";
import { ApiError, notFound } from "./api-error.js";
import { GitHistory, type FileChanges } from "./git.js";

export interface Account {
  login: string;
  id: number;
  type: "User" | "Organization" | "Bot";
}

export interface AppRecord {
  id: number;
  slug: string;
  name: string;
  /** When set, app JWTs must be signed by the matching private key. */
  publicKey: KeyObject | null;
  bot: Account;
}

export interface Installation {
  id: number;
  appId: number;
  account: Account;
}

export interface Label {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface Milestone {
  id: number;
  number: number;
  title: string;
  state: "open" | "closed";
}

export interface Repo {
  id: number;
  owner: Account;
  name: string;
  fullName: string;
  private: boolean;
  defaultBranch: string;
  installationId: number | null;
  git: GitHistory;
  /** Issues and pull requests share one sequence of numbers, as on GitHub. */
  nextNumber: number;
  labels: Map<string, Label>;
  milestones: Milestone[];
  createdAt: string;
}

/** Who made a request: a person, or an app's bot acting through an installation token. */
export interface Actor {
  user: Account;
  app: AppRecord | null;
}

export type StateReason = "completed" | "not_planned" | "duplicate" | "reopened" | null;

export interface PullRequest {
  head: string;
  base: string;
  draft: boolean;
  /** Set by a merge (`FakeGitHub.mergePullRequest`); null while the PR is unmerged. */
  merge: PullRequestMerge | null;
}

/** A merge as GitHub remembers it: the PR's files and commits stay those of the two commits it joined. */
export interface PullRequestMerge {
  /** The merge commit on the base branch (`merge_commit_sha`). */
  sha: string;
  /** `merged_at`. */
  at: string;
  /** The head and base commits the merge joined. */
  headSha: string;
  baseSha: string;
}

export interface Issue {
  id: number;
  repo: Repo;
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  stateReason: StateReason;
  /** Label names as the repository spells them. */
  labels: string[];
  assignees: string[];
  milestone: number | null;
  user: Account;
  /** The app whose installation token created it, if any (GitHub's `performed_via_github_app`). */
  viaApp: AppRecord | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  closedBy: Account | null;
  pull: PullRequest | null;
}

export interface Comment {
  id: number;
  issue: Issue;
  body: string;
  user: Account;
  viaApp: AppRecord | null;
  createdAt: string;
  updatedAt: string;
}

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title?: string;
  raw_details?: string;
}

export interface CheckRun {
  id: number;
  repo: Repo;
  name: string;
  headSha: string;
  status: string;
  conclusion: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  /** Every annotation received, in order: GitHub appends the annotations of each update. */
  annotations: Annotation[];
  detailsUrl: string | null;
  externalId: string | null;
  startedAt: string | null;
  completedAt: string | null;
  app: AppRecord | null;
  /** The create body and every update body, as received. */
  bodies: Array<Record<string, unknown>>;
}

/** Everything the fake knows. Route handlers and the test API both read and change it through here. */
export class Store {
  readonly users = new Map<string, Account>();
  readonly apps = new Map<number, AppRecord>();
  readonly installations = new Map<number, Installation>();
  readonly repos = new Map<string, Repo>();
  readonly issues = new Map<number, Issue>();
  readonly comments = new Map<number, Comment>();
  readonly checkRuns = new Map<number, CheckRun>();
  /** parent issue id → child issue ids, in order; and the reverse. */
  readonly subIssues = new Map<number, number[]>();
  readonly parentOf = new Map<number, number>();
  /** issue id → ids of the issues it is blocked by. */
  readonly blockedBy = new Map<number, number[]>();
  // Ids start far above issue numbers, so code that mixes the two up fails in tests.
  private lastId = 10_000;

  constructor(private readonly clock: () => number) {}

  nextId(): number {
    return ++this.lastId;
  }

  /** GitHub's timestamps: ISO 8601, whole seconds, UTC. */
  now(): string {
    return new Date(this.clock()).toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  user(login: string, type: Account["type"] = "User"): Account {
    const key = login.toLowerCase();
    let account = this.users.get(key);
    if (!account) {
      account = { login, id: this.nextId(), type };
      this.users.set(key, account);
    }
    return account;
  }

  addApp(options: { id: number; slug: string; name?: string; publicKey?: KeyObject }): AppRecord {
    const app: AppRecord = {
      id: options.id,
      slug: options.slug,
      name: options.name ?? options.slug,
      publicKey: options.publicKey ?? null,
      bot: this.user(`${options.slug}[bot]`, "Bot"),
    };
    this.apps.set(app.id, app);
    return app;
  }

  addInstallation(options: { id: number; appId: number; account: string }): Installation {
    const installation = {
      id: options.id,
      appId: options.appId,
      account: this.user(options.account, "Organization"),
    };
    this.installations.set(installation.id, installation);
    return installation;
  }

  addRepo(options: {
    owner: string;
    name: string;
    defaultBranch?: string;
    installationId?: number | null;
    private?: boolean;
    files?: FileChanges;
  }): Repo {
    const repo: Repo = {
      id: this.nextId(),
      owner: this.users.get(options.owner.toLowerCase()) ?? this.user(options.owner, "Organization"),
      name: options.name,
      fullName: `${options.owner}/${options.name}`,
      private: options.private ?? false,
      defaultBranch: options.defaultBranch ?? "main",
      installationId: options.installationId ?? null,
      git: new GitHistory(),
      nextNumber: 1,
      labels: new Map(),
      milestones: [],
      createdAt: this.now(),
    };
    this.repos.set(repo.fullName.toLowerCase(), repo);
    repo.git.commit(repo.defaultBranch, options.files ?? { "README.md": `# ${options.name}\n` }, {
      message: "Initial commit",
      date: this.now(),
    });
    return repo;
  }

  repo(owner: string, name: string): Repo {
    const repo = this.repos.get(`${owner}/${name}`.toLowerCase());
    if (!repo) throw notFound();
    return repo;
  }

  issueByNumber(repo: Repo, number: number): Issue {
    for (const issue of this.issues.values())
      if (issue.repo === repo && issue.number === number) return issue;
    throw notFound();
  }

  issueById(id: number): Issue {
    const issue = this.issues.get(id);
    if (!issue) throw notFound();
    return issue;
  }

  issuesOf(repo: Repo): Issue[] {
    return [...this.issues.values()].filter((issue) => issue.repo === repo);
  }

  commentsOf(issue: Issue): Comment[] {
    return [...this.comments.values()].filter((comment) => comment.issue === issue);
  }

  /** Finds a label by name, case-insensitively, as GitHub does. */
  label(repo: Repo, name: string): Label | undefined {
    return repo.labels.get(name.toLowerCase());
  }

  createLabel(repo: Repo, name: string, color = "ededed", description: string | null = null): Label {
    if (this.label(repo, name))
      throw new ApiError(422, "Validation Failed", [
        { resource: "Label", code: "already_exists", field: "name" },
      ]);
    const label = { id: this.nextId(), name, color, description };
    repo.labels.set(name.toLowerCase(), label);
    return label;
  }

  addMilestone(repo: Repo, title: string): Milestone {
    const milestone: Milestone = {
      id: this.nextId(),
      number: repo.milestones.length + 1,
      title,
      state: "open",
    };
    repo.milestones.push(milestone);
    return milestone;
  }
}
