/**
 * The production app (serverApp: worker parser, open-run tracking, SIGTERM handling) on Probot's server, in a
 * process of its own, talking to a fake GitHub in the test's process: a test can SIGKILL it mid-sync and start
 * another. It runs the server app's Octokit class, its throttling off as in the in-process harness (it spaces
 * writes seconds apart).
 * Environment: FAKE_URL (the fake's REST base), APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, PORT.
 */
import { pino } from "pino";
import type { ProbotOctokit } from "probot";
import { Probot, Server, type Logger } from "probot";
import serverApp from "../../src/runtime/server.js";
import { WEBHOOK_PATH } from "./e2e.js";

type OctokitOptions = NonNullable<ConstructorParameters<typeof ProbotOctokit>[0]>;

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`child-server: ${name} is not set`);
  return value;
};

const log = pino({ level: process.env["LOG_LEVEL"] ?? "warn", name: "probot" }) as unknown as Logger;
const Octokit = serverApp.Octokit.defaults((options: OctokitOptions) => ({
  ...options,
  throttle: { ...options.throttle, enabled: false },
  retry: { ...options.retry, retryAfterBaseValue: 1 },
}));
const server = new Server({
  host: "127.0.0.1",
  port: Number(env("PORT")),
  webhookPath: WEBHOOK_PATH,
  log,
  Probot: Probot.defaults({
    appId: Number(env("APP_ID")),
    privateKey: env("PRIVATE_KEY"),
    secret: env("WEBHOOK_SECRET"),
    baseUrl: env("FAKE_URL"),
    log,
    Octokit,
  }),
});
await server.load(serverApp);
await server.start();
process.stdout.write("child-server: listening\n");
