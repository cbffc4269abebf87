#!/usr/bin/env node
// plan-sync CLI (SPEC.md §5): `lint <files…>` and `parse <file>`, offline, on top of src/plan.
import { readFileSync, realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parsePlan } from "../plan/index.js";

export interface CliIo {
  readFile: (path: string) => string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const USAGE = [
  "usage: plan-sync lint <file…>   print diagnostics as file:line:col severity rule message; exit 1 on errors",
  "       plan-sync parse <file>   print the plan as JSON",
].join("\n");

/** Exit codes: 0 fine, 1 a plan has errors, 2 usage error or unreadable file. */
export function runCli(argv: readonly string[], io: CliIo): number {
  const [command, ...files] = argv;
  if (command === "--help" || command === "-h" || command === "help") {
    io.stdout(`${USAGE}\n`);
    return 0;
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
  if (command === "parse") {
    const [file, source] = [...sources][0] as [string, string];
    io.stdout(`${JSON.stringify(parsePlan(source, { path: file }), null, 2)}\n`);
    return 0;
  }
  let errors = false;
  for (const [file, source] of sources) {
    for (const d of parsePlan(source, { path: file }).diagnostics) {
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
  process.exitCode = runCli(process.argv.slice(2), {
    readFile: (path) => readFileSync(path, "utf8"),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
}
