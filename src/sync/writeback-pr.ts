// The writeback pull request (SPEC.md §2, `writeback: pull_request`): one per plan file, on a branch named after
// the plan; its body lists the items it marks done with their issues, and keeps that list in a hidden marker so
// the next item closed by hand is added to it.
import { z } from "zod";
import { contentHash } from "./body.js";
import type { ItemKey } from "./model.js";

/** One item the pull request marks done. */
export interface WritebackEntry {
  item: ItemKey;
  /** The issue a person closed. */
  issue: number;
  /** As lists name it: `Step 2.1: Middleware`, or the question. */
  label: string;
}

const MARKER = /<!-- plan-sync:writeback (\{.*?\}) -->/;

const markerSchema = z.object({
  path: z.string(),
  items: z.array(z.object({ item: z.string(), issue: z.number().int().positive(), label: z.string() })),
});

/**
 * `plan-sync/writeback/plans-rate-limiter-md-<6 hex>`: a valid ref name for any path (no `..`, no leading dot),
 * one per file: the slug alone would join `plans/Auth.md` and `plans/auth.md`, or every plan named in Chinese.
 */
export function writebackBranch(path: string): string {
  const slug = path
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|(?<!-)-+$/g, "");
  return `plan-sync/writeback/${slug || "plan"}-${contentHash(path).slice(0, 6)}`;
}

export function writebackTitle(path: string): string {
  return `plan-sync: mark done in ${path}`;
}

export function writebackCommitMessage(path: string, added: WritebackEntry[]): string {
  const what = added.length === 1 ? `"${(added[0] as WritebackEntry).label}"` : `${added.length} items`;
  const issues = added.map((entry) => `#${entry.issue}`).join(", ");
  return `plan-sync: mark ${what} done in ${path}\n\nClosed by hand: ${issues}.`;
}

/**
 * The body: the items marked done, each with its issue (a plain `#N`, never `Closes`: the issues are closed
 * already), what merging does, and the marker holding the list.
 */
export function renderWritebackBody(path: string, entries: WritebackEntry[]): string {
  // As in marker.ts: `<`/`>` could close the comment, U+2028/U+2029 would hide it from the regex's `.`.
  const marker = JSON.stringify({ path, items: entries })
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
  return [
    `These issues were closed as completed by hand; this pull request marks their items done in \`${path}\`, so the plan says what GitHub shows:`,
    "",
    ...entries.map((entry) => `- ${entry.label.replace(/\s+/g, " ")} — #${entry.issue}`),
    "",
    "Merging changes no issue. While this pull request is open, plan-sync adds the next item closed by hand to it; close it to leave the plan as it is.",
    "",
    `<!-- plan-sync:writeback ${marker} -->`,
  ].join("\n");
}

/** The entries a body of ours lists, or [] when it holds no readable marker (edited by hand). */
export function writebackEntriesOf(body: string | null | undefined): WritebackEntry[] {
  const json = typeof body === "string" ? MARKER.exec(body)?.[1] : undefined;
  if (!json) return [];
  try {
    const parsed = markerSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data.items : [];
  } catch {
    return [];
  }
}

/** The listed entries and the new ones, one per item (a later close of the same item names its issue). */
export function mergeEntries(listed: WritebackEntry[], added: WritebackEntry[]): WritebackEntry[] {
  const byItem = new Map(listed.map((entry) => [entry.item, entry]));
  for (const entry of added) byItem.set(entry.item, entry);
  return [...byItem.values()];
}
