import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProbot, type ApplicationFunction } from "probot";
import { generateAppKeys, startApp, type RunningApp } from "../support/e2e.js";

const REPO = "acme/web";
const INSTALLATION = 77;

/** A tiny app: enough to prove webhooks reach it and its Octokit reaches the fake, authenticated. */
const demoApp: ApplicationFunction = (app) => {
  app.on("issues.opened", async (context) => {
    await context.octokit.rest.issues.createComment(
      context.issue({ body: `Thanks, @${context.payload.sender.login}!` }),
    );
  });
  app.on("push", async (context) => {
    const added = context.payload.commits.flatMap((commit) => commit.added ?? []);
    for (const path of added) {
      const { data } = await context.octokit.rest.repos.getContent(
        context.repo({ path, ref: context.payload.after }),
      );
      if (Array.isArray(data) || data.type !== "file") continue;
      await context.octokit.rest.issues.create(
        context.repo({
          title: `New file ${path}`,
          body: Buffer.from(data.content, "base64").toString("utf8"),
        }),
      );
    }
  });
};

describe("e2e harness: real Probot server, signed webhooks, fake GitHub", () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp(demoApp);
    app.fake.addInstallation({ id: INSTALLATION, appId: app.appId, account: "acme" });
    app.fake.addRepo({ owner: "acme", name: "web", installationId: INSTALLATION });
  });
  afterAll(() => app.close());

  it("listens on a port the OS chose, on 127.0.0.1", () => {
    expect(app.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(app.url).not.toBe("http://127.0.0.1:3000");
  });

  it("Probot's own GHE_HOST + GHE_PROTOCOL=http settings reach the fake under /api/v3", async () => {
    const { privateKey, publicKey } = generateAppKeys();
    app.fake.addApp({ id: 6161, slug: "env-app", publicKey });
    const env = { APP_ID: "6161", PRIVATE_KEY: privateKey, WEBHOOK_SECRET: "s", LOG_LEVEL: "fatal" as const };
    const probot = createProbot({ env: { ...env, GHE_HOST: app.fake.host, GHE_PROTOCOL: "http" } });
    app.fake.log.clear();

    const { data } = await (await probot.auth()).rest.apps.getAuthenticated();
    expect(data?.slug).toBe("env-app");
    expect(app.fake.log.requests().map((r) => [r.method, r.path, r.actor])).toEqual([
      ["GET", "/app", "app:env-app"],
    ]);
  });

  it("accepts a signed issues.opened delivery; the app comments as its bot via an installation token", async () => {
    app.fake.log.clear();
    const issue = app.fake.createIssue(REPO, { title: "Broken link" }, { as: "alice" });
    const status = await app.sendWebhook(
      "issues",
      app.payloads.issues({ repo: REPO, number: issue.number, action: "opened", sender: "alice" }),
    );

    expect(status).toBe(200);
    expect(app.fake.comments(REPO, issue.number).map((c) => [c.user.login, c.body])).toEqual([
      ["plan-sync[bot]", "Thanks, @alice!"],
    ]);
    expect(app.fake.log.requests().map((r) => [r.method, r.route, r.status, r.actor])).toEqual([
      ["POST", "/app/installations/{installation_id}/access_tokens", 201, "app:plan-sync"],
      ["POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", 201, "plan-sync[bot]"],
    ]);
    app.fake.assertNoUnexpectedRequests();
  });

  it("rejects a delivery signed with another secret (Probot answers 400) and runs no handler", async () => {
    app.fake.log.clear();
    const issue = app.fake.createIssue(REPO, { title: "Forged" });
    const payload = app.payloads.issues({ repo: REPO, number: issue.number, action: "opened" });

    expect(await app.sendWebhook("issues", payload, { secret: "not-the-secret" })).toBe(400);
    expect(await app.sendWebhook("issues", payload, { signature: "sha256=00" })).toBe(400);
    expect(app.fake.comments(REPO, issue.number)).toEqual([]);
    expect(app.fake.log.requests()).toEqual([]);
  });

  it("a push payload built from the fake's commits drives the app to read the file at the pushed sha", async () => {
    app.fake.log.clear();
    const sha = app.fake.commit(REPO, "main", { "plans/new.md": "# Plan: New\n\n- [ ] one\n" });
    const payload = app.payloads.push({ repo: REPO });

    expect(payload).toMatchObject({
      ref: "refs/heads/main",
      after: sha,
      installation: { id: INSTALLATION },
      commits: [{ id: sha, added: ["plans/new.md"], modified: [], removed: [] }],
    });
    expect(await app.sendWebhook("push", payload)).toBe(200);
    const created = app.fake.issues(REPO).find((issue) => issue.title === "New file plans/new.md");
    expect(created).toMatchObject({
      body: "# Plan: New\n\n- [ ] one\n",
      user: { login: "plan-sync[bot]", type: "Bot" },
    });
    expect(created?.performed_via_github_app).toMatchObject({ slug: "plan-sync", id: app.appId });
    expect(app.fake.log.requests().map((r) => `${r.method} ${r.route} ${r.status}`)).toEqual([
      "GET /repos/{owner}/{repo}/contents/{path} 200",
      "POST /repos/{owner}/{repo}/issues 201",
    ]);
  });

  it("builds payloads for actions the examples lack (issues.closed) from another action of the event", () => {
    const issue = app.fake.createIssue(REPO, { title: "Done" });
    app.fake.updateIssue(REPO, issue.number, { state: "closed" }, { as: "bob" });
    const payload = app.payloads.issues({
      repo: REPO,
      number: issue.number,
      action: "closed",
      sender: "bob",
    });
    expect(payload).toMatchObject({
      action: "closed",
      issue: {
        number: issue.number,
        state: "closed",
        state_reason: "completed",
        closed_by: { login: "bob" },
      },
      repository: { full_name: REPO },
      installation: { id: INSTALLATION },
      sender: { login: "bob" },
    });
  });

  it("Probot's retry plugin re-sends a create that failed with 502 after commit: the app sees two issues", async () => {
    app.fake.log.clear();
    app.fake.faults.add({ route: "issues/create", status: 502, afterCommit: true });
    app.fake.commit(REPO, "main", { "plans/retry.md": "retry\n" });
    expect(await app.sendWebhook("push", app.payloads.push({ repo: REPO }))).toBe(200);

    const titles = app.fake.issues(REPO).map((issue) => issue.title);
    expect(titles.filter((title) => title === "New file plans/retry.md")).toHaveLength(2);
    expect(app.fake.log.requests({ operationId: "issues/create" }).map((r) => [r.status, r.outcome])).toEqual(
      [
        [502, "fault"],
        [201, "ok"],
      ],
    );
  });

  it("catches a request that breaks GitHub's schema: logged as invalid, and Probot answers the delivery with its 422", async () => {
    const failing = await startApp(
      (probot) => {
        probot.on("issues.opened", async (context) => {
          // `titel` is a typo GitHub would silently ignore; the fake refuses it so the test notices.
          await context.octokit.request({
            method: "POST",
            url: "/repos/{owner}/{repo}/issues",
            ...context.repo(),
            titel: "x",
          });
        });
      },
      { fake: app.fake, appId: 5151, appSlug: "other-app" },
    );
    try {
      app.fake.addInstallation({ id: 88, appId: 5151, account: "other" });
      app.fake.addRepo({ owner: "other", name: "repo", installationId: 88 });
      app.fake.log.clear();
      const issue = app.fake.createIssue("other/repo", { title: "x" });
      const payload = failing.payloads.issues({ repo: "other/repo", number: issue.number, action: "opened" });

      expect(await failing.sendWebhook("issues", payload)).toBe(422);
      expect(app.fake.log.validationFailures().map((r) => [r.route, r.status, r.problems])).toEqual([
        [
          "/repos/{owner}/{repo}/issues",
          422,
          ["body must have required property 'title'", "body has unknown field 'titel'"],
        ],
      ]);
      expect(() => app.fake.assertNoUnexpectedRequests()).toThrow(/1 unexpected or invalid request/);
    } finally {
      await failing.close();
    }
  });
});
