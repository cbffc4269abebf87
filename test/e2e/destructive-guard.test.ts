// Issue #18, item 1: a push that would destroy most of a plan by mistake (an empty, binary or cut-off file, a plan
// that parses to no steps) is not applied: its check run fails saying what would close and how to confirm.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningApp } from "../support/e2e.js";
import {
  closeChecked,
  issueLines,
  PLAN_PATH,
  push,
  RATE_LIMITER,
  REPO,
  startScenario,
  writes,
} from "./scenario.js";

let app: RunningApp;
let synced: string[];
beforeEach(async () => {
  app = await startScenario();
  await push(app, { [PLAN_PATH]: RATE_LIMITER });
  synced = issueLines(app);
});
afterEach(() => closeChecked(app));

/** Writes other than the check run's own two (create, complete). */
const issueWrites = () => writes(app).filter((request) => !(request.route ?? "").includes("check-runs"));
const lastRun = () => app.fake.checkRuns(REPO).at(-1);
const commentCount = () =>
  app.fake.issues(REPO).reduce((sum, issue) => sum + app.fake.comments(REPO, issue.number).length, 0);

/** Half the file, cut mid-line (a bad merge, a truncated write): 4 of the 7 open issues would close. */
const CUT = RATE_LIMITER.slice(0, Math.floor(RATE_LIMITER.length / 2));
/** Cut at the line before Step 3.2, without the final newline: 3 of the 7 open issues would close. */
const CUT_AT_LINE = RATE_LIMITER.slice(0, RATE_LIMITER.indexOf("#### Step 3.2") - 2);

describe("a push that would close most of a plan is not applied", () => {
  it.each([
    ["an empty file", ""],
    ["a file of blank lines", "\n\n  \n"],
    ["a binary file", "\u0000\u0001PNG\r\n\u001a\n\uFFFD\uFFFD"],
    ["a file cut in half", CUT],
    ["a file cut at a line, closing 3 of 7", CUT_AT_LINE],
    [
      "a file that parses to no steps",
      "# Implementation Plan: Per-tenant API rate limiter\n\nSee the wiki.\n",
    ],
  ])(
    "%s: nothing closed, commented or renamed; the check run fails saying how to confirm",
    async (_, text) => {
      const comments = commentCount();
      await push(app, { [PLAN_PATH]: text });
      expect(issueWrites()).toEqual([]);
      expect(issueLines(app)).toEqual(synced);
      expect(commentCount()).toBe(comments);
      const run = lastRun();
      expect(run?.conclusion).toBe("failure");
      const guard = run?.annotations.find((annotation) => annotation.title === "destructive-change");
      expect(guard?.message).toMatch(/not applied|not UTF-8 text/);
      expect(guard?.message).toContain("delete the file");
      app.fake.assertNoUnexpectedRequests();
    },
  );

  it("names what would close and the confirmation; with it in the front matter the push closes as before", async () => {
    await push(app, { [PLAN_PATH]: "" });
    const guard = lastRun()?.annotations.find((annotation) => annotation.title === "destructive-change");
    expect(guard?.message).toMatchInlineSnapshot(
      `"This push was not applied: the file is empty. It would close as not planned: #2 Token bucket script; #3 Limiter client with circuit breaker; #4 Middleware; #5 Limits admin endpoint; #7 Enforce for all tenants; #8 Should internal tenants be exempt?; #10 Who owns the limits admin UI?. Nothing was closed, commented or renamed. If this is meant, add \`confirm_close: 7\` to the plan's front matter for this push, or set \`allow_mass_close: true\` in .github/plan-sync.yml; to retire the whole plan, delete the file."`,
    );
    await push(app, { [PLAN_PATH]: `---\nconfirm_close: 4\n---\n${CUT}` });
    expect(lastRun()?.conclusion).toBe("success");
    expect(issueLines(app).filter((line) => line.includes("not_planned"))).toHaveLength(4);
  });

  it("a confirmation for fewer issues than would close does not pass", async () => {
    await push(app, { [PLAN_PATH]: `---\nconfirm_close: 2\n---\n${CUT}` });
    expect(issueWrites()).toEqual([]);
    expect(lastRun()?.conclusion).toBe("failure");
  });

  it("allow_mass_close in the config applies such a push as before", async () => {
    await push(app, { ".github/plan-sync.yml": "allow_mass_close: true\n" });
    await push(app, { [PLAN_PATH]: CUT });
    expect(lastRun()?.conclusion).toBe("success");
    expect(issueLines(app).filter((line) => line.includes("not_planned"))).toHaveLength(4);
  });

  it("deleting the file still retires the plan at once", async () => {
    await push(app, { [PLAN_PATH]: null });
    expect(lastRun()?.conclusion).toBe("success");
    expect(issueLines(app).every((line) => line.includes("closed"))).toBe(true);
  });

  it("removing two open steps is applied as before (under the minimum)", async () => {
    const start = RATE_LIMITER.indexOf("#### Step 2.2");
    const end = RATE_LIMITER.indexOf("## Testing Strategy");
    await push(app, { [PLAN_PATH]: RATE_LIMITER.slice(0, start) + RATE_LIMITER.slice(end) });
    expect(lastRun()?.conclusion).toBe("success");
    expect(issueLines(app).filter((line) => line.includes("not_planned"))).toEqual([
      "#5 Limits admin endpoint [plan-step, admin-api] closed(not_planned)",
      "#7 Enforce for all tenants [plan-step] closed(not_planned)",
    ]);
  });
});
