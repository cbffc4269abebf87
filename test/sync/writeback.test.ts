// The writeback edit (SPEC.md §2, `writeback: pull_request`): on every example plan, ticking each item that is
// not done yields a plan whose parse says that item is done and every other item is as it was, and the edit
// touches only the item's own mark.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Plan } from "../../src/plan/model.js";
import { parsePlan } from "../../src/plan/parse.js";
import { questionKey, stepKey } from "../../src/sync/items.js";
import { isOnlyMarkedDone, markItemDone } from "../../src/sync/writeback.js";

const FIXTURES = new URL("../fixtures/", import.meta.url);
const files = [
  ...readdirSync(new URL("plans/", FIXTURES)).map((name) => `plans/${name}`),
  ...readdirSync(new URL("real-world/", FIXTURES))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `real-world/${name}`),
];
const read = (file: string) => readFileSync(new URL(file, FIXTURES), "utf8");
const parse = (text: string) => parsePlan(text, { path: "plans/p.md" });
const itemsOf = (plan: Plan) => [
  ...plan.steps.map((step) => ({
    key: stepKey(step.key),
    done: step.done,
    lines: [step.line, step.endLine],
  })),
  ...plan.questions.map((question) => ({
    key: questionKey(question.key),
    done: question.done,
    lines: [question.line, question.line],
  })),
];

/** The lines that differ, as `line: before → after` (the texts have as many lines). */
function changedLines(before: string, after: string): string[] {
  const a = before.split("\n");
  const b = after.split("\n");
  expect(b).toHaveLength(a.length);
  return a.flatMap((line, index) => (line === b[index] ? [] : [`${index + 1}: ${line} → ${b[index]}`]));
}

// template.md has placeholders only: no item to tick.
describe.each(files.filter((file) => itemsOf(parse(read(file))).length > 0))("%s", (file) => {
  const text = read(file);
  const plan = parse(text);

  it.each(itemsOf(plan).map((item) => [item.key, item] as const))("%s", (key, item) => {
    const edited = markItemDone(text, plan, key);
    if (item.done) {
      expect(edited).toBeNull();
      return;
    }
    expect(edited).not.toBeNull();
    const after = parse(edited as string);
    expect(isOnlyMarkedDone(plan, after, key)).toBe(true);
    // One or two lines of the item's own change: its box, its Status field.
    const changed = changedLines(text, edited as string).map((line) => Number(line.split(":")[0]));
    expect(changed.length === 1 || changed.length === 2).toBe(true);
    const [first = 0, last = 0] = item.lines;
    expect(changed.every((line) => line >= first && line <= last)).toBe(true);
  });
});

describe("the edit per format", () => {
  const edits = (file: string, key: string) => {
    const text = read(file);
    return changedLines(text, markItemDone(text, parse(text), key) ?? text);
  };

  it.each([
    [
      "plans/speckit-tasks.example.md",
      "step:T004",
      "37: - [ ] T004 [P] Create ResetToken model in app/models/reset_token.py → - [x] T004 [P] Create ResetToken model in app/models/reset_token.py",
    ],
    [
      "plans/kiro-tasks.example.md",
      "step:2.3",
      "18: - [ ]* 2.3 Write property test for upsert idempotence → - [x]* 2.3 Write property test for upsert idempotence",
    ],
    [
      "plans/kiro-tasks.example.md",
      "step:2",
      "8: - [ ] 2. Implement preference storage → - [x] 2. Implement preference storage",
    ],
    [
      "real-world/kiro-flush-left.md",
      "step:3.2",
      "28: - [-] 3.2 Implement the batched writer with a 500 ms flush → - [x] 3.2 Implement the batched writer with a 500 ms flush",
    ],
    [
      "real-world/kiro-indented-es.md",
      "step:2.3",
      "20:   - [-] 2.3 Transmitir informes grandes por partes →   - [x] 2.3 Transmitir informes grandes por partes",
    ],
    [
      "real-world/impl-boxed-phases.md",
      "step:2.3",
      "21: - [ ] **Step 2.3**: Document the new variables in the env template → - [x] **Step 2.3**: Document the new variables in the env template",
    ],
    ["plans/rate-limiter.md", "step:2.1", "81: #### Step 2.1: Middleware → #### [x] Step 2.1: Middleware"],
    [
      "plans/rate-limiter.md",
      "question:question-should-internal-tenants-be-exempt",
      "192: - [ ] Should internal tenants be exempt? → - [x] Should internal tenants be exempt?",
    ],
    ["real-world/impl-template.md", "step:2.1", "52: **Status:** In progress → **Status:** Done"],
    ["real-world/impl-milestones.md", "step:2", "20: **Status:** In progress → **Status:** Done"],
    ["real-world/impl-task-colon.md", "step:4", "28: **Status**: Blocked → **Status**: Done"],
    [
      "real-world/impl-custom-ids.md",
      "step:LP-3",
      "23: ### LP-3 — CLI to register and remove projects → ### [x] LP-3 — CLI to register and remove projects",
    ],
    ["real-world/impl-m-ids.md", "step:M2", "23: ### M2. Automations list → ### [x] M2. Automations list"],
  ])("%s %s", (file, key, change) => {
    expect(edits(file, key)).toEqual([change]);
  });

  it("ticks a heading's box and sets its Status together, and leaves code blocks and nested text alone", () => {
    const text = [
      "# Implementation Plan: Boxes",
      "",
      "## Implementation Steps",
      "",
      "#### [ ] Step 1.1: First",
      "**Status:** In progress",
      "```yaml",
      "**Status**: Todo",
      "```",
      "",
      "#### Step 1.2: Second",
      "- **Status**: Blocked (waiting on infra)  ",
      "",
    ].join("\n");
    const plan = parse(text);
    expect(changedLines(text, markItemDone(text, plan, "step:1.1") as string)).toEqual([
      "5: #### [ ] Step 1.1: First → #### [x] Step 1.1: First",
      "6: **Status:** In progress → **Status:** Done",
    ]);
    expect(changedLines(text, markItemDone(text, plan, "step:1.2") as string)).toEqual([
      "12: - **Status**: Blocked (waiting on infra)   → - **Status**: Done  ",
    ]);
  });

  it("keeps CRLF line endings and a BOM, and changes no other byte", () => {
    const lf = read("plans/speckit-tasks.example.md");
    const crlf = `\uFEFF${lf.replace(/\n/g, "\r\n")}`;
    const edited = markItemDone(crlf, parse(crlf), "step:T005") as string;
    expect(edited).toBe(crlf.replace("- [ ] T005 [US1]", "- [x] T005 [US1]"));
    expect(edited.startsWith("\uFEFF")).toBe(true);
    expect(edited.split("\r\n")).toHaveLength(crlf.split("\r\n").length);
  });

  it("answers null for an item that is done, unknown, or has no mark it could tick", () => {
    const text = read("plans/rate-limiter.md");
    const plan = parse(text);
    expect(markItemDone(text, plan, "step:3.1")).toBeNull(); // **Status**: Done
    expect(markItemDone(text, plan, "step:9.9")).toBeNull();
    expect(markItemDone(text, plan, "tracking")).toBeNull();
    // A setext heading has no place for a box (and no Status field): left to a person.
    const setext = "# Implementation Plan: S\n\n## Implementation Steps\n\nStep 1: Setext\n---\n";
    expect(markItemDone(setext, parse(setext), "step:1")).toBeNull();
  });

  it("gives a box to an open question written as a plain item or a heading", () => {
    const text = "# Plan\n\n## Open Questions\n\n- Plain question?\n\n### Q2: Heading question?\n";
    const plan = parse(text);
    const plain = markItemDone(text, plan, "question:question-plain-question") as string;
    expect(changedLines(text, plain)).toEqual(["5: - Plain question? → - [x] Plain question?"]);
    expect(isOnlyMarkedDone(plan, parse(plain), "question:question-plain-question")).toBe(true);
    const heading = markItemDone(text, plan, "question:question-heading-question") as string;
    expect(changedLines(text, heading)).toEqual([
      "7: ### Q2: Heading question? → ### [x] Q2: Heading question?",
    ]);
    expect(isOnlyMarkedDone(plan, parse(heading), "question:question-heading-question")).toBe(true);
  });

  it("isOnlyMarkedDone refuses an edit that changed another item or a title", () => {
    const text = read("plans/kiro-tasks.example.md");
    const plan = parse(text);
    const two = parse(text.replace("- [ ] 2.2", "- [x] 2.2").replace("- [ ]* 2.3", "- [x]* 2.3"));
    expect(isOnlyMarkedDone(plan, two, "step:2.2")).toBe(false);
    const retitled = parse(text.replace("- [ ] 2.2 Implement", "- [x] 2.2 Build"));
    expect(isOnlyMarkedDone(plan, retitled, "step:2.2")).toBe(false);
    const one = parse(text.replace("- [ ] 2.2", "- [x] 2.2"));
    expect(isOnlyMarkedDone(plan, one, "step:2.2")).toBe(true);
    expect(isOnlyMarkedDone(plan, one, "step:2.3")).toBe(false);
  });
});
