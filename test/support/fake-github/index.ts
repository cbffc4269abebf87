import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { KeyObject } from "node:crypto";
import { Credentials } from "./auth.js";
import { Faults } from "./faults.js";
import type { FileChanges } from "./git.js";
import { addComment, createIssue, updateIssue, type IssueFields } from "./issue-rules.js";
import { loadOperations, RouteTable } from "./operations.js";
import { mergePullRequest } from "./pull-merge.js";
import { appRoutes } from "./routes/apps.js";
import { checkRoutes } from "./routes/checks.js";
import { gitRoutes } from "./routes/git.js";
import { issueRoutes } from "./routes/issues.js";
import { linkRoutes } from "./routes/links.js";
import { pullJson, pullRoutes } from "./routes/pulls.js";
import { repoRoutes } from "./routes/repos.js";
import { RequestLog } from "./request-log.js";
import { dispatch, type Dispatcher } from "./server.js";
import { Shapes } from "./shapes.js";
import { Store, type Actor, type Repo } from "./store.js";
import { RequestValidator, type ValidationOptions } from "./validation.js";

export type { LoggedRequest, RequestFilter } from "./request-log.js";
export type { FaultRule, FaultHandle, WriteBudget, FaultRequest } from "./faults.js";
export type { CheckRun, Annotation } from "./store.js";

export interface FakeGitHubOptions {
  /** Seed of the RNG behind `probability` fault rules. */
  seed?: number;
  /** Milliseconds since the epoch, for timestamps and the write budget; default Date.now. */
  clock?: () => number;
  unknownFields?: ValidationOptions["unknownFields"];
}

/** A person's action done straight on the state (no HTTP, no validation, not logged). */
export interface AsPerson {
  as?: string;
}

/**
 * A stateful stand-in for GitHub's REST API on 127.0.0.1, with a direct API for tests and the demo.
 *
 *   const fake = await FakeGitHub.start();
 *   fake.addInstallation({ id: 1, appId: 4242, account: "acme" });
 *   fake.addRepo({ owner: "acme", name: "web", installationId: 1, files: { "plans/a.md": "# Plan: A" } });
 *   fake.faults.add({ route: "issues/create", status: 502, afterCommit: true });
 *   … point Octokit (baseUrl: fake.url) or Probot (GHE_HOST=fake.host, GHE_PROTOCOL=http) at it …
 *   fake.issues("acme/web"); fake.log.counters(); fake.assertNoUnexpectedRequests();
 */
export class FakeGitHub {
  readonly store: Store;
  readonly faults: Faults;
  readonly credentials: Credentials;
  private readonly shapes: Shapes;
  /** Every request received: `log.requests(filter)`, `log.counters()`, `log.unexpected()`, `log.clear()`… */
  readonly log = new RequestLog();
  private readonly server: Server;

  private constructor(options: FakeGitHubOptions) {
    const clock = options.clock ?? Date.now;
    this.store = new Store(clock);
    this.faults = new Faults(options.seed ?? 1, clock);
    this.credentials = new Credentials(this.store);
    this.shapes = new Shapes(this.store, () => ({ api: this.url, html: this.origin }));
    const dispatcher: Dispatcher = {
      store: this.store,
      shapes: this.shapes,
      credentials: this.credentials,
      faults: this.faults,
      table: new RouteTable(loadOperations()),
      validator: new RequestValidator({ unknownFields: options.unknownFields ?? "reject" }),
      handlers: {
        ...appRoutes,
        ...repoRoutes,
        ...gitRoutes,
        ...issueRoutes,
        ...linkRoutes,
        ...checkRoutes,
        ...pullRoutes,
      },
      log: this.log,
      publicUrl: () => this.origin,
    };
    this.server = createServer((req, res) => {
      dispatch(dispatcher, req, res).catch((error: unknown) => {
        const entry = this.log.last();
        if (entry) Object.assign(entry, { status: 500, outcome: "error", problems: [String(error)] });
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json; charset=utf-8" });
        res.end(JSON.stringify({ message: `fake-github bug: ${String(error)}` }));
      });
    });
  }

  /** Starts on 127.0.0.1 on a free port. */
  static async start(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
    const fake = new FakeGitHub(options);
    await new Promise<void>((resolve) => fake.server.listen(0, "127.0.0.1", resolve));
    return fake;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
  }

  /** `127.0.0.1:<port>`: what Probot takes as GHE_HOST (with GHE_PROTOCOL=http). */
  get host(): string {
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get origin(): string {
    return `http://${this.host}`;
  }

  /** The REST base URL, as Probot derives it from GHE_HOST: `http://127.0.0.1:<port>/api/v3`. */
  get url(): string {
    return `${this.origin}/api/v3`;
  }

  // ── Seeding ──────────────────────────────────────────────────────────────

  addApp(options: { id: number; slug: string; name?: string; publicKey?: KeyObject }) {
    return this.store.addApp(options);
  }

  addInstallation(options: { id: number; appId: number; account: string }) {
    return this.store.addInstallation(options);
  }

  addRepo(options: Parameters<Store["addRepo"]>[0]): Repo {
    return this.store.addRepo(options);
  }

  /** Commits file changes (null deletes) on a branch, creating the branch from the default one if needed. */
  commit(
    repo: string,
    branch: string,
    files: FileChanges,
    meta: { message?: string; author?: string } = {},
  ): string {
    const found = this.repo(repo);
    const parent = found.git.branches.has(branch) ? undefined : found.git.branches.get(found.defaultBranch);
    return found.git.commit(branch, files, {
      message: meta.message ?? `Update ${Object.keys(files).join(", ")}`,
      date: this.store.now(),
      author: meta.author ?? "octocat",
      ...(parent ? { parent } : {}),
    }).sha;
  }

  /** Points a branch at another commit (a force push), answering the commit. */
  resetBranch(repo: string, branch: string, sha: string): string {
    const found = this.repo(repo);
    if (!found.git.commits.has(sha)) throw new Error(`${repo}: no commit ${sha}`);
    found.git.branches.set(branch, sha);
    return sha;
  }

  renameFile(repo: string, branch: string, from: string, to: string): string {
    const content = this.fileAt(repo, branch, from);
    if (content === undefined) throw new Error(`${repo}: no ${from} on ${branch}`);
    return this.commit(repo, branch, { [from]: null, [to]: content }, { message: `Rename ${from} to ${to}` });
  }

  deleteFile(repo: string, branch: string, path: string): string {
    return this.commit(repo, branch, { [path]: null }, { message: `Delete ${path}` });
  }

  fileAt(repo: string, ref: string, path: string): string | undefined {
    return this.repo(repo).git.resolve(ref)?.files.get(path)?.content;
  }

  headOf(repo: string, branch: string): string {
    const sha = this.repo(repo).git.branches.get(branch);
    if (!sha) throw new Error(`${repo}: no branch ${branch}`);
    return sha;
  }

  addMilestone(repo: string, title: string): number {
    return this.store.addMilestone(this.repo(repo), title).number;
  }

  /** A token whose requests act as this person (for a plain Octokit in a test). */
  userToken(login: string): string {
    return this.credentials.userToken(login);
  }

  // ── People acting directly (not logged, not validated) ───────────────────

  createIssue(repo: string, fields: IssueFields, options: AsPerson = {}) {
    return this.shapes.issue(createIssue(this.store, this.repo(repo), fields, this.person(options)));
  }

  updateIssue(repo: string, number: number, fields: IssueFields, options: AsPerson = {}) {
    const issue = this.store.issueByNumber(this.repo(repo), number);
    return this.shapes.issue(updateIssue(this.store, issue, fields, this.person(options)));
  }

  addComment(repo: string, number: number, body: string, options: AsPerson = {}) {
    const issue = this.store.issueByNumber(this.repo(repo), number);
    return this.shapes.comment(addComment(this.store, issue, body, this.person(options)));
  }

  openPullRequest(
    repo: string,
    pull: { head: string; base?: string; title?: string; body?: string } & AsPerson,
  ) {
    const found = this.repo(repo);
    const issue = createIssue(
      this.store,
      found,
      { title: pull.title ?? pull.head, body: pull.body ?? null },
      this.person(pull),
    );
    issue.pull = { head: pull.head, base: pull.base ?? found.defaultBranch, draft: false, merge: null };
    return this.shapes.issue(issue);
  }

  /**
   * Merges a PR as GitHub's merge button does (a merge commit on its base branch; the PR closed, merged, with
   * `merge_commit_sha` and `merged_at`). Answers the merge commit's sha. No webhook is sent: the test sends the
   * `pull_request.closed` and the `push` it wants, in the order it wants.
   */
  mergePullRequest(repo: string, number: number, options: AsPerson = {}): string {
    const issue = this.store.issueByNumber(this.repo(repo), number);
    return mergePullRequest(this.store, issue, this.person(options)).sha;
  }

  // ── Reading the state ────────────────────────────────────────────────────

  /** Every issue of the repository (not pull requests), by number, as the REST API shows them. */
  issues(repo: string) {
    return this.store
      .issuesOf(this.repo(repo))
      .filter((issue) => !issue.pull)
      .sort((a, b) => a.number - b.number)
      .map((issue) => this.shapes.issue(issue));
  }

  issue(repo: string, number: number) {
    return this.shapes.issue(this.store.issueByNumber(this.repo(repo), number));
  }

  comments(repo: string, number: number) {
    return this.store
      .commentsOf(this.store.issueByNumber(this.repo(repo), number))
      .map((c) => this.shapes.comment(c));
  }

  /** Numbers of the sub-issues of an issue, in order. */
  subIssues(repo: string, number: number): number[] {
    const parent = this.store.issueByNumber(this.repo(repo), number);
    return (this.store.subIssues.get(parent.id) ?? []).map((id) => this.store.issueById(id).number);
  }

  /** Numbers of the issues this issue is blocked by. */
  blockedBy(repo: string, number: number): number[] {
    const issue = this.store.issueByNumber(this.repo(repo), number);
    return (this.store.blockedBy.get(issue.id) ?? []).map((id) => this.store.issueById(id).number);
  }

  /** Check runs of a repository, oldest first, with every annotation and request body received. */
  checkRuns(repo: string) {
    const found = this.repo(repo);
    return [...this.store.checkRuns.values()].filter((run) => run.repo === found);
  }

  /** A repository, a pull request and a user as the REST API (and webhook payloads) show them. */
  repository(repo: string) {
    return this.shapes.repo(this.repo(repo));
  }

  pullRequest(repo: string, number: number) {
    const issue = this.store.issueByNumber(this.repo(repo), number);
    if (!issue.pull) throw new Error(`${repo}#${number} is not a pull request`);
    return pullJson(this.shapes, issue);
  }

  user(login: string) {
    return this.shapes.user(this.store.user(login));
  }

  labels(repo: string): string[] {
    return [...this.repo(repo).labels.values()].map((label) => label.name);
  }

  /** Throws, listing them, if any request hit no route or broke the OpenAPI schema. */
  assertNoUnexpectedRequests(): void {
    this.log.assertNoUnexpectedRequests();
  }

  private repo(fullName: string): Repo {
    const [owner = "", name = ""] = fullName.split("/");
    return this.store.repo(owner, name);
  }

  private person(options: AsPerson): Actor {
    return { user: this.store.user(options.as ?? "octocat"), app: null };
  }
}
