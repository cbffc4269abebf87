// Parse time of the example plans and of generated plans of 64 KiB, 256 KiB and 1 MiB:
// median of several runs, MB/s, peak RSS, and time(1 MiB) / time(64 KiB) to show parsing is linear.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parsePlan } from "../src/plan/index.js";
import { generatePlan } from "./generated-plan.js";

const EXAMPLES = fileURLToPath(new URL("../test/fixtures/plans/", import.meta.url));
const RUNS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function timeParse(name: string, source: string): number {
  const options = { path: name, maxItems: 1_000_000, maxBytes: 2 * 1024 * 1024 };
  parsePlan(source, options); // warm-up
  const times: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const start = performance.now();
    parsePlan(source, options);
    times.push(performance.now() - start);
  }
  return median(times);
}

function row(name: string, source: string): number {
  const bytes = Buffer.byteLength(source);
  const ms = timeParse(name, source);
  const mbPerSecond = bytes / 1024 / 1024 / (ms / 1000);
  console.log(
    `${name.padEnd(34)} ${(bytes / 1024).toFixed(1).padStart(8)} KiB ${ms.toFixed(1).padStart(9)} ms ${mbPerSecond.toFixed(2).padStart(7)} MB/s`,
  );
  return ms;
}

export async function run(): Promise<void> {
  console.log(`\n## parse (median of ${RUNS} runs)`);
  for (const file of readdirSync(EXAMPLES)
    .filter((f) => f.endsWith(".md"))
    .sort()) {
    row(file, readFileSync(join(EXAMPLES, file), "utf8"));
  }
  const times = new Map<number, number>();
  for (const kib of [64, 256, 1024]) times.set(kib, row(`generated ${kib} KiB`, generatePlan(kib * 1024)));
  const ratio = (times.get(1024) ?? 0) / (times.get(64) ?? 1);
  console.log(`time(1 MiB) / time(64 KiB) = ${ratio.toFixed(1)} (16 is linear)`);
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
}
