/**
 * End-to-end harness: the real Probot server on 127.0.0.1, signed webhooks over HTTP, and the fake GitHub.
 * No vitest imports: the demo uses it from plain Node (tsx) too.
 */
import { createHmac, createPublicKey, generateKeyPairSync, randomUUID, type KeyObject } from "node:crypto";
import { pino } from "pino";
import { Probot, ProbotOctokit, Server, type ApplicationFunction, type Logger } from "probot";

type OctokitOptions = NonNullable<ConstructorParameters<typeof ProbotOctokit>[0]>;
import { FakeGitHub, type FakeGitHubOptions } from "./fake-github/index.js";
import { WebhookPayloads } from "./webhook-payloads.js";

export interface StartAppOptions {
  /** A fake to talk to; by default one is started (and closed by `close()`). */
  fake?: FakeGitHub;
  fakeOptions?: FakeGitHubOptions;
  appId?: number;
  /** The bot is `<appSlug>[bot]`. */
  appSlug?: string;
  secret?: string;
  /** Default: $E2E_LOG_LEVEL or "silent". */
  logLevel?: "trace" | "debug" | "info" | "warn" | "error" | "fatal" | "silent";
  /** The App's key pair; default a new one. Two instances of one App on one fake share it. */
  appKeys?: { privateKey: string; publicKey: KeyObject };
  /** The logger for Probot and the app (e.g. one writing to a stream a test reads); `logLevel` is then ignored. */
  log?: Logger;
  /**
   * Options for the app's Octokit class. Default: the throttling plugin off (it spaces writes 1 s apart, and
   * issue/comment creation 3 s apart, which would make every test slow) and the retry plugin on (5xx are
   * retried 3 times) but waiting milliseconds instead of seconds. `{ throttle: { enabled: true } }` restores
   * the production throttling (rate limits waited out: src/github/throttle.ts).
   */
  octokit?: { throttle?: Record<string, unknown>; retry?: Record<string, unknown> };
}

export interface SendWebhookOptions {
  deliveryId?: string;
  /** Sign with another secret (a forged delivery). */
  secret?: string;
  /** Send this `x-hub-signature-256` as is. */
  signature?: string;
  /**
   * Default true: after the HTTP answer, wait until the work the app started in the background is done
   * (`appFn.idle()`, when the app has one), so tests read the outcome at once. False: resolve with the answer.
   */
  waitForWork?: boolean;
}

/**
 * An app that answers webhooks before its work runs, and tells when that work is done; and the Octokit class
 * Probot must build its clients from (createApp, serverApp: the production class; Probot's for other apps).
 */
type AppWithIdle = ApplicationFunction & { idle?: () => Promise<void>; Octokit?: typeof ProbotOctokit };

export interface RunningApp {
  /** The Probot server, e.g. http://127.0.0.1:41234. */
  url: string;
  appId: number;
  appSlug: string;
  /** `<appSlug>[bot]`: the login of everything the app writes. */
  botLogin: string;
  /** The PEM the app signs its JWTs with (tests check it never reaches a log). */
  privateKey: string;
  fake: FakeGitHub;
  payloads: WebhookPayloads;
  probot: Probot;
  /**
   * POSTs a signed delivery to Probot's webhook path and resolves with the HTTP status Probot answered, once the
   * work it started is done (unless `waitForWork: false`).
   */
  sendWebhook(name: string, payload: object, options?: SendWebhookOptions): Promise<number>;
  /** Resolves once the work the app started after answering its webhooks is done (at once for an app without). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export const WEBHOOK_PATH = "/api/github/webhooks";

/** The value of `x-hub-signature-256` GitHub sends: HMAC-SHA256 of the exact body bytes. */
export function signWebhook(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

/** An app's key pair: GitHub keeps the public half; the app signs its JWTs with the private PEM (PKCS#1, as GitHub hands it out). */
export function generateAppKeys(): { privateKey: string; publicKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  return { privateKey, publicKey: createPublicKey(publicKey) };
}

export async function startApp(appFn: AppWithIdle, options: StartAppOptions = {}): Promise<RunningApp> {
  const appId = options.appId ?? 4242;
  const appSlug = options.appSlug ?? "plan-sync";
  const secret = options.secret ?? "e2e-webhook-secret";
  const ownsFake = options.fake === undefined;
  const fake = options.fake ?? (await FakeGitHub.start(options.fakeOptions));

  const { privateKey, publicKey } = options.appKeys ?? generateAppKeys();
  fake.addApp({ id: appId, slug: appSlug, publicKey });

  const level = options.logLevel ?? (process.env["E2E_LOG_LEVEL"] as StartAppOptions["logLevel"]) ?? "silent";
  // Probot bundles its own pino; the logger interface is the same.
  const log = options.log ?? (pino({ level, name: "probot" }) as unknown as Logger);
  // The app's own class, as in production, with the options above. A function, not an object: Probot replaces an
  // object's `throttle` with its own handlers, which would turn the throttling back on; a function sees the
  // merged options last.
  const Octokit = (appFn.Octokit ?? ProbotOctokit).defaults((instanceOptions: OctokitOptions) => ({
    ...instanceOptions,
    throttle: { ...instanceOptions.throttle, enabled: false, ...options.octokit?.throttle },
    retry: { ...instanceOptions.retry, retryAfterBaseValue: 1, ...options.octokit?.retry },
  }));
  const server = new Server({
    host: "127.0.0.1",
    // Server treats a numeric 0 as "unset" and falls back to 3000; the string "0" reaches listen() and
    // asks the OS for a free port, which Server then reports as `port`.
    port: "0" as unknown as number,
    webhookPath: WEBHOOK_PATH,
    log,
    Probot: Probot.defaults({ appId, privateKey, secret, baseUrl: fake.url, log, Octokit }),
  });
  let probot: Probot | undefined;
  await server.load((app, appOptions) => {
    probot = app;
    return appFn(app, appOptions);
  });
  await server.start();
  const url = `http://127.0.0.1:${server.port}`;

  return {
    url,
    appId,
    appSlug,
    botLogin: `${appSlug}[bot]`,
    privateKey,
    fake,
    payloads: new WebhookPayloads(fake),
    probot: probot as Probot,
    async sendWebhook(name, payload, sendOptions = {}) {
      const body = JSON.stringify(payload);
      const response = await fetch(`${url}${WEBHOOK_PATH}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "GitHub-Hookshot/fake",
          "x-github-event": name,
          "x-github-delivery": sendOptions.deliveryId ?? randomUUID(),
          "x-github-hook-id": "1",
          "x-github-hook-installation-target-type": "integration",
          "x-github-hook-installation-target-id": String(appId),
          "x-hub-signature-256": sendOptions.signature ?? signWebhook(body, sendOptions.secret ?? secret),
        },
        body,
      });
      await response.arrayBuffer();
      if (sendOptions.waitForWork !== false) await appFn.idle?.();
      return response.status;
    },
    async idle() {
      await appFn.idle?.();
    },
    async close() {
      await server.stop();
      if (ownsFake) await fake.close();
    },
  };
}

/** Polls `check` until it returns a value other than undefined/false, for apps that work off a queue. */
export async function until<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  { timeoutMs = 5_000, intervalMs = 10, what = "condition" } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
