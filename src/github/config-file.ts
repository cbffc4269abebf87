// Reading `.github/plan-sync.yml` outside a repository event (installation events carry no repository, so
// Probot's context.config cannot be used): the same plugin call, with the same fallback to the org's `.github`.
import type { ProbotOctokit } from "probot";
import type { RepoRef } from "./client.js";

export const CONFIG_FILE = "plan-sync.yml";
export const CONFIG_PATH = `.github/${CONFIG_FILE}`;

/** The parsed YAML of the config, or null when neither the repository nor the org's `.github` has one. */
export async function readConfigFile(octokit: ProbotOctokit, repo: RepoRef): Promise<unknown> {
  const { files, config } = await octokit.config.get({ ...repo, path: CONFIG_PATH });
  return files.some((file) => file.config !== null) ? config : null;
}

/** The config plugin throws these for a file that exists but is not a YAML mapping. */
export function isUnreadableConfigError(error: unknown): error is Error {
  return (
    error instanceof Error && /octokit-plugin-config\] Configuration could not be parsed/.test(error.message)
  );
}
