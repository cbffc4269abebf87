import { describe, expect, it } from "vitest";
import { asIssueReference, findReferences } from "../../src/plan/references.js";

describe("findReferences", () => {
  it.each([
    ["(blocked by: #12)", [{ kind: "issue", text: "#12", owner: null, repo: null, number: 12 }]],
    ["see acme/api#7", [{ kind: "issue", text: "acme/api#7", owner: "acme", repo: "api", number: 7 }]],
    [
      "https://github.com/acme/api/issues/9",
      [
        {
          kind: "issue",
          text: "https://github.com/acme/api/issues/9",
          owner: "acme",
          repo: "api",
          number: 9,
        },
      ],
    ],
    [
      "https://example.com/doc#3.",
      [{ kind: "url", text: "https://example.com/doc#3", url: "https://example.com/doc#3" }],
    ],
    ["(blocked by: INFRA-812)", [{ kind: "ticket", text: "INFRA-812", key: "INFRA-812" }]],
    [
      "PLAT-1 then #2",
      [
        { kind: "ticket", text: "PLAT-1", key: "PLAT-1" },
        { kind: "issue", text: "#2", owner: null, repo: null, number: 2 },
      ],
    ],
    ["UTF-8 and SHA-256 are not tickets", []],
    ["`#12` in code is not a reference", []],
    ["C# and a#1 are not issues", []],
  ])("%s", (text, expected) => {
    expect(findReferences(text)).toEqual(expected);
  });

  it("reads a whole Depends-on entry as an issue reference only when it is one", () => {
    expect(asIssueReference("#12")?.text).toBe("#12");
    expect(asIssueReference("Step 1.2")).toBeNull();
    expect(asIssueReference("PLAT-1")).toBeNull();
  });
});
