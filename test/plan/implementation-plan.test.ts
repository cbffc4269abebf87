import { describe, expect, it } from "vitest";
import { parsePlan } from "../../src/plan/index.js";

const parse = (source: string) => parsePlan(source, { path: "plans/x.md" });
const steps = (source: string) =>
  parse(source).steps.map((s) => ({
    number: s.number,
    title: s.title,
    done: s.done,
    line: s.line,
    phase: s.phase,
  }));

describe("step heading variants (SPEC.md §1)", () => {
  it.each([
    ["#### Step 1.2: Title", "## Implementation Steps\n\n#### Step 1.2: Title\n", "1.2", "Title"],
    [
      "#### 1.1 Title under a phase",
      "### Phase 1: Setup\n\n#### 1.1 Repository setup\n",
      "1.1",
      "Repository setup",
    ],
    ["### Step 3 - Title", "### Step 3 - Wire the queue\n", "3", "Wire the queue"],
    ["### Task 2: Title", "### Task 2: Add the index\n", "2", "Add the index"],
    ["### Milestone 0: Title", "### Milestone 0: Spike\n", "0", "Spike"],
    ["### M0. Title in the steps section", "## Milestones\n\n### M0. Spike\n", "M0", "Spike"],
    [
      "### LP-1 — Title in the steps section",
      "## Implementation Steps\n\n### LP-1 — Ledger schema\n",
      "LP-1",
      "Ledger schema",
    ],
    ["#### [x] Step 1.2: Title", "#### [x] Step 1.2: Done already\n", "1.2", "Done already"],
    ["**Step 2** in bold", "### **Step 2**: Bold step\n", "2", "Bold step"],
  ])("%s", (_name, body, number, title) => {
    const source = `# Implementation Plan: Variants\n\n${body}`;
    const [step, ...rest] = parse(source).steps;
    expect(rest).toEqual([]);
    expect({ number: step?.number, title: step?.title }).toEqual({ number, title });
  });

  it("reads checklist items as steps under a phase heading", () => {
    const source = [
      "# Implementation Plan: Items",
      "",
      "### Phase 1: Setup",
      "- [x] Task 1.1: Create repo",
      "- [ ] **Step 2**: Write CI",
      "- [ ] Plain task without a number",
      "",
      "**Exit criteria**:",
      "- [ ] CI is green",
      "",
    ].join("\n");
    expect(steps(source)).toEqual([
      { number: "1.1", title: "Create repo", done: true, line: 4, phase: "phase-1" },
      { number: "2", title: "Write CI", done: false, line: 5, phase: "phase-1" },
      { number: null, title: "Plain task without a number", done: false, line: 6, phase: "phase-1" },
    ]);
  });

  it("reads a phase heading with its own box, and marks its steps done when the phase is done", () => {
    const source = [
      "# X Implementation Plan",
      "### [x] Phase 1: Foundation",
      "#### Step 1.1: A",
      "### [ ] Phase 2: Build",
      "#### Step 2.1: B",
      "### Phase 3: Ship ✅",
      "#### Step 3.1: C",
      "",
    ].join("\n");
    const plan = parse(source);
    expect(plan.title).toBe("X");
    expect(plan.phases.map((p) => [p.key, p.title, p.done])).toEqual([
      ["phase-1", "Foundation", true],
      ["phase-2", "Build", false],
      ["phase-3", "Ship", true],
    ]);
    expect(plan.steps.map((s) => [s.number, s.done])).toEqual([
      ["1.1", true],
      ["2.1", false],
      ["3.1", true],
    ]);
  });

  it("makes a milestone with steps under it a phase", () => {
    const source = "## Milestone 1: Alpha\n### Task 1.1: A\n### Task 1.2: B\n## Milestone 2: Beta\n";
    const plan = parse(source);
    expect(plan.phases.map((p) => p.title)).toEqual(["Alpha"]);
    expect(plan.steps.map((s) => [s.number, s.phase])).toEqual([
      ["1.1", "phase-1"],
      ["1.2", "phase-1"],
      ["2", null],
    ]);
  });

  it.each([
    ["# Implementation Plan: X", "X"],
    ["# X Implementation Plan", "X"],
    ["# Implementation Plan", null],
    ["# Task Checklist: X", "X"],
    ["# Something else", "Something else"],
    ["## No title at all", null],
  ])("title %s", (heading, title) => {
    expect(parse(`${heading}\n\n### Step 1: A\n`).title).toBe(title);
  });

  it.each([
    ["**Status**: Draft", "Draft"],
    ["**Status:** Draft", "Draft"],
    ["Status: Locked", "Locked"],
    ["- **Status**: In Review", "In Review"],
  ])("header field %s", (line, status) => {
    expect(parse(`# Implementation Plan: X\n\n${line}\n\n### Step 1: A\n`).status).toBe(status);
  });

  it.each([
    ["**Status**: Done", true, false],
    ["**Status:** Completed", true, false],
    ["**Status**: In progress", false, true],
    ["**Status**: Blocked", false, false],
  ])("step status %s", (line, done, inProgress) => {
    const [step] = parse(`### Step 1: A\n${line}\n`).steps;
    expect([step?.done, step?.inProgress]).toEqual([done, inProgress]);
  });

  it("marks ✅ in a heading or item done and keeps it out of the title", () => {
    const source = "### Step 1: A ✅\n## Tasks\n- [ ] ✅ Task 2: B\n";
    expect(parse(source).steps.map((s) => [s.title, s.done])).toEqual([
      ["A", true],
      ["B", true],
    ]);
  });
});

describe("what is not a step", () => {
  it.each([
    ["a numbered Next Steps list", "## Next Steps\n1. Write docs\n2. Ship\n- [ ] Tell people\n"],
    ["a Daily Tasks checklist", "## Daily Tasks\n- [ ] Stand-up\n- [ ] Review\n"],
    ["a numbered Execution Flow", "## Execution Flow\n1. Load\n2. Parse\n"],
    [
      "numbered design decisions outside the steps section",
      "## Design Decisions\n### 1. Use Redis\n### 2. Fail open\n",
    ],
    ["a step heading in a prose section", "## Technical Approach\n### Step 1: not a step\n"],
    ["a table of phases", "## Implementation Steps\n| Step | Title |\n|---|---|\n| 1.1 | A |\n"],
    [
      "a step heading in a code block",
      "## Implementation Steps\n```\n#### Step 1.1: In code\n- [ ] Task 1: in code\n```\n",
    ],
    [
      "a step in an HTML comment",
      "## Implementation Steps\n<!--\n#### Step 1.1: Hidden\n- [ ] Task 1: hidden\n-->\n",
    ],
    ["a step in a quote", "## Implementation Steps\n> #### Step 1.1: Quoted\n> - [ ] Task 1: quoted\n"],
    ["plain bullets in the steps section", "## Implementation Steps\n- Some note\n- Another note\n"],
    ["requirements checklists", "## Requirements\n- [ ] Must be fast\n"],
    ["bare numbered headings without a steps section", "## 1. Background\n## 2. Design\n"],
  ])("%s", (_name, body) => {
    const plan = parse(`# Implementation Plan: X\n\n${body}`);
    expect(plan.steps).toEqual([]);
    expect(plan.diagnostics.map((d) => d.rule)).toEqual(["no-steps"]);
  });
});

describe("step fields", () => {
  const source = [
    "### Phase 1: Core", // 1
    "#### Step 1.1: Parser {#parser}", // 2
    "**What**: Read the file.", // 3
    "**Why:** Everything starts here.", // 4
    "**Depends on**: #12, acme/infra#7", // 5
    "**Assignee**: @ana, @bo", // 6
    "**Labels**: parser, `core`", // 7
    "**Files**:", // 8
    "- Create: `src/a.ts`, `src/b.ts`", // 9
    "- Delete: `old.ts`", // 10
    "- `notes.md`", // 11
    "", // 12
    "Some free text.", // 13
    "", // 14
    "**Validation**:", // 15
    "- [x] unit tests", // 16
    "- manual check", // 17
    "", // 18
    "#### Step 1.2: Writer", // 19
    "<!-- id: writer -->", // 20
    "**Depends on**: Step 1.1, parser", // 21
    "",
  ].join("\n");

  it("reads fields, files, validation, assignees, labels and ids", () => {
    const [parser, writer] = parse(source).steps;
    expect(parser).toMatchObject({
      key: "parser",
      explicitId: "parser",
      title: "Parser",
      fields: {
        what: "Read the file.",
        why: "Everything starts here.",
        "depends on": "#12, acme/infra#7",
        assignee: "@ana, @bo",
        labels: "parser, `core`",
      },
      files: [
        { action: "create", path: "src/a.ts" },
        { action: "create", path: "src/b.ts" },
        { action: "delete", path: "old.ts" },
        { action: "other", path: "notes.md" },
      ],
      validation: [
        { text: "unit tests", done: true, line: 16, references: [] },
        { text: "manual check", done: null, line: 17, references: [] },
      ],
      assignees: ["ana", "bo"],
      labels: ["parser", "core"],
      details: "Some free text.",
      line: 2,
      endLine: 17,
    });
    expect(parser?.dependsOn).toEqual([
      {
        text: "#12",
        stepKey: null,
        reference: { kind: "issue", text: "#12", owner: null, repo: null, number: 12 },
        line: 5,
        column: 17,
      },
      {
        text: "acme/infra#7",
        stepKey: null,
        reference: { kind: "issue", text: "acme/infra#7", owner: "acme", repo: "infra", number: 7 },
        line: 5,
        column: 22,
      },
    ]);
    expect(writer).toMatchObject({ key: "writer", explicitId: "writer", title: "Writer" });
    expect(writer?.dependsOn.map((d) => [d.text, d.stepKey, d.column])).toEqual([
      ["Step 1.1", "parser", 17],
      ["parser", "parser", 27],
    ]);
  });

  it("takes an id comment just before a heading", () => {
    const [step] = parse("<!-- id: before -->\n### Step 1: A\n").steps;
    expect(step?.key).toBe("before");
  });

  it("derives the key from the number, else from the title", () => {
    const plan = parse("## Implementation Steps\n- [ ] Set up the 日本語 docs\n\n### Step 1: A\n");
    expect(plan.steps.map((s) => s.key)).toEqual(["set-up-the-日本語-docs", "1"]);
  });
});

describe("sections", () => {
  it("reads open questions with answers after the text or under it", () => {
    const source = [
      "## Open Questions",
      "- [ ] Should we cache? Yes — for an hour.",
      "- [x] Who owns it?",
      "",
      "  The platform team.",
      "- Which region? **Answer**: eu-west-1",
      "",
      "### Q4: Do we need a flag?",
      "Probably not.",
      "",
    ].join("\n");
    expect(parse(source).questions.map((q) => [q.text, q.done, q.answer, q.line])).toEqual([
      ["Should we cache?", false, "Yes — for an hour.", 2],
      ["Who owns it?", true, "The platform team.", 3],
      ["Which region?", false, "eu-west-1", 6],
      ["Do we need a flag?", false, "Probably not.", 8],
    ]);
  });

  it("reads dependencies with references, risks and references", () => {
    const source = [
      "## Dependencies",
      "### Upstream Dependencies",
      "- [ ] Auth v2 (blocked by: PLAT-123, https://github.com/acme/auth/issues/9)",
      "### Downstream Impact",
      "- Billing reads the new events",
      "## Risks & Mitigations",
      "| Risk | Mitigation |",
      "|---|---|",
      "| Slow | Cache |",
      "## References",
      "- Design doc: https://example.com/doc",
      "",
    ].join("\n");
    const plan = parse(source);
    expect(plan.dependencies.upstream).toEqual([
      {
        text: "Auth v2 (blocked by: PLAT-123, https://github.com/acme/auth/issues/9)",
        done: false,
        line: 3,
        references: [
          { kind: "ticket", text: "PLAT-123", key: "PLAT-123" },
          {
            kind: "issue",
            text: "https://github.com/acme/auth/issues/9",
            owner: "acme",
            repo: "auth",
            number: 9,
          },
        ],
      },
    ]);
    expect(plan.dependencies.downstream.map((d) => d.text)).toEqual(["Billing reads the new events"]);
    expect(plan.risks).toEqual([{ risk: "Slow", mitigation: "Cache" }]);
    expect(plan.references).toEqual(["Design doc: https://example.com/doc"]);
  });
});
