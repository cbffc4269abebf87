// Unfilled template text (SPEC.md §1: reported, never turned into issues).

// `[TITLE]`, `[Step Name]`, `[DATE]`, `[metrics]`: a bracketed word group that is not a link,
// a checkbox or a spec-kit marker such as `[P]` / `[US1]` (those are short or carry digits).
const BRACKETED = /\[[\p{L}][\p{L}' ./_-]{2,}\](?![(:[])/u;
const TEMPLATE_WORDS =
  /^(?:\[?(?:step|phase|task) name\]?|(?:requirement|question|dependency) \d+)(?=$|[\s:.,)\]])/iu;
// `**Status**: Draft | In Progress | Complete` lists the choices instead of picking one.
const CHOICES = /\S\s+\|\s+\S/;

export interface PlaceholderMatch {
  text: string;
  /** 0-based index in the checked text. */
  index: number;
}

export function findPlaceholder(text: string): PlaceholderMatch | null {
  const words = TEMPLATE_WORDS.exec(text.trim());
  if (words) return { text: words[0], index: text.indexOf(words[0]) };
  const bracketed = BRACKETED.exec(text);
  if (bracketed) return { text: bracketed[0], index: bracketed.index };
  return null;
}

/** Like findPlaceholder, but also flags a `a | b | c` list of choices (header fields). */
export function findFieldPlaceholder(value: string): PlaceholderMatch | null {
  const found = findPlaceholder(value);
  if (found) return found;
  return CHOICES.test(value) ? { text: value.trim(), index: value.indexOf(value.trim()) } : null;
}

export function placeholderMessage(what: string, found: PlaceholderMatch): string {
  return `${what} still has template text ${JSON.stringify(found.text)}: replace it with real content or remove it.`;
}
