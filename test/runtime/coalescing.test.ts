// Three pushes of one plan delivered at the same moment, on the real server and the fake GitHub: the first sync
// runs, the two others coalesce into one more sync of the newest state (SPEC.md §6); the middle push's check run
// points to the newest one's instead of repeating it.
import { afterEach, expect, it } from "vitest";
import { createApp, type AppOptions } from "../../src/runtime/create-app.js";
import { createMetrics } from "../../src/runtime/metrics.js";
import { plansKey, pullRequestKey } from "../../src/app/work-queue.js";
import { InProcessWorkQueue } from "../../src/runtime/in-process-queue.js";
import { parsePlan } from "../../src/plan/parse.js";
import { startApp, until, type RunningApp } from "../support/e2e.js";
import { LogCapture } from "../support/log-capture.js";
import { INSTALLATION, issueEvent, NAME, OWNER, PLAN_PATH, RATE_LIMITER, REPO } from "../e2e/scenario.js";

const NOW = () => new Date("2026-11-25T10:00:00Z");

let app: RunningApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** Plan syncs seen by the fake: each begins with one read of the plan at the branch. */
function planReadsAtBranch(running: RunningApp): number {
  return running.fake.log
    .requests({ operationId: "repos/get-content" })
    .filter(
      (request) =>
        decodeURIComponent(request.path).endsWith(`/contents/${PLAN_PATH}`) &&
        request.query["ref"] === "main",
    ).length;
}

it("three pushes of one plan at the same moment: two syncs, the newest plan, the middle push superseded", async () => {
  // The first sync is held in its parse until both other pushes wait behind it: no timing involved.
  let parses = 0;
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const heldParse: AppOptions["parsePlan"] = async (source, options) => {
    if (++parses === 1) await released;
    return parsePlan(source, options);
  };
  const queue = new InProcessWorkQueue();
  const capture = new LogCapture();
  const metrics = createMetrics();
  const appFn = createApp({ now: NOW, queue, parsePlan: heldParse, metrics });
  const running = await startApp(appFn, { log: capture.log });
  running.fake.addInstallation({ id: INSTALLATION, appId: running.appId, account: OWNER });
  running.fake.addRepo({ owner: OWNER, name: NAME, installationId: INSTALLATION });
  app = running;
  const pushes = ["one", "two", "three"].map((version) => {
    const sha = running.fake.commit(REPO, "main", {
      [PLAN_PATH]: RATE_LIMITER.replace("Token bucket script", `Bucket script ${version}`),
    });
    return { sha, payload: running.payloads.push({ repo: REPO }) };
  });
  running.fake.log.clear();

  // Each answer comes back while the first sync is still held: webhooks are answered before their work.
  const key = plansKey(OWNER, NAME);
  const answers: number[] = [];
  for (const [index, { payload }] of pushes.entries()) {
    answers.push(await running.sendWebhook("push", payload, { waitForWork: false }));
    if (index === 0) await until(() => parses === 1, { what: "the first sync's parse" });
    else await until(() => queue.waiting(key) === index, { what: `${index} push(es) waiting` });
  }
  expect({ answers, issues: running.fake.issues(REPO).length }).toEqual({
    answers: [200, 200, 200],
    issues: 0,
  });
  release();
  await running.idle();

  expect(planReadsAtBranch(running)).toBe(2);
  const titles = running.fake.issues(REPO).map((issue) => issue.title);
  expect(titles).toHaveLength(10);
  expect(new Set(titles).size).toBe(10);
  expect(titles.filter((title) => title.includes("Bucket script"))).toEqual([
    expect.stringContaining("Bucket script three"),
  ]);
  const [first, middle, newest] = pushes.map(({ sha }) => sha);
  const runs = running.fake.checkRuns(REPO).map((run) => ({
    sha: run.headSha,
    conclusion: run.conclusion,
    title: run.output.title,
    summary: run.output.summary,
  }));
  expect(runs).toEqual([
    {
      sha: first,
      conclusion: "success",
      title: "1 plan in sync",
      summary: expect.stringContaining("synced"),
    },
    {
      sha: middle,
      conclusion: "neutral",
      title: `Superseded by ${newest?.slice(0, 7)}`,
      summary: [
        `### \`${PLAN_PATH}\``,
        `superseded by ${newest?.slice(0, 7)}: that newer push's sync covered this one (see its check run)`,
      ].join("\n"),
    },
    {
      sha: newest,
      conclusion: "success",
      title: "1 plan in sync",
      summary: expect.stringContaining("synced"),
    },
  ]);
  // One line per sync that ran, not one per push.
  expect(capture.withMessage("plan-sync: plan synced").map((line) => line["plan"])).toEqual([
    PLAN_PATH,
    PLAN_PATH,
  ]);
  // Every job logs its start and end with its delivery id; the coalesced batch names both deliveries it served.
  const ended = capture.withMessage("plan-sync: job sync-plan ended");
  expect(ended.map((line) => (line["deliveries"] as string[]).length)).toEqual([1, 2]);
  expect(ended.every((line) => typeof line["id"] === "string" && typeof line["ms"] === "number")).toBe(true);
  expect(capture.withMessage("plan-sync: job delivery started")).toHaveLength(3);
  // The coalesced run found all 10 items in place: counted once, not once per push it served.
  const avoided = await metrics.registry.getSingleMetric("plan_sync_writes_avoided_total")?.get();
  expect(avoided?.values.map((sample) => sample.value)).toEqual([10]);
  expect(queue.size).toBe(0);
  running.fake.log.assertNoUnexpectedRequests();
});

it("an issue event joining a push's waiting sync: one sync, logged once (by the caller whose work ran)", async () => {
  let parses = 0;
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const heldParse: AppOptions["parsePlan"] = async (source, options) => {
    if (++parses === 2) await released;
    return parsePlan(source, options);
  };
  const queue = new InProcessWorkQueue();
  const capture = new LogCapture();
  const running = await startApp(createApp({ now: NOW, queue, parsePlan: heldParse }), {
    log: capture.log,
  });
  running.fake.addInstallation({ id: INSTALLATION, appId: running.appId, account: OWNER });
  running.fake.addRepo({ owner: OWNER, name: NAME, installationId: INSTALLATION });
  app = running;
  running.fake.commit(REPO, "main", { [PLAN_PATH]: RATE_LIMITER });
  await running.sendWebhook("push", running.payloads.push({ repo: REPO }));
  expect(running.fake.issues(REPO)).toHaveLength(10);

  // A second push is held in its parse; a person closes step #3, then a third push lands: the issue event and
  // the third push wait behind the second push and coalesce into one sync (the third push's work).
  const key = plansKey(OWNER, NAME);
  running.fake.commit(REPO, "main", { [PLAN_PATH]: RATE_LIMITER.replace("Shadow mode", "Shadow traffic") });
  await running.sendWebhook("push", running.payloads.push({ repo: REPO }), { waitForWork: false });
  await until(() => parses === 2, { what: "the second push's parse" });
  running.fake.updateIssue(REPO, 3, { state: "closed" }, { as: "alice" });
  await running.sendWebhook("issues", issueEvent(running, 3, "closed", "alice"), { waitForWork: false });
  await until(() => queue.waiting(key) === 1, { what: "the issue event waiting" });
  running.fake.commit(REPO, "main", { [PLAN_PATH]: RATE_LIMITER.replace("Shadow mode", "Shadow reads") });
  await running.sendWebhook("push", running.payloads.push({ repo: REPO }), { waitForWork: false });
  release();
  await running.idle();

  expect(running.fake.issue(REPO, 6).title).toBe("Shadow reads");
  expect(running.fake.issue(REPO, 3).state).toBe("closed"); // people win on state
  // The first push, the second, and the one run that served both the issue event and the third push.
  expect(capture.withMessage("plan-sync: plan synced")).toHaveLength(3);
  expect(queue.size).toBe(0);
});

it("two events of one pull request at the same moment: handled one after the other, one status comment", async () => {
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let parses = 0;
  const heldParse: AppOptions["parsePlan"] = async (source, options) => {
    parses++;
    await released;
    return parsePlan(source, options);
  };
  const queue = new InProcessWorkQueue();
  const running = await startApp(createApp({ now: NOW, queue, parsePlan: heldParse }));
  running.fake.addInstallation({ id: INSTALLATION, appId: running.appId, account: OWNER });
  running.fake.addRepo({ owner: OWNER, name: NAME, installationId: INSTALLATION });
  app = running;
  running.fake.commit(REPO, "feature", { [PLAN_PATH]: RATE_LIMITER });
  const { number } = running.fake.openPullRequest(REPO, { head: "feature", as: "alice" });
  const event = (action: string) =>
    running.payloads.pullRequest({ repo: REPO, number, action, sender: "alice" });

  await running.sendWebhook("pull_request", event("opened"), { waitForWork: false });
  await until(() => parses === 1, { what: "the first preview's parse" });
  await running.sendWebhook("pull_request", event("synchronize"), { waitForWork: false });
  // The second waits for the first (without the per-PR queue both would be parsing now, and both create).
  await until(() => queue.waiting(pullRequestKey(OWNER, NAME, number)) === 1, {
    what: "the second event waiting",
  });
  expect(parses).toBe(1);
  release();
  await running.idle();
  const ours = running.fake
    .comments(REPO, number)
    .filter((comment) => comment.user?.login === running.botLogin);
  expect(ours).toHaveLength(1);
  expect(parses).toBe(2);
});
