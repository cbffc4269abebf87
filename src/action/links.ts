// Links from the workflow's log and job summary to the repository's issues and plan lines, built from what
// the runner says about the repository (GITHUB_SERVER_URL is the GitHub Enterprise host there).
import type { RepoContext } from "../sync/model.js";
import { permalink } from "../sync/references.js";
import type { ActionEnv } from "./env.js";

export interface RepoLinks {
  issue(number: number): string;
  /** The line of a plan at a commit (a branch name works too). */
  line(ref: string, path: string, line: number): string;
  /** The commit the event is about, for lines of a plan read at no known commit. */
  eventSha: string | null;
}

export function repoLinksOf(env: ActionEnv): RepoLinks {
  const server = (env["GITHUB_SERVER_URL"] ?? "https://github.com").replace(/(?<!\/)\/+$/, "");
  const [owner = "", repo = ""] = (env["GITHUB_REPOSITORY"] ?? "").split("/");
  const context: RepoContext = {
    host: new URL(server).host,
    owner,
    repo,
    sha: "",
    branch: "",
    botLogins: [],
  };
  return {
    issue: (number) => `${server}/${owner}/${repo}/issues/${number}`,
    line: (ref, path, line) => permalink(context, ref, path, line, line),
    eventSha: env["GITHUB_SHA"] ?? null,
  };
}
