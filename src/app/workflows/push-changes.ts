// What a push changed. The payload's `commits` list is read when it can be trusted; when it may be incomplete
// the compare API says, and past compare's limits every plan at the head is synced (with the plans whose file is
// gone). GitHub sends an empty list for some pushes, cuts long ones, and a force push or a new branch has no
// "commits since before" to list. https://docs.github.com/en/webhooks/webhook-events-and-payloads#push
import type { ChangedPaths, GitHubLayer } from "../../github/index.js";

/** A push of this many commits or more may list only some of them (GitHub cuts long lists). */
export const LISTED_COMMITS_LIMIT = 20;

export interface PushPayload {
  before: string;
  after: string;
  forced?: boolean;
  created?: boolean;
  commits?: Array<{ added?: string[]; modified?: string[]; removed?: string[] }> | null;
}

/**
 * `listed`: the paths the push changed (renames null: not asked yet). `unknown`: compare could not tell them all,
 * so every plan is a candidate.
 */
export type PushChanges =
  { kind: "listed"; changes: ChangedPaths; renamesKnown: boolean } | { kind: "unknown" };

/** Whether the payload's `commits` may not name every path the push changed. */
export function payloadMayBeIncomplete(payload: PushPayload): boolean {
  const commits = payload.commits ?? [];
  return (
    Boolean(payload.forced) ||
    Boolean(payload.created) ||
    commits.length >= LISTED_COMMITS_LIMIT ||
    (commits.length === 0 && payload.after !== payload.before)
  );
}

export async function changesOfPush(payload: PushPayload, github: GitHubLayer): Promise<PushChanges> {
  if (!payloadMayBeIncomplete(payload))
    return { kind: "listed", changes: listedChanges(payload.commits ?? []), renamesKnown: false };
  const compared = await github.changedPaths(payload.before, payload.after, Boolean(payload.forced));
  return compared ? { kind: "listed", changes: compared, renamesKnown: true } : { kind: "unknown" };
}

/** Added/modified/removed paths over all the listed commits. */
function listedChanges(commits: NonNullable<PushPayload["commits"]>): ChangedPaths {
  const changes: ChangedPaths = { added: new Set(), modified: new Set(), removed: new Set(), renames: [] };
  for (const commit of commits) {
    for (const path of commit.added ?? []) changes.added.add(path);
    for (const path of commit.modified ?? []) changes.modified.add(path);
    for (const path of commit.removed ?? []) changes.removed.add(path);
  }
  return changes;
}

/** Every path the changes name. */
export function touchedPaths(changes: ChangedPaths): Set<string> {
  return new Set([...changes.added, ...changes.modified, ...changes.removed]);
}
