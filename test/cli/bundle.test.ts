// The CLI as the package ships it (`bin`: dist/bin/plan-sync.js, built by scripts/bundle-cli.ts): what it loads
// up front is our parser and markdown-it only, and `lint`, `parse` with front matter and `preview` work from the
// bundle, their lazy chunks included.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { build, type Metafile } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliBuildOptions } from "../../scripts/bundle-cli.js";

const ROOT = join(import.meta.dirname, "../..");
const run = promisify(execFile);

let dir: string;
let metafile: Metafile;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "plan-sync-cli-bundle-"));
  const result = await build({ ...cliBuildOptions(dir), metafile: true });
  metafile = result.metafile;
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The package (or `src/<folder>`) of every input in the outputs reached from `entry` by static imports. */
function loadedUpFront(entry: string): Set<string> {
  const seen = new Set<string>();
  const owners = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const output = pending.pop() as string;
    if (seen.has(output)) continue;
    seen.add(output);
    const { inputs, imports } = metafile.outputs[output] ?? { inputs: {}, imports: [] };
    for (const input of Object.keys(inputs)) {
      const inPackage = input.split("node_modules/").at(-1) as string;
      const parts = inPackage.split("/");
      owners.add(
        input.includes("node_modules/")
          ? parts.slice(0, parts[0]?.startsWith("@") ? 2 : 1).join("/")
          : parts.slice(0, 2).join("/"),
      );
    }
    for (const imported of imports)
      if (imported.kind === "import-statement" && !imported.external) pending.push(imported.path);
  }
  return owners;
}

describe("the CLI bundle", () => {
  it("loads our parser and markdown-it up front, nothing of preview, front matter, sync or GitHub", () => {
    const entry = Object.keys(metafile.outputs).find((output) => output.endsWith("plan-sync.js")) as string;
    expect([...loadedUpFront(entry)].sort()).toEqual([
      "entities",
      "linkify-it",
      "markdown-it",
      "mdurl",
      "punycode.js",
      "src/cli",
      "src/plan",
      "uc.micro",
    ]);
    // The walk sees what a dynamic import brings when it is followed: gray-matter is one chunk away.
    const all = new Set(Object.values(metafile.outputs).flatMap((output) => Object.keys(output.inputs)));
    expect([...all].some((input) => input.includes("node_modules/gray-matter/"))).toBe(true);
  });

  it("lints, parses a plan with front matter and previews, from the bundle", async () => {
    const cli = join(dir, "plan-sync.js");
    const plan = join(dir, "plan.md");
    await writeFile(
      plan,
      ["---", "title: Bundled", "---", "# Plan", "", "### Step 1: Build", "", "### Step 1: Again", ""].join(
        "\n",
      ),
    );
    const lint = await run(process.execPath, [cli, "lint", plan]).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => error,
    );
    expect([lint.code, lint.stdout]).toEqual([
      1,
      `${plan}:8:1 error duplicate-step-number Step 1 is numbered twice (first at line 6); renumber one of them.\n`,
    ]);
    const parsed = JSON.parse((await run(process.execPath, [cli, "parse", plan])).stdout) as {
      title: string;
    };
    expect(parsed.title).toBe("Bundled");
    const example = join(ROOT, "examples/plans/rate-limiter.md");
    const preview = await run(process.execPath, [cli, "preview", example], { cwd: ROOT });
    expect(preview.stdout).toContain("## 10 issues a first sync creates");
    expect(preview.stdout).toContain("- #2 Token bucket script · [plan-step] · sub-issue of #1\n");
  });

  it("is the package's bin", async () => {
    const { bin } = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as {
      bin: Record<string, string>;
    };
    expect(bin).toEqual({ "plan-sync": "dist/bin/plan-sync.js" });
  });
});
