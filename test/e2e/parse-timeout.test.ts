// A parse past its time limit (PLAN_SYNC_PARSE_TIMEOUT_MS) in the server app as `npm start` runs it: the push's
// check run fails with one `parse-timeout` annotation on the line the parse had reached, and nothing is written.
import { afterEach, beforeEach, expect, it } from "vitest";
import { largePlanWithFewSteps } from "../../bench/webhook-during-parse.js";
import { parsePlan } from "../../src/plan/parse.js";
import type { PlanSyncApp } from "../../src/runtime/create-app.js";
import { startApp, type RunningApp } from "../support/e2e.js";

// The limit is a third of this plan's parse measured here, on this machine at its present load: the server's
// parse is then well under way, and far from done, when it is stopped. Read when server.ts loads: set first.
const large = largePlanWithFewSteps();
const started = performance.now();
parsePlan(large, { path: "plans/large.md" });
const limitMs = Math.max(50, Math.round((performance.now() - started) / 3));
process.env["PLAN_SYNC_PARSE_TIMEOUT_MS"] = String(limitMs);
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
  expect(line).toBeGreaterThanOrEqual(1);
  expect(text.trim()).not.toBe("");
  expect(annotation?.message).toContain(
    `plan-sync stopped reading this file: it took longer than the ${limitMs / 1000} s limit, while `,
  );
  expect(annotation?.message).toContain(
    ` at line ${line} (\`${text.trim().replaceAll("`", "'").slice(0, 20)}`,
  );
});
