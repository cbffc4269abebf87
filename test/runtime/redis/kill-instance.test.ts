// Two app processes (the production server app) on one redis-server and one fake GitHub: the one running a
// 60-step first sync is killed (SIGKILL: nothing of it stops cleanly); the other takes the job up once its lock
// expires (BullMQ's stalled-job recovery) and finishes it, one issue per step. Skipped without redis-server.
import type { ChildProcess } from "node:child_process";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { deliverTo, startChildServer } from "../../support/child-process.js";
import { generateAppKeys, until } from "../../support/e2e.js";
import { FakeGitHub } from "../../support/fake-github/index.js";
import { redisServerBinary, startRedis, type RunningRedis } from "../../support/redis.js";
import { WebhookPayloads } from "../../support/webhook-payloads.js";
import { bigPlan, INSTALLATION, NAME, OWNER, REPO } from "../../e2e/scenario.js";

const binary = redisServerBinary();
if (!binary) console.warn("SKIPPED: Redis tests: no redis-server binary (apt-get install redis-server)");

const APP_ID = 4343;
const SECRET = "kill-secret";

describe.skipIf(!binary)("an instance killed mid-sync", () => {
  let redis: RunningRedis;
  let fake: FakeGitHub;
  const children: ChildProcess[] = [];
  const keys = generateAppKeys();

  beforeAll(async () => {
    redis = await startRedis(binary as string);
    fake = await FakeGitHub.start();
    fake.addApp({ id: APP_ID, slug: "plan-sync", publicKey: keys.publicKey });
    fake.addInstallation({ id: INSTALLATION, appId: APP_ID, account: OWNER });
    fake.addRepo({ owner: OWNER, name: NAME, installationId: INSTALLATION });
  }, 30_000);
  afterEach(() => {
    for (const child of children) child.kill("SIGKILL");
  });
  afterAll(async () => {
    await fake?.close();
    await redis?.stop();
  });

  const start = async () => {
    const server = await startChildServer({
      fakeUrl: fake.url,
      appId: APP_ID,
      privateKey: keys.privateKey,
      secret: SECRET,
      // A dead worker's job is taken up 2 s after its last lock renewal (BullMQ's default: 30 s).
      env: { REDIS_URL: redis.url, PLAN_SYNC_JOB_LOCK_MS: "2000" },
    });
    children.push(server.child);
    return server;
  };

  it("kill -9 of the instance running a 60-step first sync: the other finishes it, exactly one issue per step", async () => {
    const [a, b] = [await start(), await start()];
    // Only `a` can take jobs at first: `b` is killed too, and started again once `a` is dead.
    b.child.kill("SIGKILL");
    let created = 0;
    fake.faults.add({
      route: "issues/create",
      status: 500,
      when: () => {
        if (++created === 20) a.child.kill("SIGKILL"); // GitHub still commits this create
        return false;
      },
    });
    fake.commit(REPO, "main", { "plans/big.md": bigPlan(6, 10) });
    expect(await deliverTo(a.url, SECRET, "push", new WebhookPayloads(fake).push({ repo: REPO }))).toBe(200);
    await until(() => a.child.signalCode !== null, { timeoutMs: 60_000, what: "the kill" });
    const [run] = fake.checkRuns(REPO);
    expect(run?.status).toBe("in_progress");
    const left = fake.issues(REPO).length;
    expect(left).toBeLessThan(61);
    fake.faults.clear();

    await start();
    await until(() => fake.checkRuns(REPO)[0]?.status === "completed", {
      timeoutMs: 90_000,
      intervalMs: 100,
      what: "the other instance to finish the sync",
    });
    const titles = fake.issues(REPO).map((issue) => issue.title);
    expect(titles).toHaveLength(61);
    expect(new Set(titles).size).toBe(61);
    expect(fake.checkRuns(REPO).map((one) => [one.status, one.conclusion])).toEqual([
      ["completed", "success"],
    ]);
  }, 180_000);
});
