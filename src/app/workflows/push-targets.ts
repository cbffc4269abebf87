// The plans one push syncs. Reads grow with the plans that exist, never with the paths a payload names: past a
// few touched plan paths, one tree read at the pushed commit (and one list of the managed issues) says which of
// them are plans; and one push syncs at most `max_plans_per_push`, the check run naming the rest.
import type { GitHubLayer, Rename } from "../../github/index.js";
import { isPlanPath, type Config } from "../../sync/config.js";
import { ownedIssues } from "../../sync/identity.js";
import type { PushChanges } from "./push-changes.js";
import type { PlanTarget } from "./sync-one-plan.js";

/** Up to this many touched plan paths are read one by one (a missing one costs its one read). */
export const PLAN_PATHS_READ_ONE_BY_ONE = 10;

export interface PushTargets {
  targets: PlanTarget[];
  /** Plans past `max_plans_per_push`: not synced by this push (the check run names them). */
  notSynced: string[];
}

interface PushRange {
  before: string;
  after: string;
}

/**
 * The touched plans (every plan at the pushed commit when the config changed or the changes are unknown, with
 * the managed plans whose file is gone), a renamed file once under its new path with the old one as
 * `previousPath` (its issues follow it).
 */
export async function targetsOf(
  github: GitHubLayer,
  config: Config,
  pushed: PushChanges,
  everyPlan: boolean,
  range: PushRange,
  botLogins: string[],
): Promise<PushTargets> {
  const isPlan = (path: string) => isPlanPath(config, path);
  const changes = pushed.kind === "listed" ? pushed.changes : null;
  const renames = pushed.kind === "listed" ? await renamesOf(github, config, pushed, range) : [];
  const movedAway = new Set(renames.map((rename) => rename.from));
  const previous = new Map(renames.map((rename) => [rename.to, rename.from]));
  const touched = changes ? [...changes.added, ...changes.modified, ...changes.removed].filter(isPlan) : [];
  const removed = new Set(changes ? [...changes.removed].filter((path) => !changes.added.has(path)) : []);

  let paths = new Set(touched);
  if (everyPlan || paths.size > PLAN_PATHS_READ_ONE_BY_ONE) {
    const { paths: atHead } = await github.listPlanPaths(range.after, isPlan);
    const present = new Set(atHead);
    // A touched path that is no file at the commit is synced only when its plan has issues (to retire them).
    const managed = await managedPlanPaths(github, botLogins);
    const gone = (path: string) => !present.has(path) && managed.has(path);
    paths = everyPlan
      ? new Set([...atHead, ...[...managed].filter(gone)])
      : new Set(touched.filter((path) => present.has(path) || gone(path)));
    if (pushed.kind === "unknown") for (const path of managed) if (gone(path)) removed.add(path);
  }
  const targets = [...paths]
    .filter((path) => !movedAway.has(path) || previous.has(path))
    .sort()
    .map((path) => ({
      path,
      previousPath: previous.get(path) ?? null,
      ...(removed.has(path) ? { removed: true } : {}),
    }));
  return {
    targets: targets.slice(0, config.max_plans_per_push),
    notSynced: targets.slice(config.max_plans_per_push).map((target) => target.path),
  };
}

/** Paths of the plans whose tracking issue is open (the plans the app manages now). */
async function managedPlanPaths(github: GitHubLayer, botLogins: string[]): Promise<Set<string>> {
  const owned = ownedIssues(await github.listManagedIssues(botLogins), botLogins);
  return new Set(
    owned
      .filter((issue) => issue.marker.kind === "tracking" && issue.state === "open")
      .flatMap((issue) => issue.marker.path ?? []),
  );
}

/**
 * Plan files that moved within the push: the compare API's `renamed` entries when GitHub can compare the two
 * commits; otherwise one removed and one added plan path are taken as a move.
 */
async function renamesOf(
  github: GitHubLayer,
  config: Config,
  pushed: Extract<PushChanges, { kind: "listed" }>,
  range: PushRange,
): Promise<Rename[]> {
  const { changes } = pushed;
  const removed = [...changes.removed].filter((path) => isPlanPath(config, path) && !changes.added.has(path));
  const added = [...changes.added].filter((path) => isPlanPath(config, path) && !changes.removed.has(path));
  if (removed.length === 0 || added.length === 0) return [];
  const reported = pushed.renamesKnown
    ? changes.renames
    : await github.renamesBetween(range.before, range.after);
  if (reported)
    return reported.filter((rename) => removed.includes(rename.from) && added.includes(rename.to));
  const [from] = removed;
  const [to] = added;
  return removed.length === 1 && added.length === 1 && from && to ? [{ from, to }] : [];
}
