// `npm run bundle:action`: bundles src/action/index.ts and everything it imports into action/dist/index.js,
// which action.yml runs. GitHub runs actions from the repository as committed (no install, no build), so the
// bundle is committed and must be regenerated whenever the app changes. `--check` writes nothing and exits 1
// when the committed bundle differs from a fresh one (for CI before a release).
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { NODE_BUNDLE } from "./bundle-cli.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outdir = join(root, "action", "dist");
const check = process.argv.includes("--check");

// action.yml asks for node24; the bundle also runs on the Node versions the app supports (NODE_BUNDLE).
const result = await build({
  ...NODE_BUNDLE,
  entryPoints: [join(root, "src", "action", "index.ts")],
  outfile: join(outdir, "index.js"),
  // Redis coordination is for the server's several instances; the Action runs one job and never loads it.
  external: ["ioredis"],
  write: false,
});
const files = [
  ...result.outputFiles.map((file) => ({ path: file.path, content: file.text })),
  // Node decides ESM or CommonJS from the nearest package.json: say it here, so the bundle does not depend on
  // the repository root's.
  {
    path: join(outdir, "package.json"),
    content: `${JSON.stringify({ type: "module", private: true }, null, 2)}\n`,
  },
];

let stale = 0;
await mkdir(outdir, { recursive: true });
for (const { path, content } of files) {
  if ((await readFile(path, "utf8").catch(() => undefined)) === content) continue;
  if (check) {
    stale += 1;
    console.error(`${relative(root, path)} is out of date: run npm run bundle:action`);
  } else {
    await writeFile(path, content);
    console.log(`wrote ${relative(root, path)} (${(Buffer.byteLength(content) / 1024).toFixed(0)} KiB)`);
  }
}
process.exitCode = stale > 0 ? 1 : 0;
