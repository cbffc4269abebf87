// Nobody else's issues are touched (SPEC.md §2 "Identity", §6): plan-sync manages only what its own bot created
// AND what carries its marker. Here a person (mallory) and another app (other-app[bot]) hold copies of our
// markers, and the plan goes through a rename, a removal, a pull request preview and a deletion; the request log
// of the fake GitHub shows that no write ever reaches their issues or comments. And events plan-sync's own bot
// caused do nothing at all (no loops).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LoggedRequest } from "../support/fake-github/index.js";
import { until, type RunningApp } from "../support/e2e.js";
import {
  issueEvent,
  issueLines,
  PLAN_PATH,
  push,
  RATE_LIMITER,
  REPO,
  startScenario,
  closeChecked,
  deliverPullRequest,
} from "../e2e/scenario.js";

const MALLORY = "mallory";
const OTHER_APP = "other-app[bot]";

const RENAMED = RATE_LIMITER.replace(
  "#### Step 1.1: Token bucket script",
  "#### Step 1.1: Redis token bucket",
);
const WITHOUT_STEP_3_2 = RENAMED.replace(
  RENAMED.slice(RENAMED.indexOf("#### Step 3.2"), RENAMED.indexOf("## Testing Strategy")),
  "",
);

let app: RunningApp;
beforeEach(async () => {
  app = await startScenario();
  app.fake.addApp({ id: 77, slug: "other-app" });
});
afterEach(() => closeChecked(app));

/** Every request since the last call (the log is cleared), after the work of the deliveries has finished. */
async function settled(): Promise<LoggedRequest[]> {
  await until(() => app.fake.checkRuns(REPO).every((run) => run.status === "completed"), {
    timeoutMs: 20_000,
    what: "every check run to complete",
  });
  const requests = app.fake.log.requests();
  app.fake.log.clear();
  return requests;
}

/** Our bot's issue with this title. */
function ours(title: string) {
  const found = app.fake
    .issues(REPO)
    .find((issue) => issue.title === title && issue.user.login === app.botLogin);
  if (!found) throw new Error(`no issue of ours titled ${title}`);
  return found;
}

/** A copy of one of our issues (title, body with its marker, labels) opened by someone else. */
function copyOf(title: string, as: string) {
  const original = ours(title);
  return app.fake.createIssue(
    REPO,
    {
      title: original.title,
      body: original.body,
      labels: original.labels.map((label) => (typeof label === "string" ? label : label.name)),
    },
    { as },
  );
}

/** What a request touches: the issue or comment in its path, and issue ids named in its body. */
function targets(request: LoggedRequest): { issue?: number; comment?: number; ids: number[] } {
  const issue = /\/issues\/(\d+)(\/|$)/.exec(request.path)?.[1];
  const comment = /\/issues\/comments\/(\d+)$/.exec(request.path)?.[1];
  const body = (request.body ?? {}) as Record<string, unknown>;
  const ids = ["sub_issue_id", "issue_id"].flatMap((field) =>
    typeof body[field] === "number" ? [body[field] as number] : [],
  );
  return {
    ...(issue ? { issue: Number(issue) } : {}),
    ...(comment ? { comment: Number(comment) } : {}),
    ids,
  };
}

describe("copies of our markers in other people's issues and comments", () => {
  it("rename, removal, pull request preview, deletion: no write reaches them; our issues are kept right", async () => {
    const log: LoggedRequest[] = [];
    await push(app, { [PLAN_PATH]: RATE_LIMITER });
    log.push(...(await settled()));
    expect(app.fake.issues(REPO)).toHaveLength(10);

    // The copies: a step and the tracking issue by a person, a step by another app; all labelled as ours.
    const foreign = [
      copyOf("Token bucket script", MALLORY),
      copyOf("Plan: Per-tenant API rate limiter", MALLORY),
      copyOf("Enforce for all tenants", OTHER_APP),
    ];
    const foreignNumbers = new Set(foreign.map((issue) => issue.number));
    const foreignIds = new Set(foreign.map((issue) => issue.id));
    expect(foreign.map((issue) => [issue.number, issue.user.login])).toEqual([
      [11, MALLORY],
      [12, MALLORY],
      [13, OTHER_APP],
    ]);

    // 1. The copied step is renamed in the plan: our issue follows, the copy does not.
    await push(app, { [PLAN_PATH]: RENAMED });
    log.push(...(await settled()));
    expect(ours("Redis token bucket").number).toBe(2);
    expect(app.fake.issue(REPO, 1).body).toContain("#2");
    for (const number of foreignNumbers) expect(app.fake.issue(REPO, 1).body).not.toContain(`#${number}`);

    // 2. The step other-app copied is removed: ours is closed as not planned, the copy stays open.
    await push(app, { [PLAN_PATH]: WITHOUT_STEP_3_2 });
    log.push(...(await settled()));
    expect([ours("Enforce for all tenants").state, ours("Enforce for all tenants").state_reason]).toEqual([
      "closed",
      "not_planned",
    ]);

    // 3. Pull requests touching the plan: mallory puts a copy of our status comment (from PR A) on PR B first.
    app.fake.commit(REPO, "feature-a", { [PLAN_PATH]: WITHOUT_STEP_3_2.replace("Shadow mode", "Dry run") });
    const pullA = app.fake.openPullRequest(REPO, { head: "feature-a", as: "alice" });
    await deliverPullRequest(app, pullA.number, "opened");
    const [ourCommentOnA] = app.fake.comments(REPO, pullA.number);
    expect(ourCommentOnA?.user.login).toBe(app.botLogin);
    app.fake.commit(REPO, "feature-b", { [PLAN_PATH]: WITHOUT_STEP_3_2.replace("Middleware", "Proxy") });
    const pullB = app.fake.openPullRequest(REPO, { head: "feature-b", as: "alice" });
    const copiedComment = app.fake.addComment(REPO, pullB.number, ourCommentOnA?.body ?? "", { as: MALLORY });
    log.push(...(await settled()));
    await deliverPullRequest(app, pullB.number, "opened");
    app.fake.commit(REPO, "feature-b", { [PLAN_PATH]: WITHOUT_STEP_3_2.replace("Middleware", "Edge proxy") });
    await deliverPullRequest(app, pullB.number, "synchronize");
    const pullRequestRequests = await settled();
    log.push(...pullRequestRequests);
    const commentsOnB = app.fake.comments(REPO, pullB.number);
    expect(commentsOnB.map((comment) => [comment.user.login, comment.body === copiedComment.body])).toEqual([
      [MALLORY, true],
      [app.botLogin, false],
    ]);
    expect(commentsOnB[1]?.body).toContain("Edge proxy");
    expect(
      pullRequestRequests
        .filter((request) => request.route?.includes("comments") && request.method !== "GET")
        .map((request) => `${request.method} ${request.path}`),
    ).toEqual([
      `POST /repos/acme/gateway/issues/${pullB.number}/comments`,
      `PATCH /repos/acme/gateway/issues/comments/${commentsOnB[1]?.id}`,
    ]);

    // 4. The plan is deleted: every open issue of ours is closed as not planned, the copies stay open.
    await push(app, { [PLAN_PATH]: null });
    log.push(...(await settled()));

    const touching = log.filter((request) => {
      if (request.method === "GET") return false;
      const touched = targets(request);
      return (
        (touched.issue !== undefined && foreignNumbers.has(touched.issue)) ||
        touched.comment === copiedComment.id ||
        touched.ids.some((id) => foreignIds.has(id))
      );
    });
    expect(touching.map((request) => `${request.method} ${request.path}`)).toEqual([]);
    for (const copy of foreign) expect(app.fake.issue(REPO, copy.number)).toEqual(copy);
    expect(app.fake.comments(REPO, pullB.number)[0]).toEqual(copiedComment);

    // Ours: one issue per item (no duplicate made because of the copies), all closed with the plan.
    expect(issueLines(app)).toEqual([
      "#1 Plan: Per-tenant API rate limiter [plan] closed(not_planned)",
      "#2 Redis token bucket [plan-step] closed(not_planned)",
      "#3 Limiter client with circuit breaker [plan-step] closed(not_planned)",
      "#4 Middleware [plan-step] closed(not_planned)",
      "#5 Limits admin endpoint [plan-step, admin-api] closed(not_planned)",
      "#6 Shadow mode [plan-step] closed(completed)",
      "#7 Enforce for all tenants [plan-step] closed(not_planned)",
      "#8 Should internal tenants be exempt? [question] closed(not_planned)",
      "#9 Do we count requests or request cost units? [question] closed(completed)",
      "#10 Who owns the limits admin UI? [question] closed(not_planned)",
      "#11 Token bucket script [plan-step] open",
      "#12 Plan: Per-tenant API rate limiter [plan] open",
      "#13 Enforce for all tenants [plan-step] open",
    ]);
    expect(log.filter((request) => request.operationId === "issues/create")).toHaveLength(10);
  });
});

/** A bot's own action on an issue it wrote: our writes come back as events (a loop if handled). */
const BOTS_ON_THEIR_OWN_ISSUES: Array<["closed" | "edited", string, string]> = [
  ["edited", "plan-sync[bot]", "its own step issue"],
  ["closed", "plan-sync[bot]", "its own step issue"],
  ["edited", OTHER_APP, "its own issue, which carries our marker"],
  ["closed", OTHER_APP, "its own issue, which carries our marker"],
];

describe("events that must do nothing", () => {
  beforeEach(async () => {
    await push(app, { [PLAN_PATH]: RATE_LIMITER });
    await settled();
  });

  it.each(BOTS_ON_THEIR_OWN_ISSUES)(
    "issues.%s sent by %s on %s → no request at all",
    async (action, sender) => {
      const number = sender === app.botLogin ? 2 : copyOf("Token bucket script", OTHER_APP).number;
      const state = action === "closed" ? "closed" : "open";
      app.fake.commit(REPO, "main", { [PLAN_PATH]: RENAMED });
      app.fake.updateIssue(REPO, number, { state, title: "Token bucket, edited" }, { as: sender });
      const before = app.fake.issues(REPO);
      app.fake.log.clear();
      expect(await app.sendWebhook("issues", issueEvent(app, number, action, sender))).toBe(200);
      expect(await settled()).toEqual([]);
      expect(app.fake.issues(REPO)).toEqual(before);
    },
  );

  it.each(["closed", "reopened", "edited"] as const)(
    "issues.%s by a person on her own issue holding a copied marker → no write",
    async (action) => {
      const copy = copyOf("Token bucket script", MALLORY);
      // A commit whose push has not arrived yet: a sync run for this event would have writes to make.
      app.fake.commit(REPO, "main", { [PLAN_PATH]: RENAMED });
      if (action !== "edited") app.fake.updateIssue(REPO, copy.number, { state: "closed" }, { as: MALLORY });
      if (action === "reopened") app.fake.updateIssue(REPO, copy.number, { state: "open" }, { as: MALLORY });
      const before = app.fake.issues(REPO);
      app.fake.log.clear();
      expect(await app.sendWebhook("issues", issueEvent(app, copy.number, action, MALLORY))).toBe(200);
      const requests = await settled();
      expect(requests.filter((request) => request.method !== "GET")).toEqual([]);
      expect(app.fake.issues(REPO)).toEqual(before);
    },
  );
});
