// `plan-sync preview`: loaded by the CLI only for this command (renderers, config schema, YAML).
import { CORE_SCHEMA, load } from "js-yaml";
import "../plan/front-matter-yaml.js";
import { parsePlan } from "../plan/parse-core.js";
import { defaultConfig, parseConfig, type Config } from "../sync/config.js";
import type { CliIo } from "./io.js";
import { renderCliPreview } from "./preview.js";

export function runPreview(args: readonly string[], io: CliIo, usage: string): number {
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
    io.stderr(`${usage}\n`);
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
