// Issue #18, item 3: what a crash leaves is repaired. The production app runs in a process of its own, is killed
// (SIGKILL: no shutdown runs) in the middle of a first sync, and a new process handles the push again: every
// issue exists once, every sub-issue and "blocked by" link exists, and no check run stays in progress.
import type { ChildProcess } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deliverTo, startChildServer, type ChildServer } from "../support/child-process.js";
import { generateAppKeys, until } from "../support/e2e.js";
import { FakeGitHub } from "../support/fake-github/index.js";
import { WebhookPayloads } from "../support/webhook-payloads.js";
import {
  INSTALLATION,
  NAME,
  OWNER,
  PLAN_PATH,
  push,
  RATE_LIMITER,
  RATE_LIMITER_TITLES,
  REPO,
  startScenario,
} from "./scenario.js";

const APP_ID = 4242;
const SECRET = "crash-secret";
const keys = generateAppKeys();

let fake: FakeGitHub;
let children: ChildProcess[] = [];
beforeEach(async () => {
  fake = await FakeGitHub.start();
  fake.addApp({ id: APP_ID, slug: "plan-sync", publicKey: keys.publicKey });
  fake.addInstallation({ id: INSTALLATION, appId: APP_ID, account: OWNER });
  fake.addRepo({ owner: OWNER, name: NAME, installationId: INSTALLATION });
});
afterEach(async () => {
  for (const child of children) child.kill("SIGKILL");
  children = [];
  await fake.close();
});

/** Starts the app in a new process; answers its URL once it listens. */
async function startServer(): Promise<ChildServer> {
  const started = await startChildServer({
    fakeUrl: fake.url,
    appId: APP_ID,
    privateKey: keys.privateKey,
    secret: SECRET,
  });
  children.push(started.child);
  return started;
}

const deliver = (url: string, name: string, payload: object) => deliverTo(url, SECRET, name, payload);

const number = (title: string) => fake.issues(REPO).find((issue) => issue.title === title)?.number;
/** Each step's "blocked by" links as the plan names them, by title. */
const BLOCKERS: Record<string, string[]> = {
  "Limiter client with circuit breaker": ["Token bucket script"],
  Middleware: ["Limiter client with circuit breaker"],
  "Limits admin endpoint": ["Middleware"],
  "Shadow mode": ["Middleware"],
  "Enforce for all tenants": ["Shadow mode", "Limits admin endpoint"],
};

describe("a SIGKILL in the middle of a first sync, then a new process", () => {
  it.each([
    ["after the 4th issue is created", "issues/create", 4, "redelivered"],
    ["after the 2nd issue is created", "issues/create", 2, "followed by another"],
    ["as the 3rd sub-issue link is sent", "issues/add-sub-issue", 3, "redelivered"],
    ["as the 2nd blocked-by link is sent", "issues/add-blocked-by-dependency", 2, "followed by another"],
    ["as the tracking issue is updated", "issues/update", 1, "followed by another"],
  ])(
    "killed %s (%s #%i), the push %s: every issue once, every link there, no check run in progress",
    async (_, route, nth, then) => {
      const first = await startServer();
      let seen = 0;
      fake.faults.add({
        route,
        status: 500,
        when: () => {
          if (++seen === nth) first.child.kill("SIGKILL"); // GitHub still commits the request
          return false;
        },
      });
      const sha = fake.commit(REPO, "main", { [PLAN_PATH]: RATE_LIMITER });
      const payload = new WebhookPayloads(fake).push({ repo: REPO, after: sha });
      expect(await deliver(first.url, "push", payload)).toBe(200);
      await until(() => first.child.exitCode !== null || first.child.signalCode !== null, {
        timeoutMs: 30_000,
        what: "the kill",
      });
      expect(fake.checkRuns(REPO).map((run) => run.status)).toEqual(["in_progress"]);
      fake.faults.clear();

      // The push is redelivered (GitHub's "Redeliver") to the new process, or another push comes (a change
      // that shows nowhere on GitHub).
      const second = await startServer();
      const next =
        then === "redelivered"
          ? payload
          : new WebhookPayloads(fake).push({
              repo: REPO,
              after: fake.commit(REPO, "main", { [PLAN_PATH]: RATE_LIMITER.replace("85%", "90%") }),
            });
      expect(await deliver(second.url, "push", next)).toBe(200);
      await until(
        () =>
          fake.checkRuns(REPO).length === 2 &&
          fake.checkRuns(REPO).every((run) => run.status === "completed"),
        { timeoutMs: 30_000, what: "every check run to complete" },
      );

      const titles = fake.issues(REPO).map((issue) => issue.title);
      expect(titles.filter((title) => RATE_LIMITER_TITLES.includes(title)).sort()).toEqual(
        [...RATE_LIMITER_TITLES].sort(),
      );
      const tracking = number(RATE_LIMITER_TITLES[0] ?? "");
      expect(fake.subIssues(REPO, tracking ?? 0).sort()).toEqual(
        RATE_LIMITER_TITLES.slice(1)
          .map((title) => number(title))
          .sort(),
      );
      for (const [step, blockers] of Object.entries(BLOCKERS))
        expect(fake.blockedBy(REPO, number(step) ?? 0).sort(), step).toEqual(
          blockers.map((title) => number(title)).sort(),
        );
      expect(fake.checkRuns(REPO).map((run) => [run.status, run.conclusion])).toEqual([
        ["completed", "neutral"],
        ["completed", "success"],
      ]);
    },
    90_000,
  );
});

describe("a marker claiming a link GitHub does not show", () => {
  it("the next sync re-creates the sub-issue and blocked-by links", async () => {
    const app = await startScenario();
    try {
      await push(app, { [PLAN_PATH]: RATE_LIMITER });
      const store = app.fake.store;
      const repo = store.repos.get(REPO);
      if (!repo) throw new Error(`no ${REPO}`);
      const idOf = (title: string) =>
        store.issueByNumber(repo, app.fake.issues(REPO).find((issue) => issue.title === title)?.number ?? 0)
          .id;
      // What a crash between a create and its links leaves: the markers name the links, GitHub has none.
      const tracking = idOf(RATE_LIMITER_TITLES[0] ?? "");
      const middleware = idOf("Middleware");
      store.subIssues.set(
        tracking,
        (store.subIssues.get(tracking) ?? []).filter((id) => id !== middleware),
      );
      store.parentOf.delete(middleware);
      store.blockedBy.set(middleware, []);
      await push(app, { [PLAN_PATH]: RATE_LIMITER.replace("85%", "90%") });
      const number = (title: string) => app.fake.issues(REPO).find((issue) => issue.title === title)?.number;
      expect(app.fake.subIssues(REPO, 1)).toContain(number("Middleware"));
      expect(app.fake.blockedBy(REPO, number("Middleware") ?? 0)).toEqual([
        number("Limiter client with circuit breaker"),
      ]);
      app.fake.assertNoUnexpectedRequests();
    } finally {
      await app.close();
    }
  });
});
