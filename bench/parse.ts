// `npm run bench -- parse`: parse time of the example plans and of generated plans of 64 KiB,
// 256 KiB and 1 MiB, against markdown-it's own parse of the same files in the same run (the goal
// of issue #14: within 8× at 1 MiB), the CLI's fixed cost against `node -e 0` (goal: 100 ms), and
// the hostile table (every case under 100 ms).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import markdownIt from "markdown-it";
import { parsePlan } from "../src/plan/index.js";
import { cliFixedCost } from "./cli-start.js";
import { generatePlan } from "./generated-plan.js";
import { hostileTable } from "./hostile.js";

const EXAMPLES = fileURLToPath(new URL("../test/fixtures/plans/", import.meta.url));
const RUNS = 5;
const markdown = markdownIt();

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Median times of plan-sync's parse and of markdown-it's, run in turn so both see the same machine. */
function timeBoth(name: string, source: string): { ours: number; markdownIt: number } {
  const options = { path: name, maxItems: 1_000_000, maxBytes: 2 * 1024 * 1024 };
  const timed = (parse: () => unknown) => {
    const start = performance.now();
    parse();
    return performance.now() - start;
  };
  parsePlan(source, options); // warm-up
  markdown.parse(source, {});
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    ours.push(timed(() => parsePlan(source, options)));
    theirs.push(timed(() => markdown.parse(source, {})));
  }
  return { ours: median(ours), markdownIt: median(theirs) };
}

function row(name: string, source: string): { ours: number; markdownIt: number } {
  const bytes = Buffer.byteLength(source);
  const times = timeBoth(name, source);
  const mbPerSecond = bytes / 1024 / 1024 / (times.ours / 1000);
  const ratio = times.ours / times.markdownIt;
  console.log(
    `${name.padEnd(34)} ${(bytes / 1024).toFixed(1).padStart(8)} KiB ${times.ours.toFixed(1).padStart(9)} ms ${mbPerSecond.toFixed(2).padStart(7)} MB/s ${times.markdownIt.toFixed(1).padStart(8)} ms ${ratio.toFixed(1).padStart(5)}×`,
  );
  return times;
}

export async function run(): Promise<void> {
  console.log(`\n## parse (median of ${RUNS} runs; markdown-it's parse of the same file; the ratio)`);
  for (const file of readdirSync(EXAMPLES)
    .filter((f) => f.endsWith(".md"))
    .sort()) {
    row(file, readFileSync(join(EXAMPLES, file), "utf8"));
  }
  const times = new Map<number, { ours: number; markdownIt: number }>();
  for (const kib of [64, 256, 1024]) times.set(kib, row(`generated ${kib} KiB`, generatePlan(kib * 1024)));
  const mib = times.get(1024) ?? { ours: 0, markdownIt: 1 };
  const growth = mib.ours / (times.get(64)?.ours ?? 1);
  console.log(`time(1 MiB) / time(64 KiB) = ${growth.toFixed(1)} (16 is linear)`);
  const ratio = mib.ours / mib.markdownIt;
  console.log(`1 MiB: ${ratio.toFixed(1)}× markdown-it (goal ≤ 8×) ${ratio <= 8 ? "ok" : "OVER"}`);
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  const cli = cliFixedCost();
  console.log(
    `\nCLI fixed cost: plan-sync lint ${cli.lint.toFixed(0)} ms, node -e 0 ${cli.node.toFixed(0)} ms, cost ${cli.cost.toFixed(0)} ms (goal ≤ 100 ms) ${cli.cost <= 100 ? "ok" : "OVER"}`,
  );
  hostileTable();
}
