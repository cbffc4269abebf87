// References to things outside the plan: `#12`, `owner/repo#12`, issue URLs, ticket keys.
import type { Reference } from "./model.js";

const URL_PATTERN = /https?:\/\/[^\s<>()`'"]+[^\s<>()`'".,;:!?]/g;
const GITHUB_ISSUE_URL = /^https?:\/\/github\.com\/([\w.-]+)\/([\w.-]+)\/(?:issues|pull)\/(\d+)(?:[#?].*)?$/;
const ISSUE = /(?<![\w/&#.-])(?:([\w.-]+)\/([\w.-]+))?#(\d+)\b/g;
const TICKET = /(?<![\w-])([A-Z][A-Z0-9]{1,9})-(\d+)\b/g;

// Prefixes that look like ticket keys but name standards and algorithms.
const NOT_TICKETS = new Set([
  "UTF",
  "SHA",
  "ISO",
  "RFC",
  "HTTP",
  "TLS",
  "SSL",
  "AES",
  "MD",
  "CVE",
  "ES",
  "IPV",
  "P",
]);

/** Every reference in a line of text, in order; text inside backticks is ignored. */
export function findReferences(text: string): Reference[] {
  const found: { index: number; reference: Reference }[] = [];
  const prose = text.replace(/`[^`]*`/g, (code) => " ".repeat(code.length));
  const urlSpans: [number, number][] = [];
  for (const match of prose.matchAll(URL_PATTERN)) {
    const url = match[0];
    urlSpans.push([match.index, match.index + url.length]);
    const issue = GITHUB_ISSUE_URL.exec(url);
    found.push({
      index: match.index,
      reference: issue
        ? {
            kind: "issue",
            text: url,
            owner: issue[1] ?? null,
            repo: issue[2] ?? null,
            number: Number(issue[3]),
          }
        : { kind: "url", text: url, url },
    });
  }
  const inUrl = (index: number) => urlSpans.some(([start, end]) => index >= start && index < end);
  for (const match of prose.matchAll(ISSUE)) {
    if (inUrl(match.index)) continue;
    const [text, owner, repo, number] = match;
    found.push({
      index: match.index,
      reference: { kind: "issue", text, owner: owner ?? null, repo: repo ?? null, number: Number(number) },
    });
  }
  for (const match of prose.matchAll(TICKET)) {
    if (inUrl(match.index) || NOT_TICKETS.has(match[1] ?? "")) continue;
    found.push({ index: match.index, reference: { kind: "ticket", text: match[0], key: match[0] } });
  }
  return found.sort((a, b) => a.index - b.index).map((f) => f.reference);
}

/** The reference when the whole text is one (`#12`, `owner/repo#12`, an issue URL), else null. */
export function asIssueReference(text: string): Reference | null {
  const trimmed = text.trim();
  const [first] = findReferences(trimmed);
  if (!first || first.text !== trimmed || first.kind === "ticket") return null;
  return first;
}
