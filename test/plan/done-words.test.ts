// The words that mark a step done are written three times as regex literals (the regex lint reads only literals):
// a heading's closing tag in brackets, after a dash, and a status cell. The three lists must name the same words.
import { describe, expect, it } from "vitest";
import { DONE_CELL, DONE_TAG, readMarks, saysDone } from "../../src/plan/heading-kinds.js";

/** The alternations of words in a pattern: every `(?:done|…)` group, as a list of its words. */
function wordLists(pattern: RegExp): string[][] {
  return [...pattern.source.matchAll(/\(\?:(done\|[^()]*)\)/g)].map((match) => (match[1] ?? "").split("|"));
}

const [bracketed = [], dashed = []] = wordLists(DONE_TAG);
const [cell = []] = wordLists(DONE_CELL);

describe("the done words", () => {
  it("are one list written three times: the bracketed tag's, the dash tag's and the status cell's", () => {
    expect(wordLists(DONE_TAG)).toHaveLength(2);
    expect(wordLists(DONE_CELL)).toHaveLength(1);
    expect(bracketed.length).toBeGreaterThan(20);
    expect(dashed).toEqual(bracketed);
    expect(cell).toEqual(bracketed);
    expect(new Set(bracketed).size).toBe(bracketed.length);
  });

  it.each(bracketed)("%s marks a heading done in brackets or after a dash, and a status cell", (word) => {
    expect(readMarks(`Ship the parser [${word}]`)).toMatchObject({ text: "Ship the parser", done: true });
    expect(readMarks(`Ship the parser — ${word.toUpperCase()}`)).toMatchObject({
      text: "Ship the parser",
      done: true,
    });
    expect(saysDone(`**${word}** (v1)`)).toBe(true);
  });
});
