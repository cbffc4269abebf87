// A parse past its time limit (PLAN_SYNC_PARSE_TIMEOUT_MS) in the server app as `npm start` runs it: the push's
// check run fails with one `parse-timeout` annotation on the line the parse had reached, and nothing is written.
import { afterEach, beforeEach, expect, it } from "vitest";
import { largePlanWithFewSteps } from "../../bench/webhook-during-parse.js";
import type { PlanSyncApp } from "../../src/runtime/create-app.js";
import { startApp, type RunningApp } from "../support/e2e.js";

// Read when server.ts loads: set before it is imported. A 1 MiB parse takes several times this.
process.env["PLAN_SYNC_PARSE_TIMEOUT_MS"] = "100";
const { default: serverApp } = (await import("../../src/runtime/server.js")) as { default: PlanSyncApp };

const OWNER = "acme";
const REPO = `${OWNER}/monolith`;
const PATH = "plans/large.md";

let app: RunningApp;
beforeEach(async () => {
  app = await startApp(serverApp);
  app.fake.addInstallation({ id: 7, appId: app.appId, account: OWNER });
  app.fake.addRepo({ owner: OWNER, name: "monolith", installationId: 7 });
});
afterEach(async () => {
  try {
    app.fake.assertNoUnexpectedRequests();
  } finally {
    await app.close();
  }
});

it("fails the check run with the line the parse had reached, and writes no issue", async () => {
  const large = largePlanWithFewSteps();
  app.fake.commit(REPO, "main", { [PATH]: large });
  expect(await app.sendWebhook("push", app.payloads.push({ repo: REPO }))).toBe(200);
  await app.idle();

  expect(app.fake.issues(REPO)).toEqual([]);
  const runs = app.fake.checkRuns(REPO);
  expect(runs.map((run) => [run.status, run.conclusion])).toEqual([["completed", "failure"]]);
  const annotations = runs[0]?.annotations ?? [];
  expect(annotations.map(({ path, title, annotation_level }) => ({ path, title, annotation_level }))).toEqual(
    [{ path: PATH, title: "parse-timeout", annotation_level: "failure" }],
  );
  const [annotation] = annotations;
  const line = annotation?.start_line ?? 0;
  const text = large.split("\n")[line - 1] ?? "";
  expect(line).toBeGreaterThan(1);
  expect(text.trim()).not.toBe("");
  expect(annotation?.message).toMatch(
    /^plan-sync stopped reading this file: it took longer than the 0\.1 s limit, while /,
  );
  expect(annotation?.message).toContain(` at line ${line} (\`${text.trim().slice(0, 20)}`);
});
