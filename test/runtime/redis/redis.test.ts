// REDIS_URL set: Probot loads ioredis (a production dependency) for its clustered request throttling. Without
// the package it exits at startup; here it starts against a real redis-server and connects to it.
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { run } from "probot";
import { createApp } from "../../../src/runtime/create-app.js";
import { signWebhook, WEBHOOK_PATH } from "../../support/e2e.js";
import { freePort, redisServerBinary, startRedis, type RunningRedis } from "../../support/redis.js";

const binary = redisServerBinary();
if (!binary) console.warn("SKIPPED: Redis tests: no redis-server binary (apt-get install redis-server)");

describe.skipIf(!binary)("with REDIS_URL", () => {
  let redis: RunningRedis;
  let server: Awaited<ReturnType<typeof run>>;
  let url: string;
  const secret = "redis-test-secret";

  beforeAll(async () => {
    redis = await startRedis(binary as string);
    const { privateKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs1", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    const sigint = new Set(process.listeners("SIGINT"));
    const app = createApp();
    server = await run(app, {
      env: {
        APP_ID: "4242",
        PRIVATE_KEY: privateKey,
        WEBHOOK_SECRET: secret,
        HOST: "127.0.0.1",
        PORT: String(await freePort()),
        REDIS_URL: redis.url,
        LOG_LEVEL: "fatal",
        GHE_HOST: "127.0.0.1:9",
        GHE_PROTOCOL: "http",
      },
      Octokit: app.Octokit,
    });
    // run() installs a SIGINT handler that exits the process: not ours to keep in a test worker.
    for (const listener of process.listeners("SIGINT"))
      if (!sigint.has(listener)) process.off("SIGINT", listener);
    url = `http://127.0.0.1:${server.port}`;
  }, 30_000);

  afterAll(async () => {
    await server?.stop();
    await redis?.stop();
  });

  it("Probot starts, answers, and its throttling is connected to the redis-server", async () => {
    const ping = await fetch(`${url}/ping`);
    expect([ping.status, await ping.text()]).toEqual([200, "PONG"]);
    const body = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1 });
    const delivery = await fetch(`${url}${WEBHOOK_PATH}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "ping",
        "x-github-delivery": randomUUID(),
        "x-hub-signature-256": signWebhook(body, secret),
      },
      body,
    });
    expect(delivery.status).toBe(200);
    const probe = new Redis(redis.url);
    try {
      const clients = (await probe.client("LIST")) as string;
      // Ours, plus Bottleneck's client (and its subscriber) from Probot.
      expect(clients.trim().split("\n").length).toBeGreaterThanOrEqual(2);
    } finally {
      probe.disconnect();
    }
  });
});
