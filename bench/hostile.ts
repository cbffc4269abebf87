// `npm run bench -- hostile`: every worst case of bench/hostile-inputs.ts, grown to just under
// 64 KiB, parsed in process: the best of a few parses, which should stay under 100 ms each.
import { parsePlan } from "../src/plan/index.js";
import { HOSTILE_BYTES, HOSTILE_CASES, grownTo } from "./hostile-inputs.js";

const RUNS = 3;
const LIMIT_MS = 100;

function bestParse(source: string): number {
  let best = Infinity;
  for (let run = 0; run < RUNS; run += 1) {
    const start = performance.now();
    parsePlan(source, { path: "hostile.md" });
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

/** Prints the table; returns how many cases took longer than the limit. */
export function hostileTable(): number {
  console.log(`\n## hostile inputs (best of ${RUNS} in process, each under ${HOSTILE_BYTES / 1024} KiB)`);
  let over = 0;
  for (const [name, make] of HOSTILE_CASES) {
    const source = grownTo(make, HOSTILE_BYTES);
    const ms = bestParse(source);
    if (ms > LIMIT_MS) over += 1;
    const size = `${(Buffer.byteLength(source) / 1024).toFixed(1)} KiB`;
    console.log(
      `${name.padEnd(34)} ${size.padStart(9)} ${ms.toFixed(1).padStart(8)} ms ${ms > LIMIT_MS ? "OVER" : "ok"}`,
    );
  }
  console.log(over === 0 ? `every case under ${LIMIT_MS} ms` : `${over} case(s) over ${LIMIT_MS} ms`);
  return over;
}

export async function run(): Promise<void> {
  hostileTable();
}
