// Fidelity over the real-world plans (test/fixtures/real-world/): how many of the steps a reader
// sees are found (recall), how many found steps are not steps (precision), how many done-marks and
// dependencies are read right. `npx tsx bench/fidelity.ts`, or through bench/index.ts.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import type { Plan } from "../src/plan/model.js";
import { parsePlan } from "../src/plan/parse.js";
import { observedSteps, realWorldPlans, type ExpectedStep } from "../test/fixtures/real-world/expected.js";

const folder = new URL("../test/fixtures/real-world/", import.meta.url);

interface Score {
  expected: number;
  found: number;
  matched: number;
  doneRight: number;
  depsExpected: number;
  depsRight: number;
}

/** A found step matches an expected one by number, or by title when either has no number. */
function sameStep(a: ExpectedStep, b: ExpectedStep): boolean {
  return a.number !== null && b.number !== null ? a.number === b.number : a.title === b.title;
}

function score(expected: ExpectedStep[], found: ExpectedStep[]): Score {
  const s: Score = {
    expected: expected.length,
    found: found.length,
    matched: 0,
    doneRight: 0,
    depsExpected: 0,
    depsRight: 0,
  };
  const unused = [...found];
  for (const want of expected) {
    s.depsExpected += want.dependsOn.length;
    const at = unused.findIndex((got) => sameStep(want, got));
    if (at < 0) continue;
    const [got] = unused.splice(at, 1);
    s.matched += 1;
    if (got!.done === want.done) s.doneRight += 1;
    s.depsRight += want.dependsOn.filter((d) => got!.dependsOn.includes(d)).length;
  }
  return s;
}

function percent(part: number, whole: number): string {
  return whole === 0 ? "  n/a" : `${((100 * part) / whole).toFixed(1).padStart(5)}%`;
}

export async function run(): Promise<void> {
  const total: Score = { expected: 0, found: 0, matched: 0, doneRight: 0, depsExpected: 0, depsRight: 0 };
  console.log("fidelity over test/fixtures/real-world/");
  console.log(`${"plan".padEnd(30)} found/expected  false  done right  deps right  format`);
  for (const plan of realWorldPlans) {
    let parsed: Plan | null = null;
    try {
      parsed = parsePlan(readFileSync(new URL(plan.file, folder), "utf8"), { path: `plans/${plan.file}` });
    } catch (error) {
      console.log(`${plan.file.padEnd(30)} parse failed: ${(error as Error).message}`);
    }
    const s = score(plan.steps, parsed ? observedSteps(parsed) : []);
    for (const key of Object.keys(total) as Array<keyof Score>) total[key] += s[key];
    const format = parsed?.format === plan.format ? "ok" : `${parsed?.format ?? "-"} (want ${plan.format})`;
    console.log(
      `${plan.file.padEnd(30)} ${`${s.matched}/${s.expected}`.padStart(14)}  ${String(s.found - s.matched).padStart(5)}` +
        `  ${`${s.doneRight}/${s.matched}`.padStart(10)}  ${`${s.depsRight}/${s.depsExpected}`.padStart(10)}  ${format}`,
    );
  }
  console.log(
    `recall ${percent(total.matched, total.expected)} (${total.matched}/${total.expected})` +
      `  precision ${percent(total.matched, total.found)} (${total.found - total.matched} false of ${total.found})` +
      `  done-marks ${percent(total.doneRight, total.matched)} (${total.doneRight}/${total.matched})` +
      `  dependencies ${percent(total.depsRight, total.depsExpected)} (${total.depsRight}/${total.depsExpected})`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await run();
