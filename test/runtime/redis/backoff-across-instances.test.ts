// Two instances of the App on one fake GitHub and one real redis-server, with the throttle's pacing ON: a secondary
// rate limit one instance meets holds the other's writes, including a write that was already waiting its turn in
// the pacing when the limit was met (issue #13: one left 999 ms into a 3 s back-off, checked before the pacing).
// Skipped, saying so, without a redis-server binary.
import Bottleneck from "bottleneck";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../../src/runtime/create-app.js";
import { RedisBackoff } from "../../../src/runtime/redis/backoff.js";
import { generateAppKeys, startApp, until, type RunningApp } from "../../support/e2e.js";
import { redisServerBinary, startRedis, type RunningRedis } from "../../support/redis.js";
import { writes } from "../../e2e/scenario.js";

const binary = redisServerBinary();
if (!binary) console.warn("SKIPPED: Redis tests: no redis-server binary (apt-get install redis-server)");

const APP_ID = 4343;
const OWNER = "acme";
const REPO = `${OWNER}/billing`;
/** Each issue create waits this long after the one before (GitHub's content-creation pacing, shortened). */
const CREATE_SPACING_MS = 2500;
const RETRY_AFTER_SECONDS = 3;

function plan(name: string): string {
  return [
    `# Implementation Plan: ${name}`,
    "",
    "## Implementation Steps",
    "",
    "### Phase 1: Ledger",
    "",
    `#### Step 1.1: Open the ${name} ledger`,
    "**What**: A table per account.",
    "",
    `#### Step 1.2: Close the ${name} ledger`,
    "**Depends on**: Step 1.1",
    "",
  ].join("\n");
}

describe.skipIf(!binary)(
  "a back-off met by one instance, while the other's write waits in the pacing",
  () => {
    let server: RunningRedis;
    const connections: Redis[] = [];
    const instances: RunningApp[] = [];

    beforeAll(async () => {
      server = await startRedis(binary as string);
      const appKeys = generateAppKeys();
      for (let index = 0; index < 2; index++) {
        const redis = new Redis(server.url);
        connections.push(redis);
        const app = createApp({
          now: () => new Date("2026-11-25T10:00:00Z"),
          backoff: new RedisBackoff(redis, `plan-sync:${APP_ID}:`),
        });
        // The throttle on, as in production; writes not spaced, issue creates spaced CREATE_SPACING_MS apart.
        const write = new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 });
        const notifications = new Bottleneck.Group({ maxConcurrent: 1, minTime: CREATE_SPACING_MS });
        const fake = instances[0]?.fake;
        instances.push(
          await startApp(app, {
            appId: APP_ID,
            appKeys,
            octokit: { throttle: { enabled: true, write, notifications } },
            ...(fake ? { fake } : {}),
          }),
        );
      }
      const fake = instances[0]!.fake;
      fake.addInstallation({ id: 77, appId: APP_ID, account: OWNER });
      fake.addRepo({ owner: OWNER, name: "billing", installationId: 77 });
    }, 30_000);

    afterAll(async () => {
      for (const instance of instances.reverse()) await instance.close();
      for (const redis of connections) redis.disconnect();
      await server?.stop();
    });

    it("no write of either instance leaves inside the back-off", async () => {
      const [a, b] = [instances[0]!, instances[1]!];
      const fake = a.fake;
      const issueCreates = () =>
        fake.log.requests({ method: "POST", route: "/repos/{owner}/{repo}/issues", outcome: "ok" });
      fake.log.clear();
      // b syncs its plan: its first issue create leaves, the next waits CREATE_SPACING_MS for its turn.
      fake.commit(REPO, "main", { "plans/payouts.md": plan("payouts") });
      const bDone = b.sendWebhook("push", b.payloads.push({ repo: REPO }));
      await until(() => issueCreates().length > 0, { what: "b's first issue create", timeoutMs: 15_000 });
      // Meanwhile a syncs another plan and meets a secondary limit on its first write.
      const limit = fake.faults.secondaryRateLimit("checks/create", { retryAfter: RETRY_AFTER_SECONDS });
      fake.commit(REPO, "main", { "plans/refunds.md": plan("refunds") });
      const aDone = a.sendWebhook("push", a.payloads.push({ repo: REPO }));
      expect(await Promise.all([bDone, aDone])).toEqual([200, 200]);

      expect(limit.fired).toBe(1);
      const [hit] = fake.log.requests({ outcome: "fault" });
      const inside = writes(a).filter(
        (request) =>
          request.outcome !== "fault" &&
          request.at > hit!.at &&
          request.at < hit!.at + RETRY_AFTER_SECONDS * 1000,
      );
      expect(
        inside.map((request) => `${request.method} ${request.route} +${request.at - hit!.at} ms`),
      ).toEqual([]);
      expect(fake.issues(REPO)).toHaveLength(6);
      expect(fake.checkRuns(REPO).map((run) => run.conclusion)).toEqual(["success", "success"]);
    }, 60_000);
  },
);
