// Who "our bot" is: `<app slug>[bot]`, the author of every issue plan-sync writes. Known when the client class is
// built (config, Action mode, tests) or read once from GET /app (app authentication) and shared by every client of
// the class: Probot builds one per event.
import type { GitHubClient } from "./client.js";

export interface BotIdentityOptions {
  /** Octokit hands a plugin all its constructor options. */
  [option: string]: unknown;
  /** The identity the clients share (`new BotIdentity(known)`), given at construction. */
  botIdentity?: BotIdentity;
}

export class BotIdentity {
  private pending: Promise<string[]> | null = null;

  /** `known` (e.g. `["plan-sync[bot]"]`) wins; otherwise the app's slug is read on first use and kept. */
  constructor(private readonly known?: readonly string[]) {}

  /** Logins whose issues plan-sync manages, read through `octokit` (which must authenticate as the app). */
  logins(octokit: Pick<GitHubClient, "request">): Promise<string[]> {
    if (this.known) return Promise.resolve([...this.known]);
    this.pending ??= (async () => {
      const { data } = await octokit.request("GET /app");
      if (!data?.slug) throw new Error("GET /app answered no slug: cannot tell which issues are ours");
      return [`${data.slug}[bot]`];
    })();
    // A failed lookup is not kept: the next event tries again.
    this.pending.catch(() => {
      this.pending = null;
    });
    return this.pending;
  }
}

/** Octokit plugin: `octokit.botLogins()`, the identity given at construction (none: GET /app on each client). */
export function botIdentity(
  octokit: Pick<GitHubClient, "request">,
  options: BotIdentityOptions,
): { botLogins(): Promise<string[]> } {
  const identity = options.botIdentity ?? new BotIdentity();
  return { botLogins: () => identity.logins(octokit) };
}
