// The app feeds its Prometheus metrics: GitHub requests by route and status, syncs by outcome, and the writes a
// sync avoided because the issues already matched the plan. Rate-limit waits are reported by the throttle handler.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMetrics } from "../../src/runtime/metrics.js";
import { retryLimited } from "../../src/github/throttle.js";
import type { RunningApp } from "../support/e2e.js";
import { PLAN_PATH, push, RATE_LIMITER, startScenario } from "./scenario.js";

const metrics = createMetrics();

function sample(text: string, name: string): number {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${name} `));
  return line === undefined ? Number.NaN : Number(line.slice(name.length + 1));
}

describe("metrics fed by a running app", () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startScenario({ metrics });
    await push(app, { [PLAN_PATH]: RATE_LIMITER });
    // Only Step 1.1's title changes: the other 5 steps and 3 questions are left as they are.
    await push(app, { [PLAN_PATH]: RATE_LIMITER.replace("Token bucket script", "Token bucket Lua script") });
    // A duplicate step number: the plan is refused (nothing written), counted as a failure.
    await push(app, { [PLAN_PATH]: RATE_LIMITER.replace("#### Step 1.2:", "#### Step 1.1:") });
  });
  afterAll(() => app.close());

  it("counts writes avoided: none on the first sync, every untouched item on the next", async () => {
    const text = await metrics.registry.metrics();
    // 10 items (tracking, 6 steps, 3 questions); the edit writes Step 1.1 and the tracking issue.
    expect(sample(text, "plan_sync_writes_avoided_total")).toBe(8);
  });

  it("counts each plan sync by its outcome, and the GitHub requests by route", async () => {
    const text = await metrics.registry.metrics();
    expect(sample(text, 'plan_sync_syncs_total{outcome="success"}')).toBe(2);
    expect(sample(text, 'plan_sync_syncs_total{outcome="failure"}')).toBe(1);
    expect(sample(text, 'plan_sync_syncs_total{outcome="error"}')).toBe(0);
    expect(sample(text, 'plan_sync_sync_duration_seconds_count{outcome="failure"}')).toBe(1);
    expect(
      sample(text, `plan_sync_github_requests_total{route="POST /repos/{owner}/{repo}/issues",status="201"}`),
    ).toBe(10);
  });
});

describe("rate-limit waits", () => {
  const log = { warn: () => undefined };
  const request = { method: "POST", url: "/repos/{owner}/{repo}/issues" };

  it("are reported when the request will be retried, and not when it gives up", () => {
    const waits: string[] = [];
    const secondary = retryLimited("secondary", { onWait: (kind) => waits.push(kind) });
    expect(secondary(2, request, { log }, 0)).toBe(true);
    expect(secondary(2, request, { log }, 3)).toBe(false);
    expect(retryLimited("primary", { onWait: (kind) => waits.push(kind) })(60, request, { log }, 0)).toBe(
      true,
    );
    // Longer than the request may wait (default 60 s): not retried here; the sync pauses and resumes instead.
    expect(retryLimited("primary", { onWait: (kind) => waits.push(kind) })(61, request, { log }, 0)).toBe(
      false,
    );
    expect(retryLimited("secondary", { maxWaitSeconds: 5 })(6, request, { log }, 0)).toBe(false);
    expect(retryLimited("secondary", { maxWaitSeconds: 5 })(5, request, { log }, 0)).toBe(true);
    expect(waits).toEqual(["secondary", "primary"]);
  });
});
