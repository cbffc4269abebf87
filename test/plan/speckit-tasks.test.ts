import { describe, expect, it } from "vitest";
import { parseMarkdown } from "../../src/plan/markdown.js";
import type { Diagnostic, Step } from "../../src/plan/model.js";
import type { FormatReading } from "../../src/plan/reading.js";
import { parsePlan } from "../../src/plan/parse.js";
import { looksLikeTaskList, readTaskList } from "../../src/plan/formats/speckit-tasks.js";

function read(source: string): { reading: FormatReading; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const reading = readTaskList(
    { path: "specs/001/tasks.md", body: source, tree: parseMarkdown(source) },
    (d) => diagnostics.push(d),
  );
  return { reading, diagnostics };
}

/** One line per step: what a reviewer checks first. */
function brief(step: Step): string {
  const deps = step.dependsOn.map((d) => `${d.text}@${d.line}:${d.column}`).join(",");
  const marks = [step.done ? "done" : "", step.inProgress ? "doing" : "", step.labels.join("+")].filter(
    Boolean,
  );
  return `${step.key} L${step.line}-${step.endLine}:${step.column} ${JSON.stringify(step.title)} [${marks.join(" ")}] phase=${step.phase} deps=${deps}`;
}

function briefs(source: string): string[] {
  return read(source).reading.steps.map(brief);
}

const EXAMPLE = `# Tasks: Password reset by email

**Input**: Design documents from \`/specs/002-password-reset/\`

## Format: \`[ID] [P?] [Story] Description\`

- **[P]**: Can run in parallel (different files, no dependencies)
- [ ] T900 Example task in the legend is never a task

## Phase 1: Setup (Shared Infrastructure)

**Purpose**: Project initialization and basic structure

- [X] T001 Add \`itsdangerous\` to requirements.txt
- [x] T002 [P] Add settings in app/config.py

**Checkpoint**: Foundation ready - user story implementation can now begin

## Phase 3: User Story 1 - User resets a forgotten password (Priority: P1) 🎯 MVP

### Tests for User Story 1 ⚠️

> **NOTE: Write these tests FIRST**
> - [ ] T098 Quoted task is never a task

- [ ] T005 [P] [US1] Implement token issue in app/services/reset.py (depends on T001, T002)
- [-] T006 [US1] Add reset email template

\`\`\`bash
- [ ] T099 Code is never a task
\`\`\`

<!-- - [ ] T097 Commented out -->

## Dependencies & Execution Order

### Phase Dependencies

- **Setup (Phase 1)**: No dependencies - can start immediately
- **Foundational (Phase 2)**: Depends on Setup completion - BLOCKS all user stories

### Within Each User Story

- T006 depends on T005
- Models before services

### Parallel Opportunities

- T001 and T002 can run in parallel
- Once Foundational phase completes, all user stories can start in parallel

## Notes

- [ ] T901 Notes are never tasks
- [P] tasks = different files, no dependencies
`;

describe("readTaskList on a spec-kit file", () => {
  const { reading, diagnostics } = read(EXAMPLE);

  it("reads every task with its line, title, marks, labels and phase", () => {
    expect(reading.steps.map(brief)).toEqual([
      'T001 L14-14:1 "Add `itsdangerous` to requirements.txt" [done] phase=phase-1 deps=',
      'T002 L15-15:1 "Add settings in app/config.py" [done parallel] phase=phase-1 deps=',
      'T005 L26-26:1 "Implement token issue in app/services/reset.py" [parallel+US1] phase=phase-3 deps=T001@26:81,T002@26:87',
      'T006 L27-27:1 "Add reset email template" [doing US1] phase=phase-3 deps=T005@44:19',
    ]);
    expect(reading.steps.map((s) => [s.number, s.status])).toEqual([
      ["T001", null],
      ["T002", null],
      ["T005", null],
      ["T006", "[-]"],
    ]);
    expect(diagnostics).toEqual([]);
  });

  it("reads the title and the phases", () => {
    expect(reading.format).toBe("task-list");
    expect(reading.title).toBe("Password reset by email");
    expect(reading.phases).toEqual([
      { key: "phase-1", number: "1", title: "Setup (Shared Infrastructure)", done: null, line: 10 },
      {
        key: "phase-3",
        number: "3",
        title: "User Story 1 - User resets a forgotten password (Priority: P1) 🎯 MVP",
        done: null,
        line: 19,
      },
    ]);
  });

  it("keeps phase- and story-level ordering as lines, not links", () => {
    expect(reading.ordering).toEqual([
      "**Setup (Phase 1)**: No dependencies - can start immediately",
      "**Foundational (Phase 2)**: Depends on Setup completion - BLOCKS all user stories",
      "Models before services",
    ]);
  });
});

describe("readTaskList shapes", () => {
  it.each([
    ["- [ ] T001 Create project structure", ['T001 L1-1:1 "Create project structure" [] phase=null deps=']],
    ["- [x] T001 Done lower", ['T001 L1-1:1 "Done lower" [done] phase=null deps=']],
    ["- [X] T001 Done upper", ['T001 L1-1:1 "Done upper" [done] phase=null deps=']],
    ["- [~] T001 Half way", ['T001 L1-1:1 "Half way" [doing] phase=null deps=']],
    ["- [ ] **T001** Bold id", ['T001 L1-1:1 "Bold id" [] phase=null deps=']],
    ["- [ ] T001: Colon after id", ['T001 L1-1:1 "Colon after id" [] phase=null deps=']],
    [
      "- [ ] T001 [P] [Setup] Other story marker",
      ['T001 L1-1:1 "Other story marker" [parallel+Setup] phase=null deps='],
    ],
    ["- [ ] T001 Task {#make-dirs}", ['make-dirs L1-1:1 "Task" [] phase=null deps=']],
    [
      "- [ ] T001 [P] [US1] Test: the banner shows pairs,\n      balances and limits — new `tests/test_banner.py`",
      [
        'T001 L1-2:1 "Test: the banner shows pairs, balances and limits — new `tests/test_banner.py`" [parallel+US1] phase=null deps=',
      ],
    ],
    ["  - [ ] T001 Indented list", ['T001 L1-1:3 "Indented list" [] phase=null deps=']],
    ["- [ ] T0001 Four digits", ['T0001 L1-1:1 "Four digits" [] phase=null deps=']],
  ])("%j", (source, expected) => {
    expect(briefs(source)).toEqual(expected);
  });

  it.each([
    ["plain bullet with an id", "- T001 Create project structure"],
    ["checkbox without an id", "- [ ] Create project structure"],
    ["lower-case id", "- [ ] t001 Create project structure"],
    ["two-digit id", "- [ ] T01 Create project structure"],
    ["checkpoint", "**Checkpoint**: T001 and T002 are done"],
    ["purpose", "**Purpose**: - [ ] T001 Project initialization"],
    ["code block", "```\n- [ ] T001 Create\n```"],
    ["indented code", "    - [ ] T001 Create"],
    ["html comment", "<!--\n- [ ] T001 Create\n-->"],
    ["quote", "> - [ ] T001 Create"],
    ["format legend", "## Format: `[ID] [P?] [Story] Description`\n\n- [ ] T001 Create"],
    ["notes", "## Notes\n\n- [ ] T001 Create\n- [P] tasks = different files"],
    ["table", "| id | task |\n|---|---|\n| T001 | Create |"],
  ])("%s is never a task", (_name, source) => {
    expect(briefs(source)).toEqual([]);
  });

  it("keeps sub-bullets as details and reads nested tasks as steps of their own", () => {
    const { reading } = read(
      "- [ ] T001 Parent task\n  - Detail one\n\n  - Detail two\n  - [x] T002 Nested task\n    - Its detail\n  - Last detail\n",
    );
    expect(reading.steps.map((s) => [s.key, s.parent, s.details, s.line, s.endLine])).toEqual([
      ["T001", null, "- Detail one\n\n- Detail two\n- Last detail", 1, 7],
      ["T002", "T001", "- Its detail", 5, 6],
    ]);
  });

  it("keeps code under a task as its details, never as tasks", () => {
    const { reading } = read("- [ ] T017 Lint the workflows\n  ```bash\n  - [ ] T018 not a task\n  ```\n");
    expect(reading.steps.map((s) => [s.key, s.details])).toEqual([
      ["T017", "```bash\n- [ ] T018 not a task\n```"],
    ]);
  });
});

describe("readTaskList phases", () => {
  it.each([
    ["## Phase 1: Setup", { key: "phase-1", number: "1", title: "Setup", done: null, line: 1 }],
    [
      "### Phase 3.1: Tests First (TDD)",
      { key: "phase-3.1", number: "3.1", title: "Tests First (TDD)", done: null, line: 1 },
    ],
    [
      "## Phase 1 — Foundation (confirm built)",
      { key: "phase-1", number: "1", title: "Foundation (confirm built)", done: null, line: 1 },
    ],
    [
      "## Phase 2: 基盤 — エラーバス",
      { key: "phase-2", number: "2", title: "基盤 — エラーバス", done: null, line: 1 },
    ],
    ["## [x] Phase 2 - Storage", { key: "phase-2", number: "2", title: "Storage", done: true, line: 1 }],
    [
      "## Phase 3.2A — Collector design",
      { key: "phase-3.2A", number: "3.2A", title: "Collector design", done: null, line: 1 },
    ],
  ])("%s", (heading, phase) => {
    const { reading } = read(`${heading}\n\n- [ ] T001 Task\n`);
    expect(reading.phases).toEqual([phase]);
    expect(reading.steps.map((s) => s.phase)).toEqual([phase.key]);
  });

  it("ends a phase at the next heading of its level", () => {
    const { reading } = read(
      "## Phase 1: Setup\n\n### Tests\n\n- [ ] T001 In phase\n\n## Extra work\n\n- [ ] T002 Outside\n",
    );
    expect(reading.steps.map((s) => [s.key, s.phase])).toEqual([
      ["T001", "phase-1"],
      ["T002", null],
    ]);
  });
});

const TASKS = Array.from(
  { length: 16 },
  (_, i) => `- [ ] T${String(i + 1).padStart(3, "0")} Task ${i + 1}`,
).join("\n");

describe("readTaskList dependencies", () => {
  it.each([
    ["- T015 depends on T013, T014", { T015: ["T013@20:19", "T014@20:25"] }],
    ["- T008 blocks T009, T015", { T009: ["T008@20:3"], T015: ["T008@20:3"] }],
    ["- T012 needs T008 + T011", { T012: ["T008@20:14", "T011@20:21"] }],
    ["T001 → T002 → T003", { T002: ["T001@20:1"], T003: ["T002@20:8"] }],
    ["- T001 -> T002", { T002: ["T001@20:3"] }],
    ["- T009 depends on T004-T006", { T009: ["T004@20:19", "T005@20:19", "T006@20:19"] }],
    ["- T009 depends on T004–T006", { T009: ["T004@20:19", "T005@20:19", "T006@20:19"] }],
    ["- T010 needs T008\n  and T009", { T010: ["T008@20:14", "T009@21:7"] }],
    ["- **T016**: Depends on T004 (US1 internal)", { T016: ["T004@20:24"] }],
    ["- T006 and T007 depend on T005", { T006: ["T005@20:27"], T007: ["T005@20:27"] }],
    ["- Tests (T004-T005) before implementation (T008)", { T008: ["T004@20:10", "T005@20:10"] }],
    ["- T015 and T016 are independent (parallel)", {}],
  ])("%j", (line, expected) => {
    const { reading, diagnostics } = read(`${TASKS}\n\n## Dependencies\n\n${line}\n`);
    const found = Object.fromEntries(
      reading.steps
        .filter((s) => s.dependsOn.length > 0)
        .map((s) => [s.key, s.dependsOn.map((d) => `${d.text}@${d.line}:${d.column}`)]),
    );
    expect(found).toEqual(expected);
    expect(reading.steps.flatMap((s) => s.dependsOn.map((d) => [d.stepKey, d.reference]))).toEqual(
      Object.values(expected)
        .flat()
        .map(() => [null, null]),
    );
    expect(diagnostics).toEqual([]);
  });

  it("reads a dependencies heading nested under Notes", () => {
    const { reading } = read(
      `${TASKS}\n\n## Notes\n\n### Dependencies\n\n- T003 must complete before T004-T005\n`,
    );
    expect(
      reading.steps.filter((s) => s.dependsOn.length).map((s) => [s.key, s.dependsOn.map((d) => d.text)]),
    ).toEqual([
      ["T004", ["T003"]],
      ["T005", ["T003"]],
    ]);
  });

  it("never links dependency words outside a dependencies section", () => {
    const { reading } = read(
      `${TASKS}\n\n## Implementation Strategy\n\n- T002 depends on T001\n\nT004 blocks T005\n`,
    );
    expect(reading.steps.flatMap((s) => s.dependsOn)).toEqual([]);
    expect(reading.ordering).toEqual([]);
  });

  it("reads dependency words on a task's own lines", () => {
    const { reading } = read(
      "- [ ] T001 Make\n- [ ] T002 Wire it. Depends on T001.\n- [ ] T003 Seed (blocks T002)\n  - Needs T001\n",
    );
    expect(
      reading.steps.map((s) => [s.key, s.title, s.dependsOn.map((d) => `${d.text}@${d.line}:${d.column}`)]),
    ).toEqual([
      ["T001", "Make", []],
      ["T002", "Wire it. Depends on T001.", ["T001@2:32", "T003@3:7"]],
      ["T003", "Seed", ["T001@4:11"]],
    ]);
  });

  it("warns when a dependency names a task that does not exist, and leaves it out", () => {
    const { reading, diagnostics } = read(`${TASKS}\n\n## Dependencies\n\n- T099 depends on T001 + T002\n`);
    expect(reading.steps.flatMap((s) => s.dependsOn)).toEqual([]);
    expect(diagnostics).toEqual([
      {
        severity: "warning",
        rule: "unknown-dependency",
        message: "T099 is not a task in this plan, so its dependency on T001 is left out. Check the task id.",
        line: 20,
        column: 3,
      },
    ]);
  });

  it("leaves an unknown prerequisite to the post-pass (named, stepKey null)", () => {
    const { reading, diagnostics } = read(`${TASKS}\n\n## Dependencies\n\n- T002 depends on T077\n`);
    expect(reading.steps[1]!.dependsOn).toEqual([
      { text: "T077", stepKey: null, reference: null, line: 20, column: 19 },
    ]);
    expect(diagnostics).toEqual([]);
  });

  it("lists a prerequisite once however often it is named", () => {
    const { reading } = read(
      `- [ ] T001 A\n- [ ] T002 B (depends on T001)\n\n## Dependencies\n\n- T002 depends on T001\n- T001 → T002\n`,
    );
    expect(reading.steps[1]!.dependsOn.map((d) => `${d.text}@${d.line}:${d.column}`)).toEqual(["T001@2:26"]);
  });
});

describe("looksLikeTaskList", () => {
  it.each([
    ["- [ ] T001 Create", true],
    ["- [x] **T001** Create", true],
    ["- [-] T001 Create", true],
    ["# Tasks: Login\n\nNothing yet", true],
    ["- T001 Create", false],
    ["- [ ] 1. Create", false],
    ["```\n- [ ] T001 Create\n```", false],
    ["> - [ ] T001 Create", false],
    ["# Implementation Plan: Tasks\n\n#### Step 1.1: T001 migration", false],
  ])("%j → %s", (source, expected) => {
    expect(looksLikeTaskList(parseMarkdown(source))).toBe(expected);
  });
});

describe("task lists through parsePlan", () => {
  it("keeps exact positions after a BOM, CRLF line endings and front matter, and resolves ids", () => {
    const source =
      "\uFEFF---\r\ndescription: x\r\n---\r\n\r\n# Tasks: Ünïcode ✓\r\n\r\n- [x] T001 Créer\r\n- [ ] T002 B (depends on T001)\r\n";
    const plan = parsePlan(source, { path: "specs/001/tasks.md" });
    expect(plan.format).toBe("task-list");
    expect(plan.title).toBe("Ünïcode ✓");
    expect(plan.steps.map((s) => [s.key, s.title, s.done, s.line, s.column])).toEqual([
      ["T001", "Créer", true, 7, 1],
      ["T002", "B", false, 8, 1],
    ]);
    expect(plan.steps[1]!.dependsOn).toEqual([
      { text: "T001", stepKey: "T001", reference: null, line: 8, column: 26 },
    ]);
    expect(plan.diagnostics).toEqual([]);
  });

  it("reports an unknown prerequisite once, at the id", () => {
    const plan = parsePlan("- [ ] T001 A\n\n## Dependencies\n\n- T001 depends on T009\n", {
      path: "tasks.md",
    });
    expect(plan.diagnostics.map((d) => [d.rule, d.severity, d.line, d.column])).toEqual([
      ["unknown-dependency", "warning", 5, 19],
    ]);
  });
});
