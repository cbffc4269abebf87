import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  MANAGED_END_NOTE,
  newBody,
  renderedPartOf,
  replaceMarker,
  replaceRenderedPart,
} from "../../src/sync/body.js";
import {
  decodeCommentMarker,
  decodeMarker,
  encodeCommentMarker,
  encodeMarker,
  markersEqual,
} from "../../src/sync/marker.js";
import type { Marker } from "../../src/sync/model.js";

const sample: Marker = {
  v: 1,
  plan: "plans/limiter.md",
  item: "step:1.2",
  kind: "step",
  explicitId: null,
  number: "1.2",
  title: "Limiter client --> <b>breaker</b>",
  hash: "0123456789abcdef",
  done: false,
  removed: false,
  labels: ["plan-step"],
  assignees: ["mkowalski"],
  parent: 1,
  blockedBy: ["acme/gateway#2"],
  path: null,
  milestone: null,
};

describe("marker", () => {
  test("encodes to one HTML comment that no value can close early", () => {
    expect(encodeMarker(sample)).toMatchInlineSnapshot(
      `"<!-- plan-sync:marker {"v":1,"plan":"plans/limiter.md","item":"step:1.2","kind":"step","explicitId":null,"number":"1.2","title":"Limiter client --\\u003e \\u003cb\\u003ebreaker\\u003c/b\\u003e","hash":"0123456789abcdef","done":false,"removed":false,"labels":["plan-step"],"assignees":["mkowalski"],"parent":1,"blockedBy":["acme/gateway#2"],"path":null,"milestone":null} -->"`,
    );
  });

  const markerArbitrary: fc.Arbitrary<Marker> = fc.record({
    v: fc.constant(1 as const),
    plan: fc.string({ minLength: 1 }),
    item: fc.string({ minLength: 1 }),
    kind: fc.constantFrom("tracking" as const, "phase" as const, "step" as const, "question" as const),
    explicitId: fc.option(fc.string()),
    number: fc.option(fc.string()),
    title: fc.string({ unit: "grapheme" }),
    hash: fc.string(),
    done: fc.boolean(),
    removed: fc.boolean(),
    labels: fc.array(fc.string()),
    assignees: fc.array(fc.string()),
    parent: fc.option(fc.integer({ min: 1, max: 1_000_000 })),
    blockedBy: fc.array(fc.string()),
    path: fc.option(fc.string()),
    milestone: fc.option(fc.string()),
    refused: fc.option(
      fc.record({
        parent: fc.option(fc.integer({ min: 1, max: 1_000_000 })),
        blockedBy: fc.array(fc.string()),
      }),
      { nil: undefined },
    ),
  });

  test("round-trips any marker, in any body, through any text around it", () => {
    fc.assert(
      fc.property(markerArbitrary, fc.string(), fc.string(), (marker, before, after) => {
        expect(
          decodeMarker(`${before}\n${encodeMarker(marker)}\n${after.replace(/plan-sync/g, "")}`),
        ).toEqual(marker);
      }),
    );
  });

  test("links GitHub refused: recorded after blockedBy; a marker written before the field decodes without it", () => {
    const refused = { ...sample, refused: { parent: 1, blockedBy: ["acme/gateway#41"] } };
    expect(encodeMarker(refused)).toContain(
      '"blockedBy":["acme/gateway#2"],"refused":{"parent":1,"blockedBy":["acme/gateway#41"]},"path":null',
    );
    expect(decodeMarker(encodeMarker(refused))).toEqual(refused);
    const old = decodeMarker(encodeMarker(sample));
    expect(old).toEqual(sample);
    expect(old && "refused" in old).toBe(false);
    expect(decodeMarker(encodeMarker(sample).replace('"path"', '"refused":{"parent":0},"path"'))).toBeNull();
  });

  test.each([
    ["absent and empty are the same", undefined, { parent: null, blockedBy: [] }, true],
    ["a refused blocker differs", undefined, { parent: null, blockedBy: ["acme/gateway#41"] }, false],
    ["a refused parent differs", { parent: null, blockedBy: [] }, { parent: 3, blockedBy: [] }, false],
  ])("markersEqual: %s", (_name, a, b, equal) => {
    expect(markersEqual({ ...sample, refused: a }, { ...sample, refused: b })).toBe(equal);
  });

  test("a title with a line separator (U+2028/U+2029) still round-trips", () => {
    const marker = { ...sample, title: "a\u2028b\u2029c" };
    expect(decodeMarker(`text\n${encodeMarker(marker)}\n`)).toEqual(marker);
  });

  test.each([
    ["no body", null],
    ["empty", ""],
    ["plain text", "Just an issue."],
    ["not JSON", "<!-- plan-sync:marker {nope} -->"],
    ["JSON of the wrong shape", '<!-- plan-sync:marker {"v":2,"plan":"x"} -->'],
    ["wrong field type", encodeMarker(sample).replace('"parent":1', '"parent":"1"')],
    ["unclosed", encodeMarker(sample).replace(" -->", "")],
    ["truncated", encodeMarker(sample).slice(0, 80)],
  ])("garbage gives null: %s", (_name, body) => {
    expect(decodeMarker(body)).toBeNull();
  });

  test("never throws on arbitrary text", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(decodeMarker(`<!-- plan-sync:marker {${text}} -->`)).toBeNull();
      }),
    );
  });

  test("the last well-formed marker wins (an edited body may hold a stale copy)", () => {
    const older = encodeMarker({ ...sample, hash: "old" });
    expect(
      decodeMarker(`${older}\ntext\n${encodeMarker(sample)}\n<!-- plan-sync:marker {broken} -->`)?.hash,
    ).toBe(sample.hash);
  });

  test("comment markers round-trip", () => {
    const marker = { plan: "plans/a.md", item: "step:1", reason: "removed" as const };
    expect(decodeCommentMarker(`Closed.\n\n${encodeCommentMarker(marker)}`)).toEqual(marker);
    expect(decodeCommentMarker("<!-- plan-sync:comment {} -->")).toBeNull();
  });
});

describe("managed bodies", () => {
  const END = `\n\n---\n${MANAGED_END_NOTE}`;

  test("a new body: the rendered part between its markers, then the marker", () => {
    expect(newBody("Hello", sample).split("\n").slice(0, 7)).toEqual([
      "<!-- plan-sync:begin -->",
      "Hello",
      "",
      "---",
      MANAGED_END_NOTE,
      "<!-- plan-sync:end -->",
      "",
    ]);
    expect(renderedPartOf(newBody("Hello", sample))).toBe("Hello");
  });

  test("a body written before the visible end note still parses and gets the note when rewritten", () => {
    const old = `<!-- plan-sync:begin -->\nOld\n<!-- plan-sync:end -->\n\nNotes\n\n${encodeMarker(sample)}`;
    expect(renderedPartOf(old)).toBe("Old");
    expect(decodeMarker(old)).toEqual(sample);
    expect(replaceRenderedPart(old, "New", sample)).toBe(
      `<!-- plan-sync:begin -->\nNew${END}\n<!-- plan-sync:end -->\n\nNotes\n\n${encodeMarker(sample)}`,
    );
  });

  test("re-rendering keeps text before and after the part and renews the marker once", () => {
    const body = `Intro\n\n${newBody("Old", sample)}`.replace(
      "<!-- plan-sync:end -->",
      "<!-- plan-sync:end -->\n\nOutro",
    );
    const next = replaceRenderedPart(body, "New", { ...sample, hash: "fresh" });
    expect(next).toBe(
      `Intro\n\n<!-- plan-sync:begin -->\nNew${END}\n<!-- plan-sync:end -->\n\nOutro\n\n${encodeMarker({ ...sample, hash: "fresh" })}`,
    );
  });

  test("a body whose section markers were deleted gets the part on top, the rest kept below", () => {
    const next = replaceRenderedPart(`Rewritten by hand\n\n${encodeMarker(sample)}`, "Part", sample);
    expect(next).toBe(
      `<!-- plan-sync:begin -->\nPart${END}\n<!-- plan-sync:end -->\n\nRewritten by hand\n\n${encodeMarker(sample)}`,
    );
  });

  test("renewing only the marker leaves a person's edit of the part alone", () => {
    const edited = newBody("Part", sample).replace("Part", "Part, edited");
    expect(replaceMarker(edited, { ...sample, done: true })).toBe(
      `<!-- plan-sync:begin -->\nPart, edited${END}\n<!-- plan-sync:end -->\n\n${encodeMarker({ ...sample, done: true })}`,
    );
  });

  test("a person's text nearly filling the body is cut before the rendered part is", () => {
    const huge = `${newBody("Part", sample)}\n\n${"y".repeat(66_000)}`;
    const next = replaceRenderedPart(huge, "Part 2", sample);
    expect(next.length).toBeLessThanOrEqual(65_536);
    expect(next).toContain("Part 2");
    expect(decodeMarker(next)).toEqual(sample);
  });
});
