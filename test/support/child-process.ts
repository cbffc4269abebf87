// Starts test/support/child-server.ts (the production app on Probot's server) in a process of its own, so a
// test can SIGKILL it; and delivers signed webhooks to it.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { signWebhook, until, WEBHOOK_PATH } from "./e2e.js";
import { freePort } from "./redis.js";

export interface ChildServer {
  url: string;
  child: ChildProcess;
}

export interface ChildServerOptions {
  fakeUrl: string;
  appId: number;
  privateKey: string;
  secret: string;
  /** More environment (REDIS_URL, …). */
  env?: Record<string, string>;
}

/** Starts the app in a new process; answers its URL once it listens. The caller kills it. */
export async function startChildServer(options: ChildServerOptions): Promise<ChildServer> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "test/support/child-server.ts"], {
    cwd: new URL("../../", import.meta.url),
    env: {
      PATH: process.env["PATH"],
      FAKE_URL: options.fakeUrl,
      APP_ID: String(options.appId),
      PRIVATE_KEY: options.privateKey,
      WEBHOOK_SECRET: options.secret,
      PORT: String(port),
      LOG_LEVEL: "fatal",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  await until(() => output.includes("child-server: listening"), { timeoutMs: 30_000, what: "the server" });
  return { url: `http://127.0.0.1:${port}`, child };
}

export async function deliverTo(
  url: string,
  secret: string,
  name: string,
  payload: object,
  deliveryId: string = randomUUID(),
): Promise<number> {
  const body = JSON.stringify(payload);
  const response = await fetch(`${url}${WEBHOOK_PATH}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": name,
      "x-github-delivery": deliveryId,
      "x-hub-signature-256": signWebhook(body, secret),
    },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}
