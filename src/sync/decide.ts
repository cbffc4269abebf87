// Per-issue decisions of reconcile, each a small pure rule of SPEC.md §2: people win on state, only what
// plan-sync set is ever removed, links follow the plan (within GitHub's caps).
import type { OwnedIssue } from "./identity.js";
import type { Blocker, DesiredItem } from "./items.js";
import type { CloseReason, IssueTarget, ItemKey, Operation, RefusedLinks, RepoContext } from "./model.js";
import { canonicalRef, externalTarget, parseCanonicalRef, sameRepo } from "./references.js";

export interface StateDecision {
  action: "close" | "reopen" | null;
  state: "open" | "closed";
  closedAs: CloseReason | "reopened" | null;
}

/**
 * The plan's done-mark wins only when it changed since the last sync (or the item came back after plan-sync
 * closed it as removed); otherwise the issue stays as a person left it.
 */
export function decideState(item: DesiredItem, issue: OwnedIssue): StateDecision {
  const unchanged: StateDecision = { action: null, state: issue.state, closedAs: issue.stateReason };
  const marker = issue.marker;
  if (!marker.removed && item.done === marker.done) return unchanged;
  if (item.done) {
    const wrongReason = marker.removed && issue.stateReason !== "completed";
    if (issue.state === "open" || wrongReason)
      return { action: "close", state: "closed", closedAs: "completed" };
    return unchanged;
  }
  return issue.state === "closed" ? { action: "reopen", state: "open", closedAs: "reopened" } : unchanged;
}

/**
 * Labels or assignees after a sync: what the plan newly asks for is added, what plan-sync set and the plan
 * no longer asks for is removed, everything else (a person's choices) stays. Compared without case.
 */
export function mergeManaged(current: string[], previouslySet: string[], desired: string[]): string[] | null {
  const fold = (values: string[]) => new Set(values.map((value) => value.toLowerCase()));
  const wanted = fold(desired);
  const before = fold(previouslySet);
  const removed = new Set([...before].filter((value) => !wanted.has(value)));
  const added = desired.filter((value) => !before.has(value.toLowerCase()));
  const kept = current.filter((value) => !removed.has(value.toLowerCase()));
  const have = fold(kept);
  const next = [...kept, ...added.filter((value) => !have.has(value.toLowerCase()))];
  const unchanged = next.length === current.length && next.every((value, index) => value === current[index]);
  return unchanged ? null : next;
}

export interface LinkContext {
  repo: RepoContext;
  /** Issues of this plan by item key (existing ones only). */
  issueOf(key: ItemKey): OwnedIssue | null;
  /** Owned issues of this repository by number, to give removals an id. */
  byNumber: Map<number, OwnedIssue>;
}

export function targetOf(issue: OwnedIssue, item: ItemKey | null, repo: RepoContext): IssueTarget {
  return { item, owner: repo.owner, repo: repo.repo, number: issue.number, id: issue.id };
}

/** The blockers that can be linked now (their issue exists), as targets with their canonical references. */
export function linkableBlockers(
  item: DesiredItem,
  self: number | null,
  links: LinkContext,
): Array<{ ref: string; target: IssueTarget }> {
  const result: Array<{ ref: string; target: IssueTarget }> = [];
  for (const blocker of item.linkedBlockers) {
    const target = blockerTarget(blocker, links);
    if (!target || (target.number === self && sameRepo(target, links.repo))) continue;
    result.push({ ref: canonicalRef(target), target });
  }
  return result;
}

function blockerTarget(blocker: Blocker, links: LinkContext): IssueTarget | null {
  if (blocker.kind === "issue") {
    const own = sameRepo(blocker.address, links.repo)
      ? links.byNumber.get(blocker.address.number)
      : undefined;
    return own ? targetOf(own, own.marker.item, links.repo) : externalTarget(blocker.address);
  }
  const issue = links.issueOf(blocker.key);
  return issue ? targetOf(issue, blocker.key, links.repo) : null;
}

export interface LinkDecision {
  ops: Operation[];
  /** What the marker records afterwards. */
  parent: number | null;
  blockedBy: string[];
  /** Links GitHub refused, for the marker (undefined when none). */
  refused: RefusedLinks | undefined;
}

/**
 * Sub-issue and blocked-by links of an existing issue. The marker says what plan-sync linked; observed
 * counts from the list response (when present) reveal links that went missing, which are then re-sent.
 * A link GitHub refused (this sync, or when last tried) is not sent again until the item changes.
 */
export function decideLinks(
  item: DesiredItem,
  issue: OwnedIssue,
  links: LinkContext,
  itemChanged: boolean,
): LinkDecision {
  const self = targetOf(issue, item.key, links.repo);
  const refusedBefore = itemChanged ? undefined : issue.marker.refused;
  const parent = decideParent(item, issue, self, links, refusedBefore);
  const blockers = decideBlockers(item, issue, self, links, refusedBefore);
  const refused =
    parent.refused === null && blockers.refused.length === 0
      ? undefined
      : { parent: parent.refused, blockedBy: blockers.refused };
  return {
    ops: [...parent.ops, ...blockers.ops],
    parent: parent.parent,
    blockedBy: blockers.blockedBy,
    refused,
  };
}

function decideParent(
  item: DesiredItem,
  issue: OwnedIssue,
  self: IssueTarget,
  links: LinkContext,
  refusedBefore: RefusedLinks | undefined,
): { ops: Operation[]; parent: number | null; refused: number | null } {
  const marker = issue.marker;
  const parentIssue = item.parent ? links.issueOf(item.parent) : null;
  // The parent's issue does not exist yet: the round after its create decides.
  if (item.parent && !parentIssue) return { ops: [], parent: marker.parent, refused: null };
  const wanted = parentIssue ? parentIssue.number : null;
  const refusedNow = wanted !== null && issue.refusedThisSync?.parent === wanted;
  const current = issue.parentNumber !== undefined ? issue.parentNumber : marker.parent;
  if (parentIssue && (refusedNow || current !== wanted)) {
    if (refusedNow || refusedBefore?.parent === wanted) {
      // Not attached there: the marker keeps the parent plan-sync did attach it to (if another), or none.
      return { ops: [], parent: marker.parent === wanted ? null : marker.parent, refused: wanted };
    }
    const add: Operation = {
      type: "add-sub-issue",
      parent: targetOf(parentIssue, item.parent, links.repo),
      child: self,
      replaceParent: current !== null,
    };
    return { ops: [add], parent: wanted, refused: null };
  }
  if (!parentIssue && current !== null && current === marker.parent) {
    const old = links.byNumber.get(current);
    const oldTarget = old
      ? targetOf(old, old.marker.item, links.repo)
      : externalTarget({ owner: links.repo.owner, repo: links.repo.repo, number: current });
    return {
      ops: [{ type: "remove-sub-issue", parent: oldTarget, child: self }],
      parent: null,
      refused: null,
    };
  }
  return { ops: [], parent: wanted, refused: null };
}

function decideBlockers(
  item: DesiredItem,
  issue: OwnedIssue,
  self: IssueTarget,
  links: LinkContext,
  refusedBefore: RefusedLinks | undefined,
): { ops: Operation[]; blockedBy: string[]; refused: string[] } {
  const marker = issue.marker;
  const wanted = linkableBlockers(item, issue.number, links);
  const recorded = new Set(marker.blockedBy);
  const refusedNow = new Set(issue.refusedThisSync?.blockedBy ?? []);
  const remembered = new Set(refusedBefore?.blockedBy ?? []);
  const isRefused = (ref: string) => refusedNow.has(ref) || (remembered.has(ref) && !recorded.has(ref));
  const linked = wanted.filter((blocker) => !isRefused(blocker.ref));
  // Only links plan-sync made count: a refused one is never on GitHub, so it cannot be "missing".
  const made = linked.filter((blocker) => recorded.has(blocker.ref)).length;
  const missing = issue.blockedByCount !== undefined && issue.blockedByCount < made;
  const ops: Operation[] = [];
  for (const blocker of linked) {
    if (!recorded.has(blocker.ref) || missing)
      ops.push({ type: "add-blocked-by", issue: self, blocker: blocker.target });
  }
  const wantedRefs = new Set(wanted.map((blocker) => blocker.ref));
  for (const ref of marker.blockedBy) {
    if (wantedRefs.has(ref)) continue;
    const address = parseCanonicalRef(ref);
    if (!address) continue;
    const own = sameRepo(address, links.repo) ? links.byNumber.get(address.number) : undefined;
    const blocker = own ? targetOf(own, own.marker.item, links.repo) : externalTarget(address);
    ops.push({ type: "remove-blocked-by", issue: self, blocker });
  }
  return {
    ops,
    blockedBy: linked.map((blocker) => blocker.ref),
    refused: wanted.filter((blocker) => isRefused(blocker.ref)).map((blocker) => blocker.ref),
  };
}
