// Hostile plans pushed to the app on the fake GitHub: refused with a diagnostic on the check run, no issue
// written, no code run, and bounded work.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningApp } from "../support/e2e.js";
import { parsePlan } from "../../src/plan/parse.js";
import { push, REPO, startScenario, writes, closeChecked } from "../e2e/scenario.js";

const STEP = (n: number) => [`#### Step 1.${n}: Work ${n}`, `**What**: item ${n}`, ""].join("\n");
const PLAN_HEAD = "# Implementation Plan: Hostile\n\n## Implementation Steps\n\n### Phase 1: One\n\n";

const aliasBomb = () => {
  const lines = ["---", 'a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]'];
  for (let level = 1; level <= 9; level++) {
    const previous = String.fromCharCode(96 + level);
    const name = String.fromCharCode(97 + level);
    lines.push(`${name}: &${name} [${Array.from({ length: 9 }, () => `*${previous}`).join(", ")}]`);
  }
  return `${lines.join("\n")}\n---\n${PLAN_HEAD}${STEP(1)}`;
};

let app: RunningApp;
beforeEach(async () => {
  app = await startScenario();
});
afterEach(() => closeChecked(app));

describe("hostile plans pushed", () => {
  it.each([
    [
      "JavaScript front matter (never run)",
      `---js\n{ title: (globalThis.__planSyncRan = true, "x") }\n---\n${PLAN_HEAD}${STEP(1)}`,
      "code front matter (---js) is never run",
    ],
    ["a YAML alias bomb", aliasBomb(), "through YAML aliases"],
    ["a plan over 1 MiB", `${PLAN_HEAD}${STEP(1)}\n${"x".repeat(1024 * 1024)}\n`, "MiB"],
    [
      "more steps than max_items",
      `${PLAN_HEAD}${Array.from({ length: 6 }, (_, index) => STEP(index + 1)).join("\n")}`,
      "more than max_items (5)",
    ],
  ])("%s: refused on the check run, no issue written", async (_what, plan, reason) => {
    await push(app, { ".github/plan-sync.yml": "max_items: 5\n", "plans/hostile.md": plan });
    expect((globalThis as { __planSyncRan?: boolean }).__planSyncRan).toBeUndefined();
    expect(app.fake.issues(REPO)).toEqual([]);
    expect(writes(app).map((request) => request.route)).toEqual([
      "/repos/{owner}/{repo}/check-runs",
      "/repos/{owner}/{repo}/check-runs/{check_run_id}",
    ]);
    const [run] = app.fake.checkRuns(REPO);
    expect(run?.conclusion).toBe("failure");
    expect(JSON.stringify(run?.annotations)).toContain(reason);
  });
});

describe("pathological markdown: refused with a diagnostic instead of parsed at length", () => {
  it.each([
    [
      "100k nested quotes",
      `${PLAN_HEAD}${STEP(1)}\n${">".repeat(100_000)} deep\n`,
      "quotes or lists are nested more than 32 deep",
    ],
    [
      "a 1 MB single line",
      `${PLAN_HEAD}${STEP(1)}\n${"a *b* ".repeat(170_000)}\n`,
      "996 KiB without a heading or blank line",
    ],
  ])(
    "%s",
    (_what, text, reason) => {
      const plan = parsePlan(text, { path: "plans/p.md", maxBytes: 2 * 1024 * 1024 });
      expect(plan.diagnostics.map((diagnostic) => diagnostic.message).join("\n")).toContain(reason);
    },
    20_000,
  );
});
