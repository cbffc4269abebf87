// The CLI's fixed cost: `plan-sync lint` on a small plan against `node -e 0`, as whole processes,
// run in turn (A B A B …) so a drifting machine affects both; medians. Uses the built CLI as the package ships
// it (dist/bin/plan-sync.js, the bundle scripts/bundle-cli.ts makes), building it first when it is missing or
// older than src/.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLI = join(ROOT, "dist", "bin", "plan-sync.js");
const RUNS = 9;

function newest(dir: string): number {
  return Math.max(
    ...readdirSync(dir, { withFileTypes: true }).map((entry) =>
      entry.isDirectory() ? newest(join(dir, entry.name)) : statSync(join(dir, entry.name)).mtimeMs,
    ),
  );
}

function builtCli(): string {
  let built = 0;
  try {
    built = statSync(CLI).mtimeMs;
  } catch {
    built = 0;
  }
  if (built < newest(join(ROOT, "src"))) {
    console.log("(building dist/ for the CLI timing: npm run build)");
    execFileSync("npm", ["run", "--silent", "build"], { cwd: ROOT, stdio: "inherit" });
  }
  return CLI;
}

function wallMs(args: string[]): number {
  const start = performance.now();
  spawnSync(process.execPath, args, { stdio: "ignore" });
  return performance.now() - start;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** Median wall time of `plan-sync lint` on a small plan and of `node -e 0`, and their difference. */
export function cliFixedCost(): { lint: number; node: number; cost: number } {
  const cli = builtCli();
  const plan = join(mkdtempSync(join(tmpdir(), "plan-sync-bench-")), "plan.md");
  writeFileSync(
    plan,
    "# Plan\n\n## Steps\n\n### Step 1: Build\n\n**What**: the parser\n\n### Step 2: Ship\n\n**Depends on**: Step 1\n",
  );
  const lint: number[] = [];
  const node: number[] = [];
  wallMs([cli, "lint", plan]); // warm-up (file cache)
  for (let run = 0; run < RUNS; run += 1) {
    lint.push(wallMs([cli, "lint", plan]));
    node.push(wallMs(["-e", "0"]));
  }
  return { lint: median(lint), node: median(node), cost: median(lint) - median(node) };
}
