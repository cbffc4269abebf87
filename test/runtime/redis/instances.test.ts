// Two instances of the App (two Probot servers) on one fake GitHub and one real redis-server, their work in one
// BullMQ queue (SPEC.md §5, §6). Skipped, saying so, without a redis-server binary. Waits poll a condition with a
// generous bound, never a fixed sleep: the machine is shared.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { createApp, type AppOptions } from "../../../src/runtime/create-app.js";
import { redisCoordination, type Coordination } from "../../../src/runtime/redis/coordination.js";
import { parsePlan } from "../../../src/plan/parse.js";
import {
  generateAppKeys,
  startApp,
  until,
  type RunningApp,
  type StartAppOptions,
} from "../../support/e2e.js";
import Bottleneck from "bottleneck";
import { redisServerBinary, startRedis, type RunningRedis } from "../../support/redis.js";
import { INSTALLATION, NAME, OWNER, PLAN_PATH, RATE_LIMITER, REPO } from "../../e2e/scenario.js";

const binary = redisServerBinary();
if (!binary) console.warn("SKIPPED: Redis tests: no redis-server binary (apt-get install redis-server)");

const APP_ID = 4242;
const NOW = () => new Date("2026-11-25T10:00:00Z");

/** A plan of two steps whose titles carry `version` (so the final state shows which push it reflects). */
export function smallPlan(name: string, version: number): string {
  return [
    `# Implementation Plan: ${name}`,
    "",
    "## Implementation Steps",
    "",
    "### Phase 1: Work",
    "",
    `#### Step 1.1: Build ${name} {#build}`,
    `**What**: version ${version}`,
    "",
    `#### Step 1.2: Ship ${name} v${version} {#ship}`,
    "**Depends on**: Step 1.1",
    "",
  ].join("\n");
}

describe.skipIf(!binary)("two instances on one BullMQ queue", () => {
  let server: RunningRedis;
  let probe: Redis;
  let instances: RunningApp[] = [];
  let coordinations: Coordination[] = [];
  let appKeys = generateAppKeys();

  beforeAll(async () => {
    server = await startRedis(binary as string);
    probe = new Redis(server.url);
  }, 30_000);
  afterAll(async () => {
    probe?.disconnect();
    await server?.stop();
  });
  afterEach(async () => {
    // The second instance shares the first's fake: stopped first, before the fake closes.
    for (const instance of instances.reverse()) await instance.close();
    for (const coordination of coordinations) await coordination.close();
    instances = [];
    coordinations = [];
    await probe.flushall();
  });

  async function startInstance(
    options: AppOptions = {},
    concurrency = 4,
    start: Omit<StartAppOptions, "fake" | "appId" | "appKeys"> = {},
  ): Promise<RunningApp> {
    // A dead worker's job is taken up 3 s after its last lock renewal (BullMQ's default: 30 s).
    const coordination = await redisCoordination({
      url: server.url,
      appId: APP_ID,
      concurrency,
      lockDurationMs: 3_000,
    });
    coordinations.push(coordination);
    const { queue, runs, backoff } = coordination;
    const app = createApp({ now: NOW, queue, runs, backoff, ...options });
    const fake = instances[0]?.fake;
    const running = await startApp(app, { appId: APP_ID, appKeys, ...start, ...(fake ? { fake } : {}) });
    if (!fake) {
      running.fake.addInstallation({ id: INSTALLATION, appId: APP_ID, account: OWNER });
      running.fake.addRepo({ owner: OWNER, name: NAME, installationId: INSTALLATION });
    }
    instances.push(running);
    return running;
  }

  const idle = async () => {
    for (const coordination of coordinations) await coordination.queue.idle();
  };
  const checkRuns = (app: RunningApp) => app.fake.checkRuns(REPO);

  it("pushes of one plan while its sync runs coalesce into ONE more sync of the newest state", async () => {
    appKeys = generateAppKeys();
    let parses = 0;
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const heldParse: AppOptions["parsePlan"] = async (source, options) => {
      if (++parses === 1) await released;
      return parsePlan(source, options);
    };
    const a = await startInstance({ parsePlan: heldParse });
    const b = await startInstance({ parsePlan: heldParse });
    const shas: string[] = [];
    for (const [index, version] of ["one", "two", "three"].entries()) {
      shas.push(
        a.fake.commit(REPO, "main", {
          [PLAN_PATH]: RATE_LIMITER.replace("Token bucket script", `Bucket script ${version}`),
        }),
      );
      const instance = index % 2 === 0 ? a : b;
      await instance.sendWebhook("push", instance.payloads.push({ repo: REPO }), { waitForWork: false });
      if (index === 0) await until(() => parses === 1, { timeoutMs: 20_000, what: "the first sync's parse" });
    }
    // Both later pushes' jobs are listed for the plan behind the running sync; one batch job waits for it.
    await until(async () => (await probe.llen(`plan-sync:${APP_ID}:pending:${OWNER}/${NAME}:plans`)) === 2, {
      timeoutMs: 20_000,
      what: "two syncs waiting for the plan",
    });
    release();
    await until(() => checkRuns(a).every((run) => run.status === "completed") && checkRuns(a).length === 3, {
      timeoutMs: 30_000,
      what: "every check run concluded",
    });
    await idle();
    // Two syncs, each beginning with one read of the plan at the branch: the first, then the coalesced one.
    const reads = a.fake.log
      .requests({ operationId: "repos/get-content" })
      .filter(
        (request) => decodeURIComponent(request.path).endsWith(PLAN_PATH) && request.query["ref"] === "main",
      );
    expect(reads).toHaveLength(2);
    const titles = a.fake.issues(REPO).map((issue) => issue.title);
    expect(titles).toHaveLength(10);
    expect(titles.filter((title) => title.includes("Bucket script"))).toEqual([
      expect.stringContaining("Bucket script three"),
    ]);
    expect(checkRuns(a).map((run) => [run.headSha, run.conclusion])).toEqual([
      [shas[0], "success"],
      [shas[1], "neutral"],
      [shas[2], "success"],
    ]);
  }, 90_000);

  it("the same delivery sent to both: handled once", async () => {
    appKeys = generateAppKeys();
    const a = await startInstance();
    const b = await startInstance();
    a.fake.commit(REPO, "main", { [PLAN_PATH]: RATE_LIMITER });
    const payload = a.payloads.push({ repo: REPO });
    const deliveryId = "same-delivery-1";
    expect(
      await Promise.all([
        a.sendWebhook("push", payload, { deliveryId, waitForWork: false }),
        b.sendWebhook("push", payload, { deliveryId, waitForWork: false }),
      ]),
    ).toEqual([200, 200]);
    await until(() => checkRuns(a)[0]?.status === "completed", { timeoutMs: 30_000, what: "the run" });
    await idle();
    expect(checkRuns(a)).toHaveLength(1);
    expect(a.fake.issues(REPO)).toHaveLength(10);
    expect(await probe.exists(`plan-sync:${APP_ID}:jobs:delivery-${deliveryId}`)).toBe(1);
  }, 60_000);

  it("100 pushes to 20 plans across two instances: every plan at its newest commit, every run concluded once, no duplicate", async () => {
    appKeys = generateAppKeys();
    const a = await startInstance();
    const b = await startInstance();
    const plans = Array.from({ length: 20 }, (_, index) => `plans/p${index}.md`);
    for (let version = 1; version <= 5; version++)
      for (const [index, path] of plans.entries()) {
        a.fake.commit(REPO, "main", { [path]: smallPlan(`P${index}`, version) });
        const instance = (version + index) % 2 === 0 ? a : b;
        expect(
          await instance.sendWebhook("push", instance.payloads.push({ repo: REPO }), { waitForWork: false }),
        ).toBe(200);
      }
    await until(
      () => checkRuns(a).length === 100 && checkRuns(a).every((run) => run.status === "completed"),
      {
        timeoutMs: 240_000,
        intervalMs: 200,
        what: "100 check runs concluded",
      },
    );
    await idle();
    const issues = a.fake.issues(REPO);
    // A tracking issue and two steps per plan, each once; the shipped step names the newest version.
    expect(issues).toHaveLength(60);
    expect(new Set(issues.map((issue) => issue.title)).size).toBe(60);
    for (const [index] of plans.entries())
      expect(issues.filter((issue) => issue.title === `Ship P${index} v5`)).toHaveLength(1);
    const conclusions = checkRuns(a).map((run) => run.conclusion);
    expect(conclusions.every((conclusion) => conclusion === "success" || conclusion === "neutral")).toBe(
      true,
    );
    expect(a.fake.log.requests({ outcome: "invalid" })).toEqual([]);
  }, 300_000);

  it("a restart with 10 syncs queued loses none: the next instance runs them", async () => {
    appKeys = generateAppKeys();
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    // The first instance runs one job at a time and is stopped while its first sync is held: 10 plans' jobs wait.
    let parses = 0;
    const stuck: AppOptions["parsePlan"] = async (source, options) => {
      parses++;
      await released;
      return parsePlan(source, options);
    };
    const a = await startInstance({ parsePlan: stuck }, 1);
    const paths = Array.from({ length: 10 }, (_, index) => `plans/q${index}.md`);
    for (const [index, path] of paths.entries()) {
      a.fake.commit(REPO, "main", { [path]: smallPlan(`Q${index}`, 1) });
      await a.sendWebhook("push", a.payloads.push({ repo: REPO }), { waitForWork: false });
    }
    await until(() => parses === 1, { timeoutMs: 20_000, what: "the first sync to start" });
    // Stopped: its worker lets go (the held sync will be taken up again once its lock expires).
    const [first] = coordinations;
    await Promise.race([first!.close(), new Promise((resolve) => setTimeout(resolve, 1_000))]);
    release();
    const b = await startInstance();
    await until(() => checkRuns(b).length === 10 && checkRuns(b).every((run) => run.status === "completed"), {
      timeoutMs: 120_000,
      intervalMs: 200,
      what: "every queued sync run by the next instance",
    });
    expect(b.fake.issues(REPO)).toHaveLength(30);
    expect(new Set(b.fake.issues(REPO).map((issue) => issue.title)).size).toBe(30);
  }, 180_000);

  it("a sync paused by the hourly limit resumes after a restart, on the next instance", async () => {
    appKeys = generateAppKeys();
    // The hour scaled to 3 s (15 writes in it); a wait over 1 s pauses the sync instead of waiting in a request.
    const unspaced = () => new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 });
    const throttled = {
      octokit: { throttle: { enabled: true, write: unspaced(), notifications: unspaced() } },
    };
    const a = await startInstance({ maxRateLimitWaitSeconds: 1 }, 4, throttled);
    a.fake.faults.writeBudget({ perMinute: 1000, perHour: 15, minuteMs: 50 });
    a.fake.commit(REPO, "main", { [PLAN_PATH]: RATE_LIMITER });
    await a.sendWebhook("push", a.payloads.push({ repo: REPO }), { waitForWork: false });
    await until(async () => (await probe.zcard(`plan-sync:${APP_ID}:jobs:delayed`)) === 1, {
      timeoutMs: 30_000,
      what: "the paused sync as a delayed job",
    });
    const before = a.fake.issues(REPO).length;
    expect(before).toBeLessThan(10);
    expect(checkRuns(a)[0]?.status).toBe("in_progress");
    // The first instance stops; the delayed job stays in Redis and the next instance resumes it at its time.
    await coordinations[0]!.close();
    await startInstance({ maxRateLimitWaitSeconds: 1 }, 4, throttled);
    await until(() => checkRuns(a)[0]?.status === "completed", {
      timeoutMs: 60_000,
      intervalMs: 100,
      what: "the resumed sync",
    });
    expect(checkRuns(a).map((run) => [run.conclusion, run.output.title])).toEqual([
      ["success", "1 plan in sync"],
    ]);
    const titles = a.fake.issues(REPO).map((issue) => issue.title);
    expect(titles).toHaveLength(10);
    expect(new Set(titles).size).toBe(10);
  }, 120_000);
});
