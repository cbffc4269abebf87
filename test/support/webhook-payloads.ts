/**
 * Webhook payloads for the events plan-sync handles, built on the real examples in
 * @octokit/webhooks-examples with the fields that matter taken from the fake GitHub's state.
 */
import { createRequire } from "node:module";
import type { FakeGitHub } from "./fake-github/index.js";
import type { Commit } from "./fake-github/git.js";

type Json = Record<string, unknown>;
interface ExampleSet {
  name: string;
  examples: Json[];
}

const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as ExampleSet[];

/**
 * A deep copy of a real example: of this action if there is one (some, like `issues.closed`, have none: then
 * another action's example of the same event, whose shape is the same, with `action` replaced), preferring
 * one sent to an app installation.
 */
export function exampleOf(name: string, action?: string): Json {
  const all = examples.find((entry) => entry.name === name)?.examples ?? [];
  const ofAction = all.filter((example) => action === undefined || example["action"] === action);
  const candidates = ofAction.length > 0 ? ofAction : all;
  const chosen = candidates.find((example) => "installation" in example) ?? candidates[0];
  if (!chosen) throw new Error(`@octokit/webhooks-examples has no ${name} example`);
  return { ...structuredClone(chosen), ...(action === undefined ? {} : { action }) };
}

const ZERO_SHA = "0000000000000000000000000000000000000000";

export interface PushCommit {
  id?: string;
  message?: string;
  added?: string[];
  modified?: string[];
  removed?: string[];
}

export class WebhookPayloads {
  constructor(private readonly fake: FakeGitHub) {}

  /**
   * A push of `branch` up to `after` (default: its head) from `before` (default: the first parent).
   * `commits` default to the fake's commits in between, oldest first, with their added/modified/removed.
   */
  push(options: {
    repo: string;
    branch?: string;
    before?: string;
    after?: string;
    commits?: PushCommit[];
    sender?: string;
    forced?: boolean;
  }): Json {
    const repository = this.fake.repository(options.repo);
    const branch = options.branch ?? repository.default_branch;
    const git = this.git(options.repo);
    const after = options.after ?? this.fake.headOf(options.repo, branch);
    const head = git.commits.get(after);
    const before = options.before ?? head?.parents[0] ?? ZERO_SHA;
    const commits = options.commits ?? this.commitsBetween(options.repo, before, after);
    const payload = exampleOf("push");
    const rendered = commits.map((commit, index) =>
      this.pushCommit(options.repo, commit, index === commits.length - 1 ? after : undefined),
    );
    return {
      ...payload,
      ref: `refs/heads/${branch}`,
      before,
      after,
      created: before === ZERO_SHA,
      deleted: false,
      forced: options.forced ?? false,
      base_ref: null,
      compare: `${repository.html_url}/compare/${before.slice(0, 12)}...${after.slice(0, 12)}`,
      commits: rendered,
      head_commit: rendered[rendered.length - 1] ?? null,
      pusher: {
        name: options.sender ?? "octocat",
        email: `${options.sender ?? "octocat"}@users.noreply.github.com`,
      },
      ...this.common(options.repo, options.sender),
    };
  }

  pullRequest(options: { repo: string; number: number; action?: string; sender?: string }): Json {
    const action = options.action ?? "opened";
    const payload = exampleOf("pull_request", action);
    const pull = this.fake.pullRequest(options.repo, options.number);
    return {
      ...payload,
      action,
      number: options.number,
      pull_request: { ...(payload["pull_request"] as Json), ...pull },
      ...this.common(options.repo, options.sender),
    };
  }

  issues(options: { repo: string; number: number; action: string; sender?: string; changes?: Json }): Json {
    const payload = exampleOf("issues", options.action);
    return {
      ...payload,
      action: options.action,
      issue: { ...(payload["issue"] as Json), ...this.fake.issue(options.repo, options.number) },
      ...(options.changes ? { changes: options.changes } : {}),
      ...this.common(options.repo, options.sender),
    };
  }

  /** `installation.created` (or `deleted`, …) listing the installation's repositories. */
  installation(options: { installationId: number; action?: string; sender?: string }): Json {
    const action = options.action ?? "created";
    const payload = exampleOf("installation", action);
    return {
      ...payload,
      action,
      installation: this.installationJson(options.installationId, payload["installation"] as Json),
      repositories: this.reposOf(options.installationId).map((repo) => this.shortRepo(repo)),
      sender: this.fake.user(options.sender ?? "octocat"),
    };
  }

  installationRepositories(options: {
    installationId: number;
    added?: string[];
    removed?: string[];
    sender?: string;
  }): Json {
    const added = options.added ?? [];
    const action = added.length > 0 ? "added" : "removed";
    const payload = exampleOf("installation_repositories", action);
    return {
      ...payload,
      action,
      installation: this.installationJson(options.installationId, payload["installation"] as Json),
      repository_selection: "selected",
      repositories_added: added.map((repo) => this.shortRepo(repo)),
      repositories_removed: (options.removed ?? []).map((repo) => this.shortRepo(repo)),
      sender: this.fake.user(options.sender ?? "octocat"),
    };
  }

  private common(repo: string, sender = "octocat"): Json {
    const installationId = this.fake.store.repo(...split(repo)).installationId;
    return {
      repository: { ...this.fake.repository(repo), master_branch: this.fake.repository(repo).default_branch },
      sender: this.fake.user(sender),
      ...(installationId === null
        ? {}
        : { installation: { id: installationId, node_id: `MDIzOkludGVncmF0aW9u${installationId}` } }),
    };
  }

  private installationJson(installationId: number, example: Json): Json {
    const installation = this.fake.store.installations.get(installationId);
    if (!installation) throw new Error(`no installation ${installationId} in the fake`);
    const app = this.fake.store.apps.get(installation.appId);
    return {
      ...example,
      id: installationId,
      app_id: installation.appId,
      app_slug: app?.slug,
      account: this.fake.user(installation.account.login),
      target_type: installation.account.type,
      repository_selection: "selected",
    };
  }

  private reposOf(installationId: number): string[] {
    return [...this.fake.store.repos.values()]
      .filter((repo) => repo.installationId === installationId)
      .map((repo) => repo.fullName);
  }

  private shortRepo(repo: string): Json {
    const { id, node_id, name, full_name, private: isPrivate } = this.fake.repository(repo);
    return { id, node_id, name, full_name, private: isPrivate };
  }

  private git(repo: string) {
    return this.fake.store.repo(...split(repo)).git;
  }

  private commitsBetween(repo: string, before: string, after: string): PushCommit[] {
    const git = this.git(repo);
    const known = new Set(before === ZERO_SHA ? [] : git.history(before).map((commit) => commit.sha));
    return git
      .history(after)
      .filter((commit) => !known.has(commit.sha))
      .reverse()
      .map((commit) => ({
        id: commit.sha,
        message: commit.message,
        ...changesOf(git.diff(parentOf(git, commit), commit)),
      }));
  }

  private pushCommit(repo: string, commit: PushCommit, fallbackId: string | undefined): Json {
    const id = commit.id ?? fallbackId ?? ZERO_SHA;
    const found = this.git(repo).commits.get(id);
    const author = {
      name: found?.author.name ?? "octocat",
      email: found?.author.email ?? "octocat@users.noreply.github.com",
      username: found?.author.name ?? "octocat",
    };
    return {
      id,
      tree_id: found?.treeSha ?? ZERO_SHA,
      distinct: true,
      message: commit.message ?? found?.message ?? "",
      timestamp: found?.author.date ?? new Date(0).toISOString(),
      url: `${this.fake.repository(repo).html_url}/commit/${id}`,
      author,
      committer: author,
      added: commit.added ?? [],
      removed: commit.removed ?? [],
      modified: commit.modified ?? [],
    };
  }
}

function split(fullName: string): [string, string] {
  const [owner = "", name = ""] = fullName.split("/");
  return [owner, name];
}

function parentOf(git: ReturnType<FakeGitHub["store"]["repo"]>["git"], commit: Commit) {
  return commit.parents[0] ? git.commits.get(commit.parents[0]) : undefined;
}

/** A push lists a renamed file as removed (old path) and added (new path). */
function changesOf(diffs: Array<{ filename: string; status: string; previous_filename?: string }>) {
  return {
    added: diffs.filter((d) => d.status === "added" || d.status === "renamed").map((d) => d.filename),
    modified: diffs.filter((d) => d.status === "modified").map((d) => d.filename),
    removed: diffs
      .filter((d) => d.status === "removed" || d.status === "renamed")
      .map((d) => (d.status === "renamed" ? (d.previous_filename as string) : d.filename)),
  };
}
