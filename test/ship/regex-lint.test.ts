// The regex lint of eslint.config.js is on for src/: a pattern that backtracks super-linearly
// fails `npm test` (issue #14: `- - - … x` and a title followed by spaces cost seconds).
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint({ cwd: process.cwd() });

async function rulesHit(code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: "src/plan/lint-probe.ts" });
  return (result?.messages ?? []).map((message) => message.ruleId ?? "");
}

describe("regex lint", () => {
  it("fails a pattern with nested quantifiers that exchange characters", async () => {
    expect(await rulesHit("export const nested = /^(?:[ \\t]*-[ \\t]*){33}/;\n")).toContain(
      "regexp/no-super-linear-backtracking",
    );
  });

  it("fails an unanchored pattern that rescans a run of spaces at every position", async () => {
    expect(await rulesHit('export const strip = (s: string) => s.replace(/\\s+$/, "");\n')).toContain(
      "regexp/no-super-linear-move",
    );
  });

  it("passes the rewritten, linear forms", async () => {
    expect(await rulesHit('export const strip = (s: string) => s.replace(/(?<!\\s)\\s+$/, "");\n')).toEqual(
      [],
    );
  });
});
