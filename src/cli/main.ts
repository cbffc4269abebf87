#!/usr/bin/env node
// plan-sync CLI (SPEC.md §5): `lint <files…>`, `parse <file>` and `preview <file>`, offline.
import { readFileSync, realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CORE_SCHEMA, load } from "js-yaml";
import { explainPlan, parsePlan } from "../plan/index.js";
import { defaultConfig, parseConfig, type Config } from "../sync/config.js";
import { renderCliPreview } from "./preview.js";

export interface CliIo {
  readFile: (path: string) => string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

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
export function runCli(argv: readonly string[], io: CliIo): number {
  const [command, ...rest] = argv;
  const explain = command === "lint" && rest.includes("--explain");
  const files = explain ? rest.filter((a) => a !== "--explain") : rest;
  if (command === "--help" || command === "-h" || command === "help") {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  if (command === "preview") return runPreview(files, io);
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

function runPreview(args: readonly string[], io: CliIo): number {
  const options = new Map<string, string>();
  const files: string[] = [];
  let bodies = false;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    if (arg === "--config" || arg === "--repo") options.set(arg, args[++index] ?? "");
    else if (arg === "--bodies") bodies = true;
    else files.push(arg);
  }
  const [file] = files;
  const repository = options.get("--repo") ?? "owner/repo";
  if (
    files.length !== 1 ||
    !file ||
    !/^[\w.-]+\/[\w.-]+$/.test(repository) ||
    options.get("--config") === ""
  ) {
    io.stderr(`${USAGE}\n`);
    return 2;
  }
  const read = (path: string): string | null => {
    try {
      return io.readFile(path);
    } catch (error) {
      io.stderr(
        `plan-sync: cannot read ${path}: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      return null;
    }
  };
  let config = defaultConfig();
  const configPath = options.get("--config");
  if (configPath) {
    const text = read(configPath);
    if (text === null) return 2;
    const loaded = configOf(text);
    if (!loaded.ok) {
      for (const error of loaded.errors) io.stderr(`${configPath}: ${error}\n`);
      return 2;
    }
    config = loaded.config;
  }
  const source = read(file);
  if (source === null) return 2;
  const plan = parsePlan(source, { path: file, maxItems: config.max_items });
  io.stdout(renderCliPreview({ path: file, plan, config, repository, bodies }));
  return plan.diagnostics.some((diagnostic) => diagnostic.severity === "error") ? 1 : 0;
}

/** `.github/plan-sync.yml` as the app reads it: YAML (core schema, no custom tags), then the zod schema. */
function configOf(text: string): { ok: true; config: Config } | { ok: false; errors: string[] } {
  try {
    return parseConfig(load(text, { schema: CORE_SCHEMA }) ?? {});
  } catch (error) {
    return {
      ok: false,
      errors: [`not valid YAML: ${error instanceof Error ? error.message : String(error)}`],
    };
  }
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
