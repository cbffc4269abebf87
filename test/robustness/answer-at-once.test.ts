// A webhook is answered at once and its work runs afterwards (SPEC.md §6): on the real server and the fake GitHub,
// a push is answered while its sync is held before its first write; a handler that throws after the answer is
// logged with the delivery id, releases the delivery (the redelivery runs) and does not bring the process down.
import { afterEach, beforeEach, expect, it } from "vitest";
import { createApp, type AppOptions } from "../../src/runtime/create-app.js";
import { parsePlan } from "../../src/plan/parse.js";
import { INSTALLATION, NAME, OWNER, PLAN_PATH, RATE_LIMITER, REPO } from "../e2e/scenario.js";
import { startApp, until, type RunningApp } from "../support/e2e.js";
import { LogCapture } from "../support/log-capture.js";

const NOW = () => new Date("2026-11-25T10:00:00Z");
const ISSUE_COUNT = 10;

let app: RunningApp | undefined;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  unhandled.length = 0;
  process.on("unhandledRejection", onUnhandled);
});
afterEach(async () => {
  process.off("unhandledRejection", onUnhandled);
  try {
    app?.fake.log.assertNoUnexpectedRequests();
  } finally {
    await app?.close();
    app = undefined;
  }
});

async function start(options: AppOptions, capture = new LogCapture()): Promise<RunningApp> {
  const running = await startApp(createApp({ now: NOW, ...options }), { log: capture.log });
  running.fake.addInstallation({ id: INSTALLATION, appId: running.appId, account: OWNER });
  running.fake.addRepo({ owner: OWNER, name: NAME, installationId: INSTALLATION });
  return running;
}

const issueWrites = (running: RunningApp) =>
  running.fake.log
    .requests()
    .filter((request) => request.method !== "GET" && request.path.includes("/issues"));

it("a push is answered before its sync writes anything; the sync runs afterwards", async () => {
  // The sync is held in its parse, before any issue is read or written, until the test has the answer.
  let parsing = false;
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const heldParse: AppOptions["parsePlan"] = async (source, options) => {
    parsing = true;
    await released;
    return parsePlan(source, options);
  };
  app = await start({ parsePlan: heldParse });
  app.fake.commit(REPO, "main", { [PLAN_PATH]: RATE_LIMITER });
  app.fake.log.clear();

  const status = await app.sendWebhook("push", app.payloads.push({ repo: REPO }), { waitForWork: false });
  await until(() => parsing, { what: "the sync's parse" });
  expect({ status, issues: app.fake.issues(REPO).length, writes: issueWrites(app).length }).toEqual({
    status: 200,
    issues: 0,
    writes: 0,
  });

  release();
  await app.idle();
  expect(app.fake.issues(REPO)).toHaveLength(ISSUE_COUNT);
  expect(app.fake.checkRuns(REPO).map((run) => [run.conclusion, run.output.title])).toEqual([
    ["success", "1 plan in sync"],
  ]);
});

it("a handler that throws after the answer: logged with the delivery id, the redelivery runs, no crash", async () => {
  const capture = new LogCapture();
  app = await start({}, capture);
  // The check run cannot be started: the push handler throws before any plan is synced.
  const fault = app.fake.faults.add({ route: "checks/create", status: 500, times: Infinity });
  app.fake.commit(REPO, "main", { [PLAN_PATH]: RATE_LIMITER });
  const payload = app.payloads.push({ repo: REPO });
  const delivery = "0d6c2b8e-7f4a-4e1b-9c3d-5a2f8e6b1c47";

  expect(await app.sendWebhook("push", payload, { deliveryId: delivery })).toBe(200);
  const errors = capture.lines.filter((line) => line.level >= 50);
  expect(errors.map(({ level, name, id, event, msg }) => ({ level, name, id, event, msg }))).toEqual([
    {
      level: 50,
      name: "event",
      id: delivery,
      event: "push",
      msg:
        `plan-sync: delivery ${delivery} (push) failed: POST /repos/${REPO}/check-runs answered 500: ` +
        "Internal Server Error; a redelivery runs it again",
    },
  ]);
  expect(errors[0]?.["err"]).toMatchObject({ status: 500 });
  expect({ issues: app.fake.issues(REPO).length, checkRuns: app.fake.checkRuns(REPO).length }).toEqual({
    issues: 0,
    checkRuns: 0,
  });

  // GitHub's "Redeliver": the same delivery id. Its claim was released, so it runs.
  fault.remove();
  expect(await app.sendWebhook("push", payload, { deliveryId: delivery })).toBe(200);
  expect(app.fake.issues(REPO)).toHaveLength(ISSUE_COUNT);
  expect(app.fake.checkRuns(REPO).map((run) => run.conclusion)).toEqual(["success"]);
  expect(capture.lines.filter((line) => line.level >= 50)).toHaveLength(1);
  expect(capture.withMessage("plan-sync: plan synced")).toEqual([
    expect.objectContaining({ id: delivery, plan: PLAN_PATH, status: "synced" }),
  ]);
  expect(unhandled).toEqual([]);
});
