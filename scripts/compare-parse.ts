// Compares `plan-sync parse` JSON between two builds of the CLI on every example, fixture,
// generated plan and (when present) the shared real-world plans, which are only read here.
// Usage: tsx scripts/compare-parse.ts <before/dist/cli/main.js> <after/dist/cli/main.js> [dir…]
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generatePlan } from "../bench/generated-plan.js";

function markdownFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    if (name === "node_modules" || name === ".git") return [];
    if (statSync(path).isDirectory()) return markdownFiles(path);
    return name.endsWith(".md") ? [path] : [];
  });
}

const [before, after, ...dirs] = process.argv.slice(2);
if (!before || !after) {
  console.error("usage: tsx scripts/compare-parse.ts <before cli> <after cli> [dir…]");
  process.exit(2);
}
const generated = mkdtempSync(join(tmpdir(), "plan-sync-compare-"));
for (const kib of [64, 256, 1024])
  writeFileSync(join(generated, `generated-${kib}.md`), generatePlan(kib * 1024));
const files = [...(dirs.length > 0 ? dirs : ["examples", "test/fixtures"]), generated].flatMap(markdownFiles);
const parse = (cli: string, file: string) =>
  execFileSync(process.execPath, [cli, "parse", file], { encoding: "utf8", maxBuffer: 1 << 28 });
const differing = files.filter((file) => parse(before, file) !== parse(after, file));
for (const file of differing) console.log(`differs: ${file}`);
console.log(`${files.length - differing.length} of ${files.length} files give identical parse JSON`);
process.exitCode = differing.length > 0 ? 1 : 0;
