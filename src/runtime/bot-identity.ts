// Who "our bot" is: `<app slug>[bot]`, the author of every issue plan-sync writes. Read once per process from
// GET /app (app authentication) unless given, and shared by all events.
import type { Probot } from "probot";

export type BotLogins = () => Promise<string[]>;

/** `known` (e.g. from config or tests) wins; otherwise the app's slug is read on first use and kept. */
export function botLoginsOf(app: Probot, known?: string[]): BotLogins {
  if (known) return () => Promise.resolve(known);
  let pending: Promise<string[]> | null = null;
  return () => {
    pending ??= (async () => {
      const octokit = await app.auth();
      const { data } = await octokit.rest.apps.getAuthenticated();
      if (!data?.slug) throw new Error("GET /app answered no slug: cannot tell which issues are ours");
      return [`${data.slug}[bot]`];
    })();
    // A failed lookup is not kept: the next event tries again.
    pending.catch(() => {
      pending = null;
    });
    return pending;
  };
}
