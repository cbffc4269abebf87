// The hidden marker: one HTML comment in every managed body, holding what plan-sync last wrote (model.ts
// `Marker`). Readable JSON, with `<` and `>` escaped so no value can close the comment early.
import { z } from "zod";
import type { ItemKey, Marker } from "./model.js";

const MARKER_PREFIX = "<!-- plan-sync:marker ";
const COMMENT_PREFIX = "<!-- plan-sync:comment ";
const SUFFIX = " -->";

const markerSchema = z.object({
  v: z.literal(1),
  plan: z.string().min(1),
  item: z.string().min(1),
  kind: z.enum(["tracking", "phase", "step", "question"]),
  explicitId: z.string().nullable(),
  number: z.string().nullable(),
  title: z.string(),
  hash: z.string(),
  done: z.boolean(),
  removed: z.boolean(),
  labels: z.array(z.string()),
  assignees: z.array(z.string()),
  parent: z.number().int().positive().nullable(),
  blockedBy: z.array(z.string()),
  refused: z
    .object({ parent: z.number().int().positive().nullable(), blockedBy: z.array(z.string()) })
    .optional(),
  path: z.string().nullable(),
  milestone: z.string().nullable().optional(),
});

/** Matches every marker comment (global: bodies edited by hand may hold stale copies). */
const MARKER_PATTERN = /<!-- plan-sync:marker (\{.*?\}) -->/g;

// `<`/`>` could close the comment early; U+2028/U+2029 are line terminators to a regex `.`, so a title holding
// one would hide the marker and the issue would stop being managed (found by the round-trip property test).
function escapeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

export function encodeMarker(marker: Marker): string {
  // Fixed key order (the schema's), so equal markers always encode to equal bytes.
  const fields: Record<string, unknown> = {
    ...marker,
    refused: marker.refused && { parent: marker.refused.parent, blockedBy: marker.refused.blockedBy },
  };
  const ordered = Object.fromEntries(
    Object.keys(markerSchema.shape)
      .filter((key) => fields[key] !== undefined)
      .map((key) => [key, fields[key]]),
  );
  return `${MARKER_PREFIX}${escapeJson(ordered)}${SUFFIX}`;
}

/** The last well-formed marker in a body, or null. Never throws, whatever the body holds. */
export function decodeMarker(body: string | null | undefined): Marker | null {
  if (typeof body !== "string") return null;
  const matches = [...body.matchAll(MARKER_PATTERN)];
  for (let index = matches.length - 1; index >= 0; index--) {
    const marker = parseMarkerJson(matches[index]?.[1] ?? "");
    if (marker) return marker;
  }
  return null;
}

function parseMarkerJson(text: string): Marker | null {
  try {
    const result = markerSchema.safeParse(JSON.parse(text));
    return result.success ? (result.data as Marker) : null;
  } catch {
    return null;
  }
}

/** The body without any marker comment (and without the blank line left behind). */
export function stripMarkers(body: string): string {
  return body.replace(/(?<!\n)\n*<!-- plan-sync:marker \{.*?\} -->/g, "");
}

/** Field by field (cheaper than encoding both: reconcile compares every item's marker on every round). */
export function markersEqual(a: Marker, b: Marker): boolean {
  const sameList = (x: string[], y: string[]) =>
    x.length === y.length && x.every((value, index) => value === y[index]);
  return (
    a.plan === b.plan &&
    a.item === b.item &&
    a.kind === b.kind &&
    a.explicitId === b.explicitId &&
    a.number === b.number &&
    a.title === b.title &&
    a.hash === b.hash &&
    a.done === b.done &&
    a.removed === b.removed &&
    a.parent === b.parent &&
    a.path === b.path &&
    (a.milestone ?? null) === (b.milestone ?? null) &&
    sameList(a.labels, b.labels) &&
    sameList(a.assignees, b.assignees) &&
    sameList(a.blockedBy, b.blockedBy) &&
    (a.refused?.parent ?? null) === (b.refused?.parent ?? null) &&
    sameList(a.refused?.blockedBy ?? [], b.refused?.blockedBy ?? [])
  );
}

/** What a managed comment is about: every comment plan-sync writes carries one. */
export interface CommentMarker {
  plan: string;
  item: ItemKey;
  reason: "removed" | "plan-deleted" | "questions-as-list" | "duplicate";
}

export function encodeCommentMarker(marker: CommentMarker): string {
  return `${COMMENT_PREFIX}${escapeJson(marker)}${SUFFIX}`;
}

const commentMarkerSchema = z.object({
  plan: z.string(),
  item: z.string(),
  reason: z.enum(["removed", "plan-deleted", "questions-as-list", "duplicate"]),
});

export function decodeCommentMarker(body: string | null | undefined): CommentMarker | null {
  if (typeof body !== "string") return null;
  const match = /<!-- plan-sync:comment (\{.*?\}) -->/.exec(body);
  if (!match?.[1]) return null;
  try {
    const result = commentMarkerSchema.safeParse(JSON.parse(match[1]));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}
