// `plan-sync lint` starts at once (issue #14): what its modules import up front, followed file by
// file from src/cli/main.ts, reaches none of the packages only `preview` or front matter need. They
// are loaded with `await import(…)` when asked for, which this walk does not follow.
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(import.meta.dirname, "../../src");
// `import … from "x"` and `import "x"` at the start of a line; `await import("x")` is not matched.
const STATIC_IMPORT = /^(?:import|export)\s[^"';]*?\sfrom\s*["']([^"']+)["']|^import\s+["']([^"']+)["']/gm;

function staticGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (files.has(file)) continue;
    files.add(file);
    const source = readFileSync(file, "utf8");
    for (const match of source.matchAll(STATIC_IMPORT)) {
      const specifier = (match[1] ?? match[2]) as string;
      if (/^import\s+type\s/.test(match[0]) || /^export\s+type\s/.test(match[0])) continue;
      if (specifier.startsWith(".")) pending.push(join(dirname(file), specifier.replace(/\.js$/, ".ts")));
      else packages.add(specifier);
    }
  }
  return { files, packages };
}

describe("plan-sync lint's start-up", () => {
  const { files, packages } = staticGraph(join(SRC, "cli/main.ts"));

  it("loads markdown-it and node built-ins only", () => {
    expect([...packages].filter((p) => !p.startsWith("node:")).sort()).toEqual(["markdown-it"]);
  });

  it("loads no preview, sync, GitHub or server code", () => {
    const outside = [...files].map((f) => f.slice(SRC.length + 1)).filter((f) => !/^(?:plan|cli)\//.test(f));
    expect(outside).toEqual([]);
    expect([...files].map((f) => f.slice(SRC.length + 1))).not.toContain("cli/preview.ts");
  });

  it("would see a package imported up front (the walk can fail)", () => {
    expect(staticGraph(join(SRC, "plan/parse.ts")).packages).toContain("gray-matter");
  });
});
