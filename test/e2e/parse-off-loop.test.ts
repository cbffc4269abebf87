// A large parse never stalls the server (SPEC.md §6): the server app (serverApp, as `npm start` runs it) parses in a
// worker thread, so while repository A's 1 MiB plan is being parsed, a push to repository B is synced and answered.
// Asserted by order, not time: when B has been answered and synced, A has sent nothing since its plan was read.
import { afterEach, beforeEach, expect, it } from "vitest";
import { largePlanWithFewSteps } from "../../bench/webhook-during-parse.js";
import serverApp from "../../src/runtime/server.js";
import { DEFAULT_MAX_BYTES } from "../../src/plan/parse.js";
import { startApp, until, type RunningApp } from "../support/e2e.js";
import { RATE_LIMITER, RATE_LIMITER_TITLES } from "./scenario.js";

const OWNER = "acme";
const LARGE = { repo: `${OWNER}/monolith`, path: "plans/large.md" };
const SMALL = { repo: `${OWNER}/gateway`, path: "plans/rate-limiter.md" };

let app: RunningApp;
beforeEach(async () => {
  app = await startApp(serverApp);
  app.fake.addInstallation({ id: 7, appId: app.appId, account: OWNER });
  for (const { repo } of [LARGE, SMALL])
    app.fake.addRepo({ owner: OWNER, name: repo.split("/")[1] ?? "", installationId: 7 });
});
afterEach(async () => {
  try {
    app.fake.assertNoUnexpectedRequests();
  } finally {
    await app.close();
  }
});

const titles = (repo: string) => app.fake.issues(repo).map((issue) => issue.title);
const checkRuns = (repo: string) =>
  app.fake.checkRuns(repo).map((run) => ({ status: run.status, conclusion: run.conclusion }));
const requestsOf = (repo: string) =>
  app.fake.log.requests().filter((request) => request.path.startsWith(`/repos/${repo}/`));

it("a push to another repository is synced and answered while a 1 MiB plan is parsed", async () => {
  const large = largePlanWithFewSteps();
  expect(Buffer.byteLength(large)).toBeGreaterThan(1000 * 1024);
  expect(Buffer.byteLength(large)).toBeLessThan(DEFAULT_MAX_BYTES);
  app.fake.commit(LARGE.repo, "main", { [LARGE.path]: large });
  app.fake.commit(SMALL.repo, "main", { [SMALL.path]: RATE_LIMITER });
  app.fake.log.clear();

  // Both webhooks are answered before their work runs; the test waits for that work by what the fake sees.
  const largeAnswer = app.sendWebhook("push", app.payloads.push({ repo: LARGE.repo }), {
    waitForWork: false,
  });
  const largeRead = await until(
    () =>
      app.fake.log
        .requests({ operationId: "repos/get-content", status: 200 })
        .find(
          (request) => decodeURIComponent(request.path) === `/repos/${LARGE.repo}/contents/${LARGE.path}`,
        ),
    { timeoutMs: 15_000, what: "the large plan to be read" },
  );

  const smallPush = app.payloads.push({ repo: SMALL.repo });
  expect(await app.sendWebhook("push", smallPush, { waitForWork: false })).toBe(200);
  // Its parse goes to the small plans' worker, which may have to start first (seconds under tsx).
  await until(() => checkRuns(SMALL.repo)[0]?.status === "completed", {
    timeoutMs: 15_000,
    what: "the small plan's sync",
  });
  const whenSmallSynced = {
    small: { issues: titles(SMALL.repo), checkRuns: checkRuns(SMALL.repo) },
    large: {
      issues: titles(LARGE.repo),
      checkRuns: checkRuns(LARGE.repo),
      requestsSinceRead: requestsOf(LARGE.repo).filter((request) => request.seq > largeRead.seq).length,
    },
  };
  expect(whenSmallSynced).toEqual({
    small: { issues: RATE_LIMITER_TITLES, checkRuns: [{ status: "completed", conclusion: "success" }] },
    large: { issues: [], checkRuns: [{ status: "in_progress", conclusion: null }], requestsSinceRead: 0 },
  });

  expect(await largeAnswer).toBe(200);
  await app.idle();
  expect({ issues: titles(LARGE.repo), checkRuns: checkRuns(LARGE.repo) }).toEqual({
    issues: RATE_LIMITER_TITLES,
    checkRuns: [{ status: "completed", conclusion: "success" }],
  });
}, 60_000);
