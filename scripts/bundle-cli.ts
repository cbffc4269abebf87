// Part of `npm run build`: bundles the CLI (src/cli/main.ts) into dist/bin/plan-sync.js, the package's `bin`.
// One file for what `lint` and `parse` need (our parser and markdown-it) starts in about half the time of the
// ~50 modules tsc emits, which Node 20 resolves and reads one by one (issue #14: a CLI that starts at once).
// `preview` and the front matter reader stay `await import(…)`: with splitting they are chunks of their own in
// dist/bin/chunks/, loaded only when asked for.
import { rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type BuildOptions } from "esbuild";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const CLI_OUTDIR = join(ROOT, "dist", "bin");

/** What every bundle of ours is (this CLI's, and the Action's in bundle-action.ts): ESM for the Node versions the
 *  app supports, licences in a file beside it. */
export const NODE_BUNDLE: BuildOptions = {
  bundle: true,
  platform: "node",
  target: "node20.18",
  format: "esm",
  // CommonJS dependencies bundled into ESM (gray-matter, js-yaml) still call require() for Node built-ins.
  banner: {
    js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
  },
  legalComments: "linked",
  logLevel: "warning",
};

/** The CLI bundle's build, written to `outdir` (the package's: CLI_OUTDIR). */
export function cliBuildOptions(outdir: string): BuildOptions {
  return {
    ...NODE_BUNDLE,
    entryPoints: { "plan-sync": join(ROOT, "src", "cli", "main.ts") },
    outdir,
    chunkNames: "chunks/[name]-[hash]",
    splitting: true,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await rm(CLI_OUTDIR, { recursive: true, force: true });
  await build(cliBuildOptions(CLI_OUTDIR));
}
