import { describe, expect, it } from "vitest";
import { looksLikeNestedChecklist, readNestedChecklist } from "../../src/plan/formats/kiro-tasks.js";
import { readTaggedLine } from "../../src/plan/checklist-tags.js";
import { parseMarkdown } from "../../src/plan/markdown.js";
import { parsePlan } from "../../src/plan/parse.js";
import type { Diagnostic, Step } from "../../src/plan/model.js";

function read(source: string) {
  const diagnostics: Diagnostic[] = [];
  const reading = readNestedChecklist(
    { path: ".kiro/specs/prefs/tasks.md", body: source, tree: parseMarkdown(source) },
    (d) => diagnostics.push(d),
  );
  return { reading, diagnostics };
}

/** One line per step: key, lines, title, marks, parent, requirements. */
function brief(step: Step): string {
  const marks = [
    step.done ? "done" : "",
    step.inProgress ? "doing" : "",
    step.optional ? "optional" : "",
    step.labels.join("+"),
  ].filter(Boolean);
  return `${step.key} L${step.line}-${step.endLine}:${step.column} ${JSON.stringify(step.title)} [${marks.join(" ")}] parent=${step.parent} req=${step.requirements.join(",")}`;
}

const FLUSH_LEFT = `# Implementation Plan

- [x] 1. Set up the preferences module
  - Create \`src/notifications/preferences/\`
  - Define \`Channel\` and \`PreferenceSet\` types
  - _Requirements: 1.1_

- [ ] 2. Implement preference storage
- [x] 2.1 Create the table migration
  - One row per user
  - _Requirements: 1.1, 1.2_

- [-] 2.2 Implement \`PreferencesRepository\`
  - Return all channels on when no row exists

  - Write unit tests for the defaults
  - _Requirements: 1.2, 2.1_

- [ ]* 2.3 Write property test for upsert idempotence
  - _Requirements: 1.2_

- [ ] 4. Checkpoint - Make sure all tests pass
  - Ensure all tests pass, ask the user if questions arise.
`;

const INDENTED = `# Implementation Plan: Examples and Documentation

## Tasks

- [x] 1. Reorganise the examples
  - [x] 1.1 Create the versioned folders
    - Create \`examples/legacy/v0.1.0/\`
    - _Requisitos: 1.1, 1.2_
  - [X] 1.2 Move old examples
    - _Requirements: 1.1-1.3_

- [-] 2. Write new examples
  - [x] 2.1 Cover page example
    - _需求: 2.1_
  - [ ]* 2.2 Property test for the cover
    - **Property 1: Cover is first**
    - _Anforderungen: 2.2_
  - [ ] 2.V Verify task group 2
    - [ ] Spec tests pass
    - [ ] No linter warnings
`;

describe("readNestedChecklist", () => {
  it("reads flush-left sub-tasks under the task before them", () => {
    const { reading, diagnostics } = read(FLUSH_LEFT);
    expect(reading.steps.map(brief)).toEqual([
      '1 L3-6:1 "Set up the preferences module" [done] parent=null req=1.1',
      '2 L8-8:1 "Implement preference storage" [] parent=null req=',
      '2.1 L9-11:1 "Create the table migration" [done] parent=2 req=1.1,1.2',
      '2.2 L13-17:1 "Implement `PreferencesRepository`" [doing] parent=2 req=1.2,2.1',
      '2.3 L19-20:1 "Write property test for upsert idempotence" [optional optional] parent=2 req=1.2',
      '4 L22-23:1 "Checkpoint - Make sure all tests pass" [] parent=null req=',
    ]);
    expect(reading.steps.map((s) => [s.number, s.status, s.details])).toEqual([
      ["1", null, "- Create `src/notifications/preferences/`\n- Define `Channel` and `PreferenceSet` types"],
      ["2", null, ""],
      ["2.1", null, "- One row per user"],
      ["2.2", "[-]", "- Return all channels on when no row exists\n\n- Write unit tests for the defaults"],
      ["2.3", null, ""],
      ["4", null, "- Ensure all tests pass, ask the user if questions arise."],
    ]);
    expect(reading.steps.flatMap((s) => s.dependsOn)).toEqual([]);
    expect(reading.title).toBeNull();
    expect(reading.format).toBe("nested-checklist");
    expect(diagnostics).toEqual([]);
  });

  it("reads indented sub-tasks and requirements in any language", () => {
    const { reading } = read(INDENTED);
    expect(reading.title).toBe("Examples and Documentation");
    expect(reading.steps.map(brief)).toEqual([
      '1 L5-10:1 "Reorganise the examples" [done] parent=null req=',
      '1.1 L6-8:3 "Create the versioned folders" [done] parent=1 req=1.1,1.2',
      '1.2 L9-10:3 "Move old examples" [done] parent=1 req=1.1-1.3',
      '2 L12-20:1 "Write new examples" [doing] parent=null req=',
      '2.1 L13-14:3 "Cover page example" [done] parent=2 req=2.1',
      '2.2 L15-17:3 "Property test for the cover" [optional optional] parent=2 req=2.2',
      '2.V L18-20:3 "Verify task group 2" [] parent=2 req=',
    ]);
    expect(reading.steps.map((s) => s.details)).toEqual([
      "",
      "- Create `examples/legacy/v0.1.0/`",
      "",
      "",
      "",
      "- **Property 1: Cover is first**",
      "- [ ] Spec tests pass\n- [ ] No linter warnings",
    ]);
  });

  it("hangs a sub-task whose parent is missing under the plan", () => {
    const { reading } = read("- [ ] 1. First\n- [ ] 3.1 Orphan\n- [ ] 1.1 Child of one\n");
    expect(reading.steps.map((s) => [s.key, s.parent])).toEqual([
      ["1", null],
      ["3.1", null],
      ["1.1", "1"],
    ]);
  });

  it("follows the numbers when indentation disagrees with them", () => {
    const { reading } = read(
      "- [ ] 3. Three\n  - [ ] 4.1 Indented under 3 but numbered for 4\n  - [ ] 3.1 Child\n",
    );
    expect(reading.steps.map((s) => [s.key, s.parent])).toEqual([
      ["3", null],
      ["4.1", null],
      ["3.1", "3"],
    ]);
  });

  it("reads three levels, flush left", () => {
    const { reading } = read("- [ ] 1. Top\n- [ ] 1.1 Middle\n- [ ] 1.1.1 Leaf\n");
    expect(reading.steps.map((s) => [s.key, s.parent])).toEqual([
      ["1", null],
      ["1.1", "1"],
      ["1.1.1", "1.1"],
    ]);
  });

  it("reads `_Depends: …_` lines as dependencies, never `_Requirements_`", () => {
    const { reading } = read("- [x] 1. A\n- [ ] 2. B\n  - _Depends: 1_\n  - _Requirements: 1.1_\n");
    expect(reading.steps[1]!.dependsOn).toEqual([
      { text: "1", stepKey: null, reference: null, line: 3, column: 15 },
    ]);
    expect(reading.steps[1]!.requirements).toEqual(["1.1"]);
  });

  it("takes a requirements line written without a bullet, in the task's paragraph or after a blank line", () => {
    const { reading } = read("- [ ] 1. A\n  _Requirements: 1.1_\n- [ ] 2. B\n\n_Requirements: 2.1, 2.2_\n");
    expect(reading.steps.map((s) => [s.key, s.title, s.requirements])).toEqual([
      ["1", "A", ["1.1"]],
      ["2", "B", ["2.1", "2.2"]],
    ]);
  });

  it("keeps phases when the tasks sit under phase headings", () => {
    const { reading } = read(
      "## Phase 1: Storage\n\n- [ ] 1. Table\n\n## Phase 2: API\n\n- [ ] 2. Endpoint\n",
    );
    expect(reading.phases.map((p) => [p.key, p.title, p.line])).toEqual([
      ["phase-1", "Storage", 1],
      ["phase-2", "API", 5],
    ]);
    expect(reading.steps.map((s) => [s.key, s.phase])).toEqual([
      ["1", "phase-1"],
      ["2", "phase-2"],
    ]);
  });

  it.each([
    ["plain numbered bullet", "- 1. Not a checklist item"],
    ["checkbox without a number", "- [ ] Write the docs"],
    ["ordered list", "1. First\n2. Second"],
    ["code block", "```md\n- [ ] 1. Example\n```"],
    ["quote", "> - [ ] 1. Quoted"],
    ["html comment", "<!-- - [ ] 1. Hidden -->"],
  ])("%s is never a task", (_name, source) => {
    expect(read(source).reading.steps).toEqual([]);
  });
});

describe("looksLikeNestedChecklist", () => {
  it.each([
    [FLUSH_LEFT, true],
    [INDENTED, true],
    ["- [-] 1. In progress", true],
    ["- [ ]* 1. Optional", true],
    ["- [ ] Write the docs", false],
    ["1. First\n2. Second", false],
    ["```\n- [ ] 1. Example\n```", false],
    ["#### Step 1.1: Setup\n\n- [ ] 1. Check", false],
    ["### Task 2: Setup\n\n- [ ] 1. Check", false],
    ["### M0. Setup\n\n- [ ] 1. Check", false],
    ["#### 1.1 Repository setup\n\n- [ ] 1. Check", false],
    ["### LP-1 — Setup\n\n- [ ] 1. Check", false],
  ])("%j → %s", (source, expected) => {
    expect(looksLikeNestedChecklist(parseMarkdown(source))).toBe(expected);
  });
});

describe("readTaggedLine", () => {
  it.each([
    ["_Requirements: 1.2, 3.1_", { kind: "requirements", ids: ["1.2@1:16", "3.1@1:21"] }],
    ["_Requisitos: 1.2_", { kind: "requirements", ids: ["1.2@1:14"] }],
    ["_需求：1.1、2.3_", { kind: "requirements", ids: ["1.1@1:5", "2.3@1:9"] }],
    ["_Anforderungen: 2.1_", { kind: "requirements", ids: ["2.1@1:17"] }],
    ["*Requirements: FR-001, NFR-2*", { kind: "requirements", ids: ["FR-001@1:16", "NFR-2@1:24"] }],
    ["_Requirements: 4.1-4.5, 3.E1_", { kind: "requirements", ids: ["4.1-4.5@1:16", "3.E1@1:25"] }],
    ["_Depends on: 1.1, 1.2_", { kind: "depends", ids: ["1.1@1:14", "1.2@1:19"] }],
    ["_Boundary: settings_serialization_", null],
    ["_Leverage: src/api/client.ts_", null],
    ["Requirements: 1.1", null],
  ])("%s", (text, expected) => {
    const tagged = readTaggedLine(text, 1, 1);
    expect(
      tagged && { kind: tagged.kind, ids: tagged.ids.map((i) => `${i.text}@${i.line}:${i.column}`) },
    ).toEqual(expected);
  });
});

describe("nested checklists through parsePlan", () => {
  it("keeps exact positions after CRLF line endings and front matter, and resolves parents", () => {
    const source = "---\r\ntitle: Prefs\r\n---\r\n- [x] 1. A\r\n- [-] 1.1 B\r\n  - _Requirements: 1.1_\r\n";
    const plan = parsePlan(source, { path: ".kiro/specs/prefs/tasks.md" });
    expect(plan.format).toBe("nested-checklist");
    expect(plan.title).toBe("Prefs");
    expect(
      plan.steps.map((s) => [s.key, s.parent, s.done, s.inProgress, s.line, s.endLine, s.requirements]),
    ).toEqual([
      ["1", null, true, false, 4, 4, []],
      ["1.1", "1", false, true, 5, 6, ["1.1"]],
    ]);
    expect(plan.diagnostics).toEqual([]);
  });
});
