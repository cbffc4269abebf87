// Failures are visible in the logs (SPEC.md §6): a failed sync logs one error line naming the delivery, the
// repository, the plan and the cause, and its check run fails with the reason; the same delivery sent again runs
// again. And nothing that grants access (installation token, webhook secret, private key, an Authorization or
// Cookie header) reaches a log line, even at `trace`.
import { spawn, type ChildProcess } from "node:child_process";
import { Writable } from "node:stream";
import { pino } from "pino";
import type { Logger } from "probot";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/runtime/create-app.js";
import { createLogger } from "../../src/runtime/logging.js";
import { INSTALLATION, NAME, OWNER, PLAN_PATH, RATE_LIMITER, REPO, closeChecked } from "../e2e/scenario.js";
import { generateAppKeys, startApp, until, type RunningApp } from "../support/e2e.js";
import { freePort } from "../support/redis.js";

type LogLine = Record<string, unknown> & { level: number; msg: string };

/** A destination that keeps every line the logger writes, raw and parsed. */
class LogCapture {
  readonly raw: string[] = [];
  private pending = "";
  readonly stream = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      this.take(chunk.toString("utf8"));
      done();
    },
  });

  take(text: string): void {
    const parts = (this.pending + text).split("\n");
    this.pending = parts.pop() ?? "";
    this.raw.push(...parts.filter((line) => line.trim() !== ""));
  }

  get lines(): LogLine[] {
    return this.raw.map((line) => JSON.parse(line) as LogLine);
  }
}

const SECRET = "webhook-secret-for-the-logging-test-5c1e";
const NOW = () => new Date("2026-11-25T10:00:00Z");

let app: RunningApp | undefined;
afterEach(async () => {
  const running = app;
  app = undefined;
  if (running) await closeChecked(running);
});

async function start(log: Logger): Promise<RunningApp> {
  const started = await startApp(createApp({ now: NOW }), { log, secret: SECRET });
  started.fake.addInstallation({ id: INSTALLATION, appId: started.appId, account: OWNER });
  started.fake.addRepo({ owner: OWNER, name: NAME, installationId: INSTALLATION });
  return started;
}

/** Sends the push of `main`'s head and waits for its check run to complete (work may run after the answer). */
async function deliverPush(running: RunningApp, deliveryId: string, payload?: object) {
  const runsBefore = running.fake.checkRuns(REPO).length;
  const body = payload ?? running.payloads.push({ repo: REPO });
  expect(await running.sendWebhook("push", body, { deliveryId })).toBe(200);
  await until(() => running.fake.checkRuns(REPO)[runsBefore]?.status === "completed", {
    timeoutMs: 12_000,
    what: `the check run of delivery ${deliveryId}`,
  });
  return body;
}

describe("a sync that fails for good", () => {
  it("logs one error line with delivery id, repo, plan and cause; the check run fails; a redelivery runs again", async () => {
    const capture = new LogCapture();
    app = await start(await createLogger({ env: { LOG_FORMAT: "json" }, destination: capture.stream }));
    const fault = app.fake.faults.add({
      route: "issues/create",
      status: 500,
      times: Infinity,
      when: (request) => request.body["title"] === "Middleware",
    });
    app.fake.commit(REPO, "main", { [PLAN_PATH]: RATE_LIMITER });
    const delivery = "5b0e6f4a-1c9d-4b7e-9a3f-2d8c7e6b5a41";
    const payload = await deliverPush(app, delivery);

    const errors = capture.lines.filter((line) => line.level >= 50);
    expect(errors).toEqual([
      expect.objectContaining({
        level: 50,
        name: "event",
        id: delivery,
        repo: REPO,
        plan: PLAN_PATH,
        status: "failed",
        error: "POST /repos/acme/gateway/issues answered 500: Internal Server Error",
        msg: "plan-sync: sync failed",
      }),
    ]);
    const [failed] = app.fake.checkRuns(REPO);
    expect([failed?.conclusion, failed?.output.title]).toEqual(["failure", "1 plan failed to sync"]);
    expect(failed?.output.summary).toContain(
      "POST /repos/acme/gateway/issues answered 500: Internal Server Error",
    );
    expect(app.fake.issues(REPO).map((issue) => issue.title)).toEqual([
      "Plan: Per-tenant API rate limiter",
      "Token bucket script",
      "Limiter client with circuit breaker",
    ]);

    // The same delivery, as GitHub's "Redeliver" sends it: not deduplicated, because it failed.
    fault.remove();
    await deliverPush(app, delivery, payload);
    expect(app.fake.checkRuns(REPO).map((run) => run.conclusion)).toEqual(["failure", "success"]);
    const titles = app.fake.issues(REPO).map((issue) => issue.title);
    expect(titles).toHaveLength(10);
    expect(new Set(titles).size).toBe(10);
    expect(capture.lines.filter((line) => line.level >= 50)).toHaveLength(1);
    expect(capture.lines.filter((line) => line.msg === "plan-sync: plan synced")).toEqual([
      expect.objectContaining({ level: 30, id: delivery, repo: REPO, plan: PLAN_PATH, status: "synced" }),
    ]);
  }, 40_000);
});

/** Everything in a captured log that would hand someone access, described; empty when the log is clean. */
function leaksIn(raw: string[], secrets: { tokens: string[]; privateKey: string }): string[] {
  const keyLines = secrets.privateKey
    .split("\n")
    .filter((line) => line.length >= 32 && !line.startsWith("-"));
  const found: string[] = [];
  raw.forEach((line, index) => {
    for (const token of secrets.tokens)
      if (line.includes(token)) found.push(`line ${index}: installation token`);
    if (line.includes(SECRET)) found.push(`line ${index}: webhook secret`);
    if (keyLines.some((keyLine) => line.includes(keyLine))) found.push(`line ${index}: private key`);
    if (/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/.test(line)) found.push(`line ${index}: a JWT`);
    for (const [key, value] of headerValues(JSON.parse(line)))
      if (!MASKED.test(String(value))) found.push(`line ${index}: ${key}: ${value}`);
  });
  return found;
}

/** Ours (`[REDACTED]`), or Octokit's on a failed request's error (`token [REDACTED]`: the scheme is kept). */
const MASKED = /^(\w+ )?\[REDACTED\]$/;
const CREDENTIAL_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie"]);

/** Every value logged under a credential header's name, at any depth. */
function headerValues(value: unknown): Array<[string, unknown]> {
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    CREDENTIAL_HEADERS.has(key.toLowerCase()) ? [[key, inner] as [string, unknown]] : headerValues(inner),
  );
}

describe("credentials never reach the logs (LOG_LEVEL=trace)", () => {
  it.each([
    ["the server's logger (src/runtime/logging.ts)", "redacted", []],
    [
      "a plain pino logger, as Probot builds its own",
      "leaking",
      [
        "authorization: Basic cGxhbi1zeW5jOmh1bnRlcjI=",
        "cookie: session=7d1e2f",
        "authorization: token ghp_personal-token-sent-by-a-client",
      ],
    ],
  ])("%s: a sync, failing syncs and requests carrying credentials", async (_what, kind, expected) => {
    const capture = new LogCapture();
    const log =
      kind === "redacted"
        ? await createLogger({ env: { LOG_LEVEL: "trace", LOG_FORMAT: "json" }, destination: capture.stream })
        : (pino({ level: "trace", name: "probot" }, capture.stream) as unknown as Logger);
    app = await start(log);
    const issued = vi.spyOn(app.fake.credentials, "issueInstallationToken");

    app.fake.commit(REPO, "main", { [PLAN_PATH]: RATE_LIMITER });
    await deliverPush(app, "a1000000-0000-4000-8000-000000000001");
    expect(app.fake.issues(REPO)).toHaveLength(10);

    // A write failing for good (logged by plan-sync), then a read failing in the handler (Probot logs the
    // thrown RequestError with the request it made, headers included).
    app.fake.faults.add({ route: "issues/update", status: 500, times: Infinity });
    app.fake.commit(REPO, "main", { [PLAN_PATH]: RATE_LIMITER.replace("Token bucket script", "Bucket") });
    await deliverPush(app, "a1000000-0000-4000-8000-000000000002");
    app.fake.faults.add({ route: "repos/get-content", status: 500, times: Infinity });
    app.fake.commit(REPO, "main", { [PLAN_PATH]: RATE_LIMITER.replace("Token bucket script", "Lua") });
    await app.sendWebhook("push", app.payloads.push({ repo: REPO }));
    const thrown = '"request":{"method":"GET"';
    await until(() => capture.raw.some((line) => line.includes(thrown)), {
      what: "the thrown error's log line",
    });

    // Clients and proxies may send credentials to the server itself; its access log records every request.
    const sent: Array<Record<string, string>> = [
      { authorization: "Basic cGxhbi1zeW5jOmh1bnRlcjI=", cookie: "session=7d1e2f" },
      { authorization: "token ghp_personal-token-sent-by-a-client" },
    ];
    for (const headers of sent) await (await fetch(`${app.url}/ping`, { headers })).text();
    await until(() => capture.raw.filter((line) => line.includes('"GET /ping 200')).length === 2);

    const tokens = issued.mock.results.map((result) => (result.value as { token: string }).token);
    expect(tokens.length).toBeGreaterThan(0);
    expect(capture.lines.filter((line) => line.level === 10 || line.level === 20).length).toBeGreaterThan(0);
    expect(capture.lines.some((line) => line.msg === "plan-sync: sync failed")).toBe(true);
    expect(leaksIn(capture.raw, { tokens, privateKey: app.privateKey }).map(stripLine)).toEqual(expected);
  });
});

/** `line 12: cookie: …` → `cookie: …` (line numbers depend on timing). */
function stripLine(finding: string): string {
  return finding.replace(/^line \d+: /, "");
}

describe("the server entry (src/runtime/main.ts, what `npm start` and the image run)", () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill("SIGTERM");
    child = undefined;
  });

  it("logs JSON lines through the redacting logger", async () => {
    const port = await freePort();
    const capture = new LogCapture();
    child = spawn(process.execPath, ["--import", "tsx", "src/runtime/main.ts"], {
      cwd: new URL("../../", import.meta.url),
      env: {
        PATH: process.env["PATH"],
        NODE_ENV: "production",
        APP_ID: "4242",
        PRIVATE_KEY: generateAppKeys().privateKey,
        WEBHOOK_SECRET: SECRET,
        HOST: "127.0.0.1",
        PORT: String(port),
        LOG_LEVEL: "trace",
        GHE_HOST: "127.0.0.1:9",
        GHE_PROTOCOL: "http",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (chunk: Buffer) => capture.take(chunk.toString("utf8")));
    await until(() => capture.raw.some((line) => line.includes("Listening on")), {
      timeoutMs: 30_000,
      what: "the server to listen",
    });
    const headers = { authorization: "Basic cGxhbi1zeW5jOmh1bnRlcjI=", cookie: "session=7d1e2f" };
    expect(await (await fetch(`http://127.0.0.1:${port}/ping`, { headers })).text()).toBe("PONG");
    const access = await until(() => capture.lines.find((line) => line.msg.startsWith("GET /ping 200")));
    expect(access).toMatchObject({
      name: "http",
      req: { headers: { authorization: "[REDACTED]", cookie: "[REDACTED]" } },
    });
    expect(capture.raw.join("\n")).not.toContain("cGxhbi1zeW5jOmh1bnRlcjI=");
  }, 40_000);
});
