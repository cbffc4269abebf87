// Which issues are ours, which plan they belong to, and which item each one stands for (SPEC.md §2 "Identity"):
// explicit id, then title, then number with a similar title — so renames and renumbering update in place.
import type { ItemKey, ManagedIssue, Marker } from "./model.js";
import type { DesiredItem } from "./items.js";

export type OwnedIssue = ManagedIssue & { marker: Marker };

/** Issues a bot of ours created and that carry a marker: nothing else is ever touched. */
export function ownedIssues(issues: ManagedIssue[], botLogins: string[]): OwnedIssue[] {
  const bots = new Set(botLogins.map((login) => login.toLowerCase()));
  return issues.filter(
    (issue): issue is OwnedIssue => issue.marker !== null && bots.has(issue.authorLogin.toLowerCase()),
  );
}

/**
 * The plan id of the file at `path`: the tracking issue that points at the path (or at the path before a
 * rename) names it; a plan seen for the first time is known by its path.
 */
export function resolvePlanId(owned: OwnedIssue[], path: string, previousPath: string | null): string {
  const trackings = owned.filter((issue) => issue.marker.kind === "tracking").sort(byIssueNumber);
  for (const candidate of [path, previousPath]) {
    const tracking = candidate ? trackings.find((issue) => issue.marker.path === candidate) : undefined;
    if (tracking) return tracking.marker.plan;
  }
  return path;
}

/**
 * Copies of one issue: a create GitHub committed but answered with an error, then retried, leaves two issues
 * with the same marker. Item keys alone do not tell (a key derived from a step number can pass to another
 * step), so copies must also agree on title and content hash; a plan has one tracking issue whatever it says.
 */
export function splitDuplicates(issues: OwnedIssue[]): {
  canonical: OwnedIssue[];
  duplicates: Array<{ issue: OwnedIssue; of: OwnedIssue }>;
} {
  const first = new Map<string, OwnedIssue>();
  const duplicates: Array<{ issue: OwnedIssue; of: OwnedIssue }> = [];
  for (const issue of [...issues].sort(byIssueNumber)) {
    const { item, kind, title, hash } = issue.marker;
    const identity = kind === "tracking" ? item : JSON.stringify([item, title, hash]);
    const kept = first.get(identity);
    if (kept) duplicates.push({ issue, of: kept });
    else first.set(identity, issue);
  }
  return { canonical: [...first.values()], duplicates };
}

/** Pairs each desired item with its existing issue; issues left over are items that left the plan. */
export function matchItems(
  items: DesiredItem[],
  issues: OwnedIssue[],
): { matched: Map<ItemKey, OwnedIssue>; leftover: OwnedIssue[] } {
  const matched = new Map<ItemKey, OwnedIssue>();
  const free = new Set(issues);
  // Indexes keep each pass linear: reconcile runs after every create, on plans of hundreds of items.
  const byItem = groupBy(issues, (issue) => issue.marker.item);
  const byId = groupBy(issues, (issue) => issue.marker.explicitId);
  const byTitle = groupBy(issues, (issue) => normalize(issue.marker.title));
  const byNumber = groupBy(issues, (issue) => issue.marker.number);
  const passes: Array<{
    candidates: (item: DesiredItem) => OwnedIssue[];
    accepts: (item: DesiredItem, issue: OwnedIssue) => boolean;
  }> = [
    {
      candidates: (item) =>
        item.kind === "tracking" || item.kind === "phase" ? (byItem.get(item.key) ?? []) : [],
      accepts: () => true,
    },
    {
      candidates: (item) => (item.explicitId === null ? [] : (byId.get(item.explicitId) ?? [])),
      accepts: () => true,
    },
    {
      candidates: (item) => byTitle.get(normalize(item.planTitle)) ?? [],
      accepts: (item, issue) => compatibleIds(item, issue) && issue.marker.number === item.number,
    },
    { candidates: (item) => byTitle.get(normalize(item.planTitle)) ?? [], accepts: compatibleIds },
    {
      candidates: (item) => (item.number === null ? [] : (byNumber.get(item.number) ?? [])),
      accepts: (item, issue) =>
        compatibleIds(item, issue) && similarity(issue.marker.title, item.planTitle) >= 0.5,
    },
    {
      candidates: (item) => (item.number === null ? (byNumber.get(null) ?? []) : []),
      accepts: (item, issue) =>
        compatibleIds(item, issue) && similarity(issue.marker.title, item.planTitle) >= 0.7,
    },
  ];
  for (const pass of passes) {
    for (const item of items) {
      if (matched.has(item.key)) continue;
      const candidates = pass
        .candidates(item)
        .filter((issue) => free.has(issue) && issue.marker.kind === item.kind && pass.accepts(item, issue));
      const best =
        candidates.length < 2
          ? candidates[0]
          : candidates.sort(
              (a, b) =>
                similarity(b.marker.title, item.planTitle) - similarity(a.marker.title, item.planTitle) ||
                byIssueNumber(a, b),
            )[0];
      if (best) {
        matched.set(item.key, best);
        free.delete(best);
      }
    }
  }
  return { matched, leftover: [...free].sort(byIssueNumber) };
}

function groupBy<K>(issues: OwnedIssue[], keyOf: (issue: OwnedIssue) => K): Map<K, OwnedIssue[]> {
  const groups = new Map<K, OwnedIssue[]>();
  for (const issue of issues) {
    const key = keyOf(issue);
    const group = groups.get(key);
    if (group) group.push(issue);
    else groups.set(key, [issue]);
  }
  return groups;
}

/** An issue made for one explicit id never stands for an item with another. */
function compatibleIds(item: DesiredItem, issue: OwnedIssue): boolean {
  return (
    item.explicitId === null ||
    issue.marker.explicitId === null ||
    item.explicitId === issue.marker.explicitId
  );
}

function normalize(title: string): string {
  return title.trim().toLowerCase().replace(/\s+/g, " ");
}

/** Dice coefficient of character bigrams: 1 for equal titles, about 0.5 when half the wording stayed. */
export function similarity(a: string, b: string): number {
  const left = bigrams(normalize(a));
  const right = bigrams(normalize(b));
  if (left.size === 0 && right.size === 0) return normalize(a) === normalize(b) ? 1 : 0;
  let shared = 0;
  for (const [gram, count] of left) shared += Math.min(count, right.get(gram) ?? 0);
  const total = [...left.values(), ...right.values()].reduce((sum, count) => sum + count, 0);
  return total === 0 ? 0 : (2 * shared) / total;
}

function bigrams(text: string): Map<string, number> {
  const grams = new Map<string, number>();
  for (let index = 0; index < text.length - 1; index++) {
    const gram = text.slice(index, index + 2);
    grams.set(gram, (grams.get(gram) ?? 0) + 1);
  }
  return grams;
}

function byIssueNumber(a: ManagedIssue, b: ManagedIssue): number {
  return a.number - b.number;
}
