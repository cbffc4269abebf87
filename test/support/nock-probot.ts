// Probot for tests against nock: a fresh App key, a silent logger, the app's Octokit class with throttling and
// retries off (through the function form of `defaults`: Probot replaces an object's `throttle` with its own), and
// the app loaded with its work done before `receive` resolves, so a test reads every request once the event is
// handled.
// No vitest imports: tests register their own hooks around `startNockedApp` and `endNock`.
import nock from "nock";
import { Probot, type Logger } from "probot";
import { createApp } from "../../src/runtime/create-app.js";
import { generateAppKeys } from "./e2e.js";

type OctokitOptions = Record<string, Record<string, unknown> | undefined>;

const { privateKey } = generateAppKeys();

export function silentLog(): Logger {
  const log = {
    level: "silent",
    trace() {},
    debug() {},
    info() {},
    warn() {},
    error() {},
    fatal() {},
    child: () => log,
  };
  return log as never;
}

/** Net connect off, and a Probot running plan-sync as `botLogin` with the clock at `now`. */
export async function startNockedApp(botLogin: string, now: Date): Promise<Probot> {
  nock.disableNetConnect();
  const app = createApp({ botLogins: [botLogin], now: () => now, background: false });
  const probot = new Probot({
    appId: 1,
    privateKey,
    Octokit: app.Octokit.defaults((options: OctokitOptions) => ({
      ...options,
      throttle: { ...options["throttle"], enabled: false },
      retry: { ...options["retry"], enabled: false },
    })),
    log: silentLog(),
  });
  await probot.load(app);
  return probot;
}

/** The mocks a test set up and did not use (it fails on them); then nock is reset and net connect restored. */
export function endNock(): string[] {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  nock.enableNetConnect();
  return pending;
}
