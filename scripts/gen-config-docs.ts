// `npm run docs:config`: writes schema/plan-sync.schema.json and docs/config.md from src/sync/config.ts.
// `--check` writes nothing and exits 1 when a committed file differs from what would be generated.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateConfigFiles } from "./config-docs.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const check = process.argv.includes("--check");

let stale = 0;
for (const { path, content } of await generateConfigFiles(root)) {
  const target = join(root, path);
  const current = await readFile(target, "utf8").catch(() => undefined);
  if (current === content) continue;
  if (check) {
    stale += 1;
    console.error(`${path} is out of date: run npm run docs:config`);
    continue;
  }
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, content);
  console.log(`wrote ${path}`);
}
process.exitCode = stale > 0 ? 1 : 0;
