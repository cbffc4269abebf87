// Stable identities of steps and questions (SPEC.md §2 "Identity").
// An explicit id wins; else the number as written; else a slug of the title.

const HEADING_ID = /(?<!\s)\s*\{#([\p{L}\p{N}][\p{L}\p{N}_.:-]*)\}\s*$/u;
const ID_COMMENT = /<!--\s*id:\s*([\p{L}\p{N}][\p{L}\p{N}_.:-]*)\s*-->/iu;

/** Splits a trailing `{#my-id}` off a heading or item text. */
export function splitExplicitId(text: string): { text: string; id: string | null } {
  const match = HEADING_ID.exec(text);
  if (!match) return { text, id: null };
  return { text: text.slice(0, match.index).trimEnd(), id: match[1] ?? null };
}

/** The id of an `<!-- id: my-id -->` comment, or null. */
export function idFromComment(html: string): string | null {
  return ID_COMMENT.exec(html)?.[1] ?? null;
}

/** Removes every `<!-- id: … -->` comment from a text (it is identity, never title). */
export function withoutIdComments(text: string): string {
  return text.replace(new RegExp(ID_COMMENT.source, "giu"), "").trim();
}

/** A URL- and marker-safe slug; keeps letters of every script so CJK titles get a key too. */
export function slugify(text: string): string {
  const slug = text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[`*_~[\]()<>]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|(?<!-)-+$/g, "");
  return [...slug]
    .slice(0, 60)
    .join("")
    .replace(/(?<!-)-+$/, "");
}

/** The key of a step: explicit id, else number, else slug of the title, else its line. */
export function stepKey(
  explicitId: string | null,
  number: string | null,
  title: string,
  line: number,
): string {
  return explicitId ?? number ?? (slugify(title) || `line-${line}`);
}

const STEP_WORD = /^(?:step|task|milestone|stage|item)\s+/i;

/** "Step 1.1", "**Task 2**", "1.1." → "1.1": the form compared with step numbers. */
export function normalizeStepReference(text: string): string {
  return text
    .replace(/[*_`]/g, "")
    .trim()
    .replace(STEP_WORD, "")
    .replace(/^#(?=[\p{L}])/u, "")
    .replace(/(?<![.:;,)])[.:;,)]+$/, "")
    .trim()
    .toLowerCase();
}
