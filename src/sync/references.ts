// References to issues as plan-sync stores and links them: canonical `owner/repo#N` strings, permalinks,
// ticket links through `ticket_links`.
import type { DependencyItem, Plan, Reference } from "../plan/model.js";
import type { Config } from "./config.js";
import type { IssueTarget, ReferenceState, RepoContext } from "./model.js";
import { doneMark } from "./render-context.js";

export interface IssueAddress {
  owner: string;
  repo: string;
  number: number;
}

/** `owner/repo#N`, lower-cased (GitHub owner and repository names are case-insensitive). */
export function canonicalRef(address: IssueAddress): string {
  return `${address.owner}/${address.repo}#${address.number}`.toLowerCase();
}

export function parseCanonicalRef(ref: string): IssueAddress | null {
  const match = /^([^/\s#]+)\/([^/\s#]+)#(\d+)$/.exec(ref);
  if (!match?.[1] || !match[2] || !match[3]) return null;
  return { owner: match[1], repo: match[2], number: Number(match[3]) };
}

/** The issue a reference points to, or null (tickets, URLs that are not issues, other hosts). */
export function issueAddressOf(reference: Reference, context: RepoContext): IssueAddress | null {
  if (reference.kind === "issue") {
    return {
      owner: reference.owner ?? context.owner,
      repo: reference.repo ?? context.repo,
      number: reference.number,
    };
  }
  if (reference.kind === "url") {
    const match = /^https?:\/\/([^/]+)\/([^/]+)\/([^/]+)\/issues\/(\d+)\/?(?:[#?].*)?$/.exec(reference.url);
    if (!match?.[2] || !match[3] || !match[4] || match[1]?.toLowerCase() !== context.host.toLowerCase())
      return null;
    return { owner: match[2], repo: match[3], number: Number(match[4]) };
  }
  return null;
}

export function sameRepo(address: IssueAddress, context: RepoContext): boolean {
  return (
    address.owner.toLowerCase() === context.owner.toLowerCase() &&
    address.repo.toLowerCase() === context.repo.toLowerCase()
  );
}

/** `#12` in this repository, `owner/repo#12` elsewhere: the forms GitHub turns into links. */
export function shortRef(address: IssueAddress, context: RepoContext): string {
  return sameRepo(address, context)
    ? `#${address.number}`
    : `${address.owner}/${address.repo}#${address.number}`;
}

export function externalTarget(address: IssueAddress): IssueTarget {
  return { item: null, owner: address.owner, repo: address.repo, number: address.number, id: null };
}

export function blobUrl(context: RepoContext, ref: string, path: string): string {
  const encodedPath = path.split("/").map(encodeURIComponent).join("/");
  return `https://${context.host}/${context.owner}/${context.repo}/blob/${ref}/${encodedPath}`;
}

/** A permalink to lines of the file at a commit. */
export function permalink(
  context: RepoContext,
  sha: string,
  path: string,
  start: number,
  end: number,
): string {
  const lines = end > start ? `#L${start}-L${end}` : `#L${start}`;
  return `${blobUrl(context, sha, path)}${lines}`;
}

/** A ticket key as a markdown link through `ticket_links`, or the key as written when no prefix matches. */
function ticketLink(key: string, config: Config): string {
  const prefix = key.split("-")[0] ?? "";
  const template = config.ticket_links[prefix];
  return template ? `[${key}](${template.replaceAll("{key}", encodeURIComponent(key))})` : key;
}

/** Ticket keys in text become links where `ticket_links` has their prefix; the rest stays as written. */
export function linkTickets(text: string, references: Reference[], config: Config): string {
  let linked = text;
  for (const reference of references) {
    if (reference.kind !== "ticket") continue;
    const link = ticketLink(reference.key, config);
    if (link !== reference.key) linked = linked.replace(reference.text, link);
  }
  return linked;
}

/**
 * A dependency as written, tickets linked, and the state of referenced issues when known: live on a PR comment
 * (`#12 is open`), as of its last update on the tracking issue (`#12 was open when this issue was last updated`),
 * which is rewritten only when the plan changes, not when a referenced issue does.
 */
export function dependencyLine(
  item: DependencyItem,
  context: { repo: RepoContext; config: Config; referenceStates?: Record<string, ReferenceState> },
  states: "live" | "at-update" = "live",
): string {
  const box = item.done === null ? "" : `${doneMark(item.done)} `;
  const known = item.references.flatMap((reference) => {
    const address = issueAddressOf(reference, context.repo);
    const live = address ? context.referenceStates?.[canonicalRef(address)] : undefined;
    return address && live
      ? [`${shortRef(address, context.repo)} ${states === "live" ? "is" : "was"} ${live.state}`]
      : [];
  });
  const text = linkTickets(item.text.trim(), item.references, context.config);
  const suffix = states === "live" || known.length === 0 ? "" : " when this issue was last updated";
  return `- ${box}${text}${known.length > 0 ? ` (${known.join(", ")}${suffix})` : ""}`;
}

/** The issues a plan's dependency sections name (`#N`, `owner/repo#N`, issue URLs), by canonical reference. */
export function referencedIssues(plan: Plan, repo: RepoContext): Map<string, IssueAddress> {
  const addresses = new Map<string, IssueAddress>();
  for (const item of [...plan.dependencies.upstream, ...plan.dependencies.downstream])
    for (const reference of item.references) {
      const address = issueAddressOf(reference, repo);
      if (address) addresses.set(canonicalRef(address), address);
    }
  return addresses;
}
