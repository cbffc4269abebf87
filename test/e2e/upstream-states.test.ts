// The tracking issue lists the issues a plan depends on with their state as of its last update (SPEC.md §2,
// upstream dependencies): read when the tracking issue is written anyway, never on a push that writes nothing.
import { afterEach, beforeEach, expect, it } from "vitest";
import type { RunningApp } from "../support/e2e.js";
import {
  INSTALLATION,
  OWNER,
  PLAN_PATH,
  push,
  RATE_LIMITER,
  REPO,
  startScenario,
  writes,
  closeChecked,
} from "./scenario.js";

const INFRA = `${OWNER}/infra`;
const PLAN = RATE_LIMITER.replace(
  "- [ ] Redis Cluster upgrade to 7.2 (blocked by: INFRA-812)\n",
  "- [ ] Redis Cluster upgrade to 7.2 (blocked by: INFRA-812)\n- [ ] Schema registry live (acme/infra#1)\n",
);
const tracking = (app: RunningApp) => app.fake.issue(REPO, 1).body ?? "";
const stateReads = (app: RunningApp) =>
  app.fake.log.requests({ method: "GET" }).filter((request) => request.path === `/repos/${INFRA}/issues/1`);

let app: RunningApp;
beforeEach(async () => {
  app = await startScenario();
  app.fake.addRepo({ owner: OWNER, name: "infra", installationId: INSTALLATION });
  app.fake.createIssue(INFRA, { title: "Schema registry" }, { as: "ops" });
});
afterEach(() => closeChecked(app));

it("shows the state when written, keeps it through pushes that write nothing, updates it with the next write", async () => {
  await push(app, { [PLAN_PATH]: PLAN });
  expect(tracking(app)).toContain(
    "- ⚪ Schema registry live (acme/infra#1) (acme/infra#1 was open when this issue was last updated)",
  );
  expect(stateReads(app)).toHaveLength(2); // its state for the body, its id for the "blocked by" link

  app.fake.updateIssue(INFRA, 1, { state: "closed" }, { as: "ops" });
  await push(app, { [PLAN_PATH]: PLAN.replace("**Coverage Goal**: 85%", "**Coverage Goal**: 86%") });
  expect(writes(app).map((request) => request.route)).toEqual([
    "/repos/{owner}/{repo}/check-runs",
    "/repos/{owner}/{repo}/check-runs/{check_run_id}",
  ]);
  expect(stateReads(app)).toEqual([]);
  expect(tracking(app)).toContain("(acme/infra#1 was open when this issue was last updated)");

  await push(app, {
    [PLAN_PATH]: PLAN.replace("#### Step 2.1: Middleware", "#### Step 2.1: HTTP middleware"),
  });
  expect(tracking(app)).toContain("(acme/infra#1 was closed when this issue was last updated)");
  expect(stateReads(app)).toHaveLength(1);
});
