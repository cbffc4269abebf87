// The repository's configuration: the YAML Probot's config plugin read (repo, else the org's `.github`),
// validated by the sync core's schema. A broken file is a result, not an exception: the check run shows it.
import { isUnreadableConfigError } from "../github/index.js";
import { DEFAULT_PLAN_PATHS, parseConfig, type Config } from "../sync/config.js";

export type LoadedConfig = { ok: true; config: Config } | { ok: false; errors: string[]; paths: string[] };

export async function loadConfig(read: () => Promise<unknown>): Promise<LoadedConfig> {
  let raw: unknown;
  try {
    raw = await read();
  } catch (error) {
    if (!isUnreadableConfigError(error)) throw error;
    return {
      ok: false,
      errors: [`.github/plan-sync.yml is not a YAML mapping (${error.message})`],
      paths: [...DEFAULT_PLAN_PATHS],
    };
  }
  const result = parseConfig(raw);
  if (result.ok) return result;
  return { ok: false, errors: result.errors, paths: pathsOf(raw) };
}

/**
 * The plan paths to watch while the config is broken: its own `paths` when they are readable, else the
 * defaults, so a push to a plan still gets the failing check run that says why nothing synced.
 */
function pathsOf(raw: unknown): string[] {
  const paths =
    typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>)["paths"] : undefined;
  if (Array.isArray(paths) && paths.length > 0 && paths.every((path) => typeof path === "string"))
    return paths;
  return [...DEFAULT_PLAN_PATHS];
}
