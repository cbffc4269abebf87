// The destructive-change guard (src/sync/destructive-guard.ts), table-driven: a first sync of a plan of 6 items
// through the in-memory applier, then the text and plan of the next push in, the guard's answer out.
import { describe, expect, it } from "vitest";
import type { Plan } from "../../src/plan/model.js";
import type { Config } from "../../src/sync/config.js";
import { destructiveChangeOf } from "../../src/sync/destructive-guard.js";
import { reconcile } from "../../src/sync/reconcile.js";
import { InMemoryGitHub, sync } from "./in-memory-github.js";
import { BOT, config, plan, question, REPO, step } from "./plan-builder.js";

const STEPS = ["1", "2", "3", "4", "5"].map((number) => step(number, `Step ${number}`));
const FULL = plan({ steps: STEPS, questions: [question("Who owns it?")] });
const TEXT = "# Plan\n(the text as read)\n";

/** The guard's rule (or null) for the next push's plan and text, after a first sync of FULL. */
function guardAfterFirstSync(next: Plan, text = TEXT, overrides: Partial<Config> = {}) {
  const github = new InMemoryGitHub();
  const base = { path: FULL.path, previousPath: null, config: config(overrides), context: REPO };
  sync(github, { ...base, plan: FULL });
  const input = { ...base, plan: next, issues: github.snapshot() };
  return destructiveChangeOf({ ...input, text, botLogins: [BOT], ops: reconcile(input) });
}

const keeping = (count: number, extra: Partial<Plan> = {}) =>
  plan({ steps: STEPS.slice(0, count), questions: [question("Who owns it?")], ...extra });

describe("destructiveChangeOf", () => {
  it.each([
    ["the same plan", keeping(5), TEXT, false],
    ["2 of 6 closed (under the minimum)", keeping(3), TEXT, false],
    ["3 of 6 closed (not more than half)", keeping(2), TEXT, false],
    ["4 of 6 closed", keeping(1), TEXT, true],
    ["3 closed by a file that ends mid-line", keeping(2), "# Plan\n#### Step", true],
    ["an empty file", plan({ steps: [] }), "", true],
    [
      "no steps while step issues are open",
      plan({ steps: [], questions: [question("Who owns it?")] }),
      TEXT,
      true,
    ],
    ["a file with NUL bytes", keeping(5), "# Plan\u0000\n", true],
    ["4 of 6 closed, confirmed for 4", keeping(1, { metadata: { confirm_close: 4 } }), TEXT, false],
    ["4 of 6 closed, confirmed for 3", keeping(1, { metadata: { confirm_close: 3 } }), TEXT, true],
  ])("%s: refused %s", (_, next, text, refused) => {
    expect(guardAfterFirstSync(next, text)?.rule ?? null).toBe(refused ? "destructive-change" : null);
  });

  it("allow_mass_close lets everything but a binary file through; mass_close_share moves the line", () => {
    expect(guardAfterFirstSync(plan({ steps: [] }), "", { allow_mass_close: true })).toBeNull();
    expect(guardAfterFirstSync(keeping(5), "\uFFFD", { allow_mass_close: true })?.rule).toBe(
      "destructive-change",
    );
    expect(guardAfterFirstSync(keeping(2), TEXT, { mass_close_share: 0.4 })?.rule).toBe("destructive-change");
  });

  it("a plan with no issues yet is never refused, a binary file aside", () => {
    const input = {
      plan: plan({ steps: [] }),
      path: FULL.path,
      previousPath: null,
      config: config(),
      context: REPO,
    };
    const answer = (text: string) =>
      destructiveChangeOf({ ...input, text, issues: [], botLogins: [BOT], ops: [] })?.rule ?? null;
    expect([answer(""), answer("\u0000")]).toEqual([null, "destructive-change"]);
  });
});
