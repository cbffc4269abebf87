// Each job's start and end lines: info by default (a server's log), debug when the runner is told so (Action
// mode, whose reporter tells the step's log what each job did) — an explicit option, not inferred from a reporter.
import { afterEach, expect, it } from "vitest";
import { createApp, type AppOptions } from "../../src/runtime/create-app.js";
import { startApp, type RunningApp } from "../support/e2e.js";
import { LogCapture } from "../support/log-capture.js";
import { INSTALLATION, NAME, OWNER, PLAN_PATH, RATE_LIMITER, REPO } from "../e2e/scenario.js";

const PINO_LEVELS = { debug: 20, info: 30 };

let app: RunningApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function jobLineLevels(options: AppOptions): Promise<number[]> {
  const capture = new LogCapture("debug");
  app = await startApp(createApp(options), { log: capture.log });
  app.fake.addInstallation({ id: INSTALLATION, appId: app.appId, account: OWNER });
  app.fake.addRepo({ owner: OWNER, name: NAME, installationId: INSTALLATION });
  app.fake.commit(REPO, "main", { [PLAN_PATH]: RATE_LIMITER });
  expect(await app.sendWebhook("push", app.payloads.push({ repo: REPO }))).toBe(200);
  const lines = capture.lines.filter((line) => /^plan-sync: job \S+ (?:started|ended)$/.test(line.msg));
  expect(lines.length).toBeGreaterThanOrEqual(4); // the delivery's job and the plan's, each started and ended
  return [...new Set(lines.map((line) => line.level))];
}

it.each([
  ["by default, even with a reporter", { reporter: {} }, PINO_LEVELS.info],
  ['with jobLogLevel "debug"', { jobLogLevel: "debug" }, PINO_LEVELS.debug],
] as const)("job start and end lines %s", async (_, options, level) => {
  expect(await jobLineLevels(options)).toEqual([level]);
});
