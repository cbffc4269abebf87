// A managed body is: text a person wrote (kept), the part plan-sync renders between BEGIN and END
// (rewritten when the item changes), and the marker at the very end.
import { createHash } from "node:crypto";
import { encodeMarker, stripMarkers } from "./marker.js";
import type { Marker } from "./model.js";

const SECTION_BEGIN = "<!-- plan-sync:begin -->";
export const SECTION_END = "<!-- plan-sync:end -->";

/**
 * The visible end of the rendered part (the HTML comments around it are invisible): a person sees where their
 * own text may begin. Inside the part, so bodies written before it existed still parse; it is part of the hash.
 */
export const MANAGED_END_NOTE =
  "<sub>✎ plan-sync keeps the text above in step with the plan file. Write below this line: what you add there is kept.</sub>";
const END_NOTE_BLOCK = `\n\n---\n${MANAGED_END_NOTE}`;

/** https://docs.github.com/en/rest/issues/issues#create-an-issue — bodies and comments: 65,536 characters. */
export const MAX_BODY_LENGTH = 65_536;

const TRUNCATION_NOTE =
  "\n\n> [!NOTE]\n> Truncated: this part was longer than GitHub allows in an issue body. See the plan file.";

/** A short, stable hash of rendered content (not a security boundary: it only detects change). */
export function contentHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

/** A new body: the rendered part between its markers, then the marker. */
export function newBody(rendered: string, marker: Marker): string {
  return composeBody("", rendered, "", marker);
}

/**
 * The existing body with its rendered part replaced and the marker renewed; what a person wrote before and
 * after the part stays. A body whose section markers were deleted gets the part on top, the rest below it.
 */
export function replaceRenderedPart(existing: string, rendered: string, marker: Marker): string {
  const body = stripMarkers(existing);
  const begin = body.indexOf(SECTION_BEGIN);
  const end = begin >= 0 ? body.indexOf(SECTION_END, begin) : -1;
  if (begin < 0 || end < 0) return composeBody("", rendered, body.trim() ? `\n\n${body.trim()}` : "", marker);
  return composeBody(body.slice(0, begin), rendered, body.slice(end + SECTION_END.length), marker);
}

/** The existing body with only its marker renewed: a person's edit of the rendered part stands. */
export function replaceMarker(existing: string, marker: Marker): string {
  return capBody(`${stripMarkers(existing).trimEnd()}\n\n${encodeMarker(marker)}`);
}

/** The rendered part of a body (between the section markers), or null when they are gone. */
export function renderedPartOf(body: string): string | null {
  const begin = body.indexOf(SECTION_BEGIN);
  const end = begin >= 0 ? body.indexOf(SECTION_END, begin) : -1;
  if (begin < 0 || end < 0) return null;
  const part = body
    .slice(begin + SECTION_BEGIN.length, end)
    .replace(/^\n/, "")
    .replace(/\n$/, "");
  return part.endsWith(END_NOTE_BLOCK) ? part.slice(0, -END_NOTE_BLOCK.length) : part;
}

function composeBody(before: string, rendered: string, after: string, marker: Marker): string {
  const markerText = `\n\n${encodeMarker(marker)}`;
  const fixed =
    before.length + SECTION_BEGIN.length + SECTION_END.length + 2 + END_NOTE_BLOCK.length + markerText.length;
  let keptAfter = after.trimEnd();
  let room = MAX_BODY_LENGTH - fixed - keptAfter.length;
  if (room < 1000 && keptAfter.length > 0) {
    // A person's text alone nearly fills the body: give the rendered part priority, cut their tail.
    keptAfter = truncateAt(keptAfter, Math.max(0, keptAfter.length - (1000 - room)));
    room = MAX_BODY_LENGTH - fixed - keptAfter.length;
  }
  const part =
    rendered.length <= room
      ? rendered
      : truncateAt(rendered, room - TRUNCATION_NOTE.length) + TRUNCATION_NOTE;
  return capBody(
    `${before}${SECTION_BEGIN}\n${part}${END_NOTE_BLOCK}\n${SECTION_END}${keptAfter}${markerText}`,
  );
}

/** Cuts at a line end when one is near, never inside a surrogate pair. */
export function truncateAt(text: string, length: number): string {
  if (length <= 0) return "";
  if (text.length <= length) return text;
  let cut = text.slice(0, length);
  const lastNewline = cut.lastIndexOf("\n");
  if (lastNewline > length * 0.8) cut = cut.slice(0, lastNewline);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut;
}

/** Last resort for bodies that are still too long (a person's text before the part): keep the marker. */
function capBody(body: string): string {
  if (body.length <= MAX_BODY_LENGTH) return body;
  const markerStart = body.lastIndexOf("<!-- plan-sync:marker ");
  const tail = markerStart >= 0 ? body.slice(markerStart) : "";
  return (
    truncateAt(
      body.slice(0, markerStart >= 0 ? markerStart : body.length),
      MAX_BODY_LENGTH - tail.length - 2,
    ) + `\n\n${tail}`
  );
}
