// Three pushes of one plan delivered at the same moment, on the real server and the fake GitHub: the first sync
// runs, the two others coalesce into one more sync of the newest state (SPEC.md §6).
import { afterEach, expect, it } from "vitest";
import type { AppOptions } from "../../src/app/index.js";
import { planKey, PlanQueue } from "../../src/app/queue.js";
import { parsePlan } from "../../src/plan/parse.js";
import { until, type RunningApp } from "../support/e2e.js";
import { NAME, OWNER, PLAN_PATH, RATE_LIMITER, REPO, startScenario } from "../e2e/scenario.js";

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

it("three pushes of one plan at the same moment: two syncs, the newest plan, no duplicate issue", async () => {
  // The first sync is held in its parse until both other pushes wait behind it: no timing involved.
  let parses = 0;
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const heldParse: AppOptions["parsePlan"] = async (source, options) => {
    if (++parses === 1) await released;
    return parsePlan(source, options);
  };
  const queue = new PlanQueue();
  const running = await startScenario({ planQueue: queue, parsePlan: heldParse });
  app = running;
  const payloads = ["one", "two", "three"].map((version) => {
    running.fake.commit(REPO, "main", {
      [PLAN_PATH]: RATE_LIMITER.replace("Token bucket script", `Bucket script ${version}`),
    });
    return running.payloads.push({ repo: REPO });
  });
  running.fake.log.clear();

  const answers = Promise.all(payloads.map((payload) => running.sendWebhook("push", payload)));
  await until(() => queue.waiting(planKey(OWNER, NAME, PLAN_PATH)) === 2, {
    what: "two pushes waiting behind the first sync",
  });
  release();
  expect(await answers).toEqual([200, 200, 200]);

  expect(planReadsAtBranch(running)).toBe(2);
  const titles = running.fake.issues(REPO).map((issue) => issue.title);
  expect(titles).toHaveLength(10);
  expect(new Set(titles).size).toBe(10);
  expect(titles.filter((title) => title.includes("Bucket script"))).toEqual([
    expect.stringContaining("Bucket script three"),
  ]);
  expect(running.fake.checkRuns(REPO).map((run) => run.conclusion)).toEqual([
    "success",
    "success",
    "success",
  ]);
  expect(queue.size).toBe(0);
  running.fake.log.assertNoUnexpectedRequests();
});
