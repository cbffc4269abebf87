// Two instances of the App (two Probot servers) on one fake GitHub and one real redis-server, sharing delivery
// claims and plan locks through Redis (SPEC.md §6). Skipped, saying so, without a redis-server binary.
import Bottleneck from "bottleneck";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { createApp, type AppOptions } from "../../../src/runtime/create-app.js";
import { redisCoordination, type Coordination } from "../../../src/runtime/redis/coordination.js";
import { parsePlan } from "../../../src/plan/parse.js";
import { generateAppKeys, startApp, until, type RunningApp } from "../../support/e2e.js";
import { redisServerBinary, startRedis, type RunningRedis } from "../../support/redis.js";
import { INSTALLATION, NAME, OWNER, PLAN_PATH, RATE_LIMITER, REPO, writes } from "../../e2e/scenario.js";

const binary = redisServerBinary();
if (!binary) console.warn("SKIPPED: Redis tests: no redis-server binary (apt-get install redis-server)");

const APP_ID = 4242;
const LOCK_KEY = `plan-sync:${APP_ID}:lock:${OWNER}/${NAME}:${PLAN_PATH}`;
const BACKOFF_KEY = `plan-sync:${APP_ID}:backoff:${OWNER}`;
const DAY_MS = 24 * 3_600_000;

describe.skipIf(!binary)("two instances sharing a redis-server", () => {
  let server: RunningRedis;
  let probe: Redis;
  let instances: RunningApp[] = [];
  let coordinations: Coordination[] = [];
  /** Plans an instance found locked by the other, in order. */
  let waits: string[] = [];
  /** While set, every parse waits for it (a sync held at a known point); `openGate` releases it. */
  let parseGate: Promise<void> | null = null;
  let openGate = () => {};
  let parses = 0;
  const closeGate = () => (parseGate = new Promise<void>((resolve) => (openGate = resolve)));

  const heldParse: AppOptions["parsePlan"] = async (source, options) => {
    parses++;
    await parseGate;
    return parsePlan(source, options);
  };

  beforeAll(async () => {
    server = await startRedis(binary as string);
    probe = new Redis(server.url);
  }, 30_000);
  afterAll(async () => {
    probe?.disconnect();
    await server?.stop();
  });

  beforeEach(async () => {
    waits = [];
    parseGate = null;
    parses = 0;
    const appKeys = generateAppKeys();
    for (const name of ["a", "b"]) {
      const coordination = await redisCoordination({
        url: server.url,
        appId: APP_ID,
        lock: { maxPollMs: 50, onWait: (plan) => waits.push(`${name} ${plan}`) },
      });
      coordinations.push(coordination);
      const { deliveries, planQueue, backoff } = coordination;
      const fake = instances[0]?.fake;
      const now = () => new Date("2026-11-25T10:00:00Z");
      const app = createApp({ now, deliveries, planQueue, backoff, parsePlan: heldParse });
      // The production Octokit class, its throttling on (rate limits waited out), writes not spaced 1 s apart.
      const unspaced = () => new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 });
      const octokit = { throttle: { enabled: true, write: unspaced(), notifications: unspaced() } };
      const shared = fake ? { fake } : {};
      instances.push(await startApp(app, { appId: APP_ID, appKeys, octokit, ...shared }));
    }
    const fake = instances[0]!.fake;
    fake.addInstallation({ id: INSTALLATION, appId: APP_ID, account: OWNER });
    fake.addRepo({ owner: OWNER, name: NAME, installationId: INSTALLATION });
  }, 30_000);

  afterEach(async () => {
    openGate();
    // The second instance shares the first's fake: stopped first, before the fake closes.
    for (const instance of instances.reverse()) await instance.close();
    for (const coordination of coordinations) await coordination.close();
    instances = [];
    coordinations = [];
    await probe.flushall();
  });

  const [a, b] = [() => instances[0]!, () => instances[1]!];

  it("the same delivery sent to both at once is handled by one: every write is sent once", async () => {
    a().fake.commit(REPO, "main", { [PLAN_PATH]: RATE_LIMITER });
    const payload = a().payloads.push({ repo: REPO });
    a().fake.log.clear();
    const deliveryId = "same-delivery-1";
    expect(
      await Promise.all([
        a().sendWebhook("push", payload, { deliveryId }),
        b().sendWebhook("push", payload, { deliveryId }),
      ]),
    ).toEqual([200, 200]);
    const routes = writes(a()).map((request) => `${request.method} ${request.route}`);
    expect(routes.filter((route) => route === "POST /repos/{owner}/{repo}/check-runs")).toHaveLength(1);
    expect(routes.filter((route) => route === "POST /repos/{owner}/{repo}/issues")).toHaveLength(10);
    expect(a().fake.issues(REPO)).toHaveLength(10);
    expect(await probe.get(`plan-sync:${APP_ID}:delivery:${deliveryId}`)).toBe("done");
  });

  it("two pushes of one plan, one to each instance at once: one syncs while the other waits; one issue per item", async () => {
    closeGate();
    a().fake.commit(REPO, "main", { [PLAN_PATH]: RATE_LIMITER });
    const first = a().payloads.push({ repo: REPO });
    a().fake.commit(REPO, "main", {
      [PLAN_PATH]: RATE_LIMITER.replace("Token bucket script", "Bucket script two"),
    });
    const second = a().payloads.push({ repo: REPO });
    const answers = Promise.all([a().sendWebhook("push", first), b().sendWebhook("push", second)]);
    // One instance holds the plan (its sync parked in the parse), the other reports it waits for the lock.
    await until(() => waits.length === 1, { what: "one instance to wait for the other's lock" });
    expect([parses, await probe.exists(LOCK_KEY)]).toEqual([1, 1]);
    openGate();
    expect(await answers).toEqual([200, 200]);
    const titles = a()
      .fake.issues(REPO)
      .map((issue) => issue.title);
    expect(titles).toHaveLength(10);
    expect(new Set(titles).size).toBe(10);
    expect(titles.filter((title) => title.includes("Bucket script two"))).toHaveLength(1);
    expect(
      a()
        .fake.checkRuns(REPO)
        .map((run) => run.conclusion),
    ).toEqual(["success", "success"]);
    expect(waits).toEqual([expect.stringMatching(new RegExp(` ${OWNER}/${NAME}:${PLAN_PATH}$`))]);
  });

  it("a lock left by a dead holder expires, and the next sync goes ahead", async () => {
    await probe.set(LOCK_KEY, "holder-that-died", "PX", 1000);
    a().fake.commit(REPO, "main", { [PLAN_PATH]: RATE_LIMITER });
    expect(await a().sendWebhook("push", a().payloads.push({ repo: REPO }))).toBe(200);
    expect(waits).toEqual([`a ${OWNER}/${NAME}:${PLAN_PATH}`]);
    expect(a().fake.issues(REPO)).toHaveLength(10);
    expect(
      a()
        .fake.checkRuns(REPO)
        .map((run) => run.conclusion),
    ).toEqual(["success"]);
    expect(await probe.exists(LOCK_KEY)).toBe(0);
  });

  it("keys carry the App id and expire: the lock while a sync runs, the claim running then done for 3 days", async () => {
    closeGate();
    a().fake.commit(REPO, "main", { [PLAN_PATH]: RATE_LIMITER });
    const deliveryId = "keys-1";
    const deliveryKey = `plan-sync:${APP_ID}:delivery:${deliveryId}`;
    const answer = a().sendWebhook("push", a().payloads.push({ repo: REPO }), { deliveryId });
    await until(() => parses === 1, { what: "the sync to reach its parse" });
    expect((await probe.keys("*")).sort()).toEqual([deliveryKey, LOCK_KEY]);
    expect(await probe.get(deliveryKey)).toBe("running");
    const running = { delivery: await probe.pttl(deliveryKey), lock: await probe.pttl(LOCK_KEY) };
    expect(running.delivery).toBeGreaterThan(0);
    expect(running.delivery).toBeLessThanOrEqual(10 * 60_000);
    expect(running.lock).toBeGreaterThan(0);
    expect(running.lock).toBeLessThanOrEqual(30_000);
    openGate();
    expect(await answer).toBe(200);
    expect(await probe.keys("*")).toEqual([deliveryKey]);
    expect(await probe.get(deliveryKey)).toBe("done");
    expect(await probe.pttl(deliveryKey)).toBeGreaterThan(3 * DAY_MS - 60_000);
    expect(await probe.pttl(deliveryKey)).toBeLessThanOrEqual(3 * DAY_MS);
  });

  it("a secondary limit met by one instance holds the other's writes for the account until it passes", async () => {
    const fake = a().fake;
    fake.commit(REPO, "main", { [PLAN_PATH]: RATE_LIMITER });
    const first = a().payloads.push({ repo: REPO });
    fake.log.clear();
    const limit = fake.faults.secondaryRateLimit("issues/create", { retryAfter: 2 });
    const answers = [a().sendWebhook("push", first)];
    await until(async () => (await probe.pttl(BACKOFF_KEY)) > 0, { what: "the back-off recorded in Redis" });
    expect(limit.fired).toBe(1);
    // Another plan of the same account, on the other instance: no lock in common, only the back-off.
    fake.commit(REPO, "main", { "plans/other.md": RATE_LIMITER });
    answers.push(b().sendWebhook("push", b().payloads.push({ repo: REPO })));
    expect(await Promise.all(answers)).toEqual([200, 200]);

    const [hit] = fake.log.requests({ outcome: "fault" });
    const sent = writes(a()).filter((request) => request.outcome !== "fault");
    expect(sent.filter((request) => request.at > hit!.at && request.at < hit!.at + 2000)).toEqual([]);
    expect(fake.issues(REPO)).toHaveLength(20);
    expect(fake.checkRuns(REPO).map((run) => run.conclusion)).toEqual(["success", "success"]);
  });
});
