#!/usr/bin/env node
// plan-sync CLI (SPEC.md §5): `lint <files…>`, `parse <file>` and `preview <file>`, offline.
import { readFileSync, realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
// Only what parsing needs is loaded up front: `preview` loads its renderers and the config schema
// when asked for, and the front matter reader is loaded only for a file that has front matter.
import { explainPlan } from "../plan/explain.js";
import { mayHaveFrontMatter } from "../plan/front-matter.js";
import { parsePlan } from "../plan/parse-core.js";
import type { CliIo } from "./io.js";

export type { CliIo } from "./io.js";

const USAGE = [
  "usage: plan-sync lint <file…>   print diagnostics as file:line:col severity rule message; exit 1 on errors",
  "       plan-sync lint --explain <file…>",
  "                                also print every heading and candidate item with what it was taken for and why",
  "       plan-sync parse <file>   print the plan as JSON",
  "       plan-sync preview <file> [--config .github/plan-sync.yml] [--repo owner/name] [--bodies]",
  "                                print the issues a first sync creates and the pull request status comment;",
  "                                --bodies adds each issue's body as it would be written (graph included);",
  "                                exit 1 when the plan has errors",
].join("\n");

/** Exit codes: 0 fine, 1 a plan has errors, 2 usage error or unreadable file. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  const explain = command === "lint" && rest.includes("--explain");
  const files = explain ? rest.filter((a) => a !== "--explain") : rest;
  if (command === "--help" || command === "-h" || command === "help") {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  if (command === "preview") {
    const { runPreview } = await import("./preview-command.js");
    return runPreview(files, io, USAGE);
  }
  if (
    (command !== "lint" && command !== "parse") ||
    files.length === 0 ||
    (command === "parse" && files.length > 1)
  ) {
    io.stderr(`${USAGE}\n`);
    return 2;
  }
  const sources = new Map<string, string>();
  for (const file of files) {
    try {
      sources.set(file, io.readFile(file));
    } catch (error) {
      io.stderr(
        `plan-sync: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      return 2;
    }
  }
  if ([...sources.values()].some(mayHaveFrontMatter)) await import("../plan/front-matter-yaml.js");
  if (command === "parse") {
    const [file, source] = [...sources][0] as [string, string];
    io.stdout(`${JSON.stringify(parsePlan(source, { path: file }), null, 2)}\n`);
    return 0;
  }
  let errors = false;
  for (const [file, source] of sources) {
    const { plan, lines } = explain
      ? explainPlan(source, file)
      : { plan: parsePlan(source, { path: file }), lines: [] };
    for (const l of lines) io.stdout(`${file}:${l.line} ${l.taken}: ${l.text} — ${l.why}\n`);
    for (const d of plan.diagnostics) {
      io.stdout(`${file}:${d.line}:${d.column} ${d.severity} ${d.rule} ${d.message}\n`);
      errors ||= d.severity === "error";
    }
  }
  return errors ? 1 : 0;
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // `plan-sync lint … | head` closes the pipe early; that is not a failure of the lint.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
  process.exitCode = await runCli(process.argv.slice(2), {
    readFile: (path) => readFileSync(path, "utf8"),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
}
