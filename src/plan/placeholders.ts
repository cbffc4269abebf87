// Unfilled template text (SPEC.md §1: reported, never turned into issues).

// `[TITLE]`, `[Step Name]`, `[DATE]`, `[metrics]`: a bracketed word group standing for the whole
// text or the whole value after a label (`Performance: [metrics]`), as the template writes it; not
// a link, a box or a spec-kit marker (`[P]`, `[US1]`). A bracketed word beside real text
// (`Login [Required]`, `[DEFERRED] Payments`) or in code (`pages/[slug].vue`) is the title's own.
const BRACKETED = /(?:^|[:：(]\s*)(\[[\p{L}][\p{L}' ./_-]{2,}\])(?![(:[])\s*(?=$|[),;])/u;
const CODE_SPAN = /`[^`\n]*`/g;
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
  const bracketed = BRACKETED.exec(text.replace(CODE_SPAN, (code) => " ".repeat(code.length)).trim());
  if (bracketed) {
    const found = bracketed[1]!;
    return { text: found, index: text.indexOf(found) };
  }
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
