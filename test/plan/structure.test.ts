// Steps found by the document's structure, in any language (docs/plan-format.md "How steps are
// found"). Each case is a plan written for this test, with the exact lines, numbers and
// done-marks a reader sees in it.
import { describe, expect, it } from "vitest";
import { explainPlan, parsePlan } from "../../src/plan/index.js";

const read = (source: string, path = "docs/plans/x.md") => parsePlan(source, { path });
const found = (source: string) => read(source).steps.map((s) => [s.line, s.number, s.done]);

describe("the work breakdown, by structure", () => {
  it.each([
    [
      "Korean: dotted headings under numbered sections",
      "# 결제 모듈 계획\n\n## 1. 준비\n### 1.1 저장소 만들기 ✅\n- 브랜치 규칙 정리\n### 1.2 CI 설정\n## 2. 구현\n### 2.1 결제 API\n### 2.2 환불 API\n",
      [
        [4, "1.1", true],
        [6, "1.2", false],
        [8, "2.1", false],
        [9, "2.2", false],
      ],
    ],
    [
      "Chinese: task headings with a full-width colon; bold sub-steps that restart are details",
      "# 搭建计划\n\n## 阶段一：环境\n\n### 任务 1：注册账号\n\n**步骤 1：打开网站**\n\n**步骤 2：填写表单**\n\n### 任务 2：连接数据库\n\n**步骤 1：安装驱动**\n",
      [
        [5, "1", false],
        [11, "2", false],
      ],
    ],
    [
      "Japanese: phases only; their numbered lists restart, so the phases are the steps",
      "# 移行計画\n\n## 実施手順\n\n### フェーズ 1: 調査\n1. 現状を洗い出す\n2. 課題をまとめる\n\n### フェーズ 2: 移行 ✅\n1. データを移す\n",
      [
        [5, "1", false],
        [9, "2", true],
      ],
    ],
    [
      "Spanish: bold numbered items whose numbering runs on across priority sections",
      "# Hoja de ruta\n\n## P0 — Imprescindible\n\n1. **Inicio de sesión**\n2. **Registro**\n\n## P1 — Deseable\n\n3. **Modo oscuro**\n",
      [
        [5, "1", false],
        [6, "2", false],
        [10, "3", false],
      ],
    ],
    [
      "German: custom ids and lettered tasks under waves; a wave marked ✅ marks its tasks",
      "# Umsetzungsplan\n\n## Welle 0 — Grundlagen ✅\n### T0.1 — Projekt anlegen\n### T0.2 — Design-System\n## Welle 1 — Fachlich\n### Aufgabe A — Kunden\n### Aufgabe B — Artikel\n",
      [
        [4, "T0.1", true],
        [5, "T0.2", true],
        [7, "A", false],
        [8, "B", false],
      ],
    ],
    [
      "French: lettered sub-phases; phases that hold none are steps, a done tag marks one",
      "# Plan\n\n## Phases\n### Phase 0 — Cadrage\nTexte.\n### Phase 1 — Données\n#### 1a. Collecte\n#### 1b. Nettoyage\n### Phase 2 — Modèle [TERMINÉ]\n",
      [
        [4, "0", false],
        [7, "1a", false],
        [8, "1b", false],
        [9, "2", true],
      ],
    ],
    [
      "Turkish: a phase split into lettered parts; the other phases are steps, a done word marks one",
      "# Yol Haritası\n\n## Faz 0: MVP — TAMAMLANDI\n- [x] giriş\n## Faz 1: Veri\n### Faz 1A — Okul\n### Faz 1B — Rol\n## Faz 2: Ölçek\n",
      [
        [3, "0", true],
        [6, "1A", false],
        [7, "1B", false],
        [8, "2", false],
      ],
    ],
    [
      "Portuguese: plain numbered headings together under one section, each with its work",
      "# Plano\n\n## Etapas\n### 1. Base do repositório\n- criar pastas\n### 2. API\n- rotas\n\n## Critérios\n- testes passam\n",
      [
        [4, "1", false],
        [6, "2", false],
      ],
    ],
    [
      "English: phases whose checklists carry no numbers are the steps; their boxes are sub-tasks",
      "# Roadmap\n\n## Phase 1: Core (Done)\n- [x] Data model\n- [x] **Importer:** CSV files\n\n## Phase 2: Reports (In Progress)\n- [x] Monthly view\n- [ ] Export\n",
      [
        [3, "1", true],
        [7, "2", false],
      ],
    ],
    [
      "Italian: a phase with ticked boxes only is done; one with an open box is not",
      "# Piano\n\n## Fase 1 — Fondamenta\n- [x] repository\n- [x] CI\n## Fase 2 — Interfaccia\n- [ ] schermate\n",
      [
        [3, "1", true],
        [6, "2", false],
      ],
    ],
    [
      "Dutch: id lines in one paragraph outrank plain-numbered component headings",
      "# Plan\n\n## Componenten\n### 1. Planner\n- pure functie\n### 2. Scheduler\n- wachtrij\n\n## Volgorde\n### Linux\nL1. Toolchain installeren\nL2. Kernmodule bouwen\n### macOS\nM1. Xcode-project maken\nM2. Rechten aanvragen\n",
      [
        [11, "L1", false],
        [12, "L2", false],
        [14, "M1", false],
        [15, "M2", false],
      ],
    ],
    [
      "Spanish: chapter-numbered design headings beside named phases at the same level; the phases are the steps",
      "# Plan de rediseño\n\n## 1. Alcance\n### 1.1 Dentro\n- a\n### 1.2 Fuera\n- b\n## 2. Páginas\n### 2.1 Inicio\ntexto\n### 2.2 Ajustes\ntexto\n## 3. Orden\n### Fase 0: Base\n- c\n### Fase 1: Entrada\n- d\n## 4. Referencias\n",
      [
        [14, "0", false],
        [16, "1", false],
      ],
    ],
    [
      "German: a summary table's status column marks the steps its rows name; rows are never steps",
      "# Plan\n\n## Aufgaben\n### Aufgabe A — Kunden\n### Aufgabe B — Artikel\n### T1 — Export\n\n## Übersicht\n| Aufgabe | Status |\n|---|---|\n| A Kunden | ✅ geliefert |\n| B Artikel | ❌ |\n| T1 Export | fertig |\n| T9 Später | fertig |\n",
      [
        [4, "A", true],
        [5, "B", false],
        [6, "T1", true],
      ],
    ],
    [
      "Korean: two `Step` headings beside dotted headings of the same run; the structure reads them all",
      "# 배포 계획\n\n## 단계 1 준비\n### Step 1: 설치\n### Step 2: 설정\n## 단계 2 구현\n### 2.1 API\n### 2.2 화면\n### 2.3 알림\n",
      [
        [4, "1", false],
        [5, "2", false],
        [7, "2.1", false],
        [8, "2.2", false],
        [9, "2.3", false],
      ],
    ],
    [
      "French: `### Phase 1 critères` inside `## Phase 1` is about its phase, not a step",
      "# Plan\n\n## Phase 1 : Moteur [DONE]\n### 1.1 Écart [DONE]\n### 1.2 Taille\n### Phase 1 critères d'acceptation\n- [ ] tests verts\n## Phase 2 : Risque\n### 2.1 Régime\n### 2.2 Ruptures\n",
      [
        [4, "1.1", true],
        [5, "1.2", true],
        [9, "2.1", false],
        [10, "2.2", false],
      ],
    ],
    [
      "Polish: task cards in two tracks one level deeper, with a letter before the dot (`2B.1`)",
      "# Plan\n\n## Karty zadań\n### FAZA 0 — Podstawy\n#### Task 0.1 — Szkielet\n### FAZA 2 — Równolegle\n#### Backend\n##### Task 2B.1 — Polityki\n##### Task 2B.2 — Obrazy\n#### Frontend\n##### Task 2F.1 — Komponenty\n",
      [
        [5, "0.1", false],
        [8, "2B.1", false],
        [9, "2B.2", false],
        [11, "2F.1", false],
      ],
    ],
    [
      "German: decisions with ids beside named phases are not steps; the phases are",
      "# Plan\n\n## Architekturentscheidungen\n### AD-1: Bei Postgres bleiben\nText.\n### AD-2: Kein tRPC\nText.\n\n## Phasen\n### Phase 1: Grundlage\n- Pakete\n### Phase 2: Tafel\n- **Phase 2 Migration:** eine Datei\n### Phase 3: Feinschliff\n- c\n",
      [
        [10, "1", false],
        [12, "2", false],
        [14, "3", false],
      ],
    ],
    [
      "a step without a mark of its own is done when every box in it is ticked",
      "# 개발 체크리스트\n\n## Phase 1\n#### 1.1 로그인\n- [x] 화면\n- [x] API\n#### 1.2 회원가입\n- [x] 화면\n- [ ] API\n",
      [
        [4, "1.1", true],
        [7, "1.2", false],
      ],
    ],
    [
      "✅❌⏸️ together is a template's choice left open, not a done-mark",
      "# Milestones\n\n## Milestones\n### Milestone 1: API ✅❌⏸️\n**Tasks:**\n- [ ] endpoint\n### Milestone 2: UI ✅\n",
      [
        [4, "1", false],
        [7, "2", true],
      ],
    ],
  ])("%s", (_name, source, expected) => {
    expect(found(source)).toEqual(expected);
  });

  it("makes the headings above the steps their phases", () => {
    const plan = read("# 계획\n\n## 1. 준비\n### 1.1 저장소\n### 1.2 CI\n## 2. 구현\n### 2.1 API\n");
    expect(plan.phases.map((p) => [p.line, p.number, p.title])).toEqual([
      [3, "1", "준비"],
      [6, "2", "구현"],
    ]);
    expect(plan.steps.map((s) => s.phase)).toEqual(["phase-1", "phase-1", "phase-2"]);
  });
});

describe("what the structure says is not a step", () => {
  it.each([
    ["numbered design decisions", "# Plan\n\n## Design Decisions\n### 1. Use Redis\n### 2. Fail open\n"],
    ["a document outline of plain numbers", "# Plan\n\n## 1. Background\nText.\n## 2. Design\nText.\n"],
    [
      "numbered lists that restart in every section",
      "# Plan\n\n## Setup\n1. Install\n2. Configure\n## Release\n1. Tag\n2. Publish\n",
    ],
    ["a single numbered list", "# Plan\n\n## Risks\n1. **Slow queries** in the report\n2. **Flaky tests**\n"],
    [
      "a paragraph of lines that open with years",
      "# Plan\n\n## History\n2024 first release\n2025 second release\n",
    ],
    ["a dated log", "# Plan\n\n## Log\n### 2026-04-02\nStarted.\n### 2026-04-03\nMore.\n"],
    ["headings named by an acronym with a digit", "# Plan\n\n### E2E tests\n### B2B import\n"],
    [
      "one bold id per section (a goal line, not a run of steps)",
      "# Plan\n\n## A\n**GOAL-1**: faster\n## B\n**GOAL-2**: cheaper\n",
    ],
  ])("%s", (_name, source) => {
    expect(read(source).steps).toEqual([]);
  });

  it("keeps the checklist inside a step as the step's own details", () => {
    const plan = read(
      "# Plan\n\n## Steps\n### Step 1: API\n**Acceptance**:\n- [ ] returns 200\n- [ ] logs\n",
    );
    expect(plan.steps.map((s) => [s.line, s.number])).toEqual([[4, "1"]]);
  });

  it("reads `- 50 simulations` as a detail, not step 50", () => {
    const plan = read("# Plan\n\n### Phase 1: Data\n- 50 simulations × 4 h\n- [ ] Task 1.1: run them\n");
    expect(plan.steps.map((s) => s.number)).toEqual(["1.1"]);
  });
});

describe("placeholders are the template's own text", () => {
  it.each([
    ["a tag beside real text", "#### Step 1.1: Login form [Required]\n", "Login form [Required]"],
    ["a tag before real text", "#### Step 1.1: [DEFERRED] Payments\n", "[DEFERRED] Payments"],
    ["brackets in code", "#### Step 1.1: Route `pages/[slug].vue`\n", "Route `pages/[slug].vue`"],
  ])("keeps %s", (_name, body, title) => {
    const plan = read(`# Plan\n\n## Implementation Steps\n${body}`);
    expect(plan.steps.map((s) => s.title)).toEqual([title]);
    expect(plan.diagnostics.map((d) => d.rule)).toEqual([]);
  });

  it("drops a title that is only the template's `[Step Name]`", () => {
    const plan = read("# Plan\n\n## Implementation Steps\n#### Step 1.1: [Step Name]\n#### Step 1.2: Real\n");
    expect(plan.steps.map((s) => s.number)).toEqual(["1.2"]);
    expect(plan.diagnostics.map((d) => [d.line, d.column, d.rule])).toEqual([[4, 16, "placeholder"]]);
  });
});

describe("spec-kit and Kiro variants", () => {
  it("reads task ids with a letter or a dotted suffix", () => {
    const plan = read(
      "# Tasks: X\n\n## Phase 1\n- [ ] T021 A\n- [x] T021a B\n- [ ] T007.1 C\n",
      "specs/1/tasks.md",
    );
    expect(plan.steps.map((s) => [s.number, s.done])).toEqual([
      ["T021", false],
      ["T021a", true],
      ["T007.1", false],
    ]);
  });

  it("reads a Kiro file whose section names start with `Task` (`## Task List`) as Kiro", () => {
    const plan = read(
      "# Implementation Plan\n\n## Task List\n- [x] 1. Hạ tầng\n  - [x] 1.1 Docker\n  - [ ] 1.2 Migrations\n\n## Task Dependency Graph\nText.\n",
      ".kiro/specs/a/tasks.md",
    );
    expect(plan.format).toBe("nested-checklist");
    expect(plan.steps.map((s) => [s.line, s.number, s.done, s.parent])).toEqual([
      [4, "1", true, null],
      [5, "1.1", true, "1"],
      [6, "1.2", false, "1"],
    ]);
  });

  it("reads an escaped optional star, `- [ ]\\* 2.1`", () => {
    const plan = read(
      "# Implementation Plan\n\n- [ ] 2. 저장소\n- [ ]\\* 2.1 속성 테스트\n",
      ".kiro/specs/a/tasks.md",
    );
    expect(plan.steps.map((s) => [s.number, s.optional, s.title])).toEqual([
      ["2", false, "저장소"],
      ["2.1", true, "속성 테스트"],
    ]);
  });

  it("reads Kiro parent tasks written as headings, done when their sub-tasks are", () => {
    const plan = read(
      "# 작업 목록\n\n## 1. 환경 설정\n- [x] 1.1 도커\n- [x] 1.2 의존성\n## 2. 데이터베이스\n- [ ] 2.1 스키마\n",
      ".kiro/specs/a/tasks.md",
    );
    expect(plan.steps.map((s) => [s.line, s.number, s.done, s.parent])).toEqual([
      [3, "1", true, null],
      [4, "1.1", true, "1"],
      [5, "1.2", true, "1"],
      [6, "2", false, null],
      [7, "2.1", false, "2"],
    ]);
  });
});

describe("Kiro headings beside task items", () => {
  it("takes the task item, not the heading, when both carry one number", () => {
    const plan = read(
      "# Tasks\n\n## 1. Setup\n- [ ] 1. Setup the repo\n  - [ ] 1.1 Docker\n",
      ".kiro/specs/a/tasks.md",
    );
    expect(plan.steps.map((s) => [s.line, s.number, s.parent])).toEqual([
      [4, "1", null],
      [5, "1.1", "1"],
    ]);
    expect(plan.diagnostics).toEqual([]);
  });
});

describe("when nothing is found", () => {
  it("names the closest shape seen and why it was not taken", () => {
    const plan = read("# Plan\n\n## Log\n### 1. Kickoff\nText.\n### 2. Review\nText.\n### 3. Ship\nText.\n");
    const warning = plan.diagnostics.find((d) => d.rule === "no-steps");
    expect(warning?.message).toContain(
      "3 headings like `### 1. Kickoff` (line 4) were not taken as steps because",
    );
  });
});

describe("lint --explain", () => {
  it("says what every heading and candidate item was taken for", () => {
    const source =
      "# 결제 계획\n\n## 1. 준비\n### 1.1 저장소 ✅\n- [x] 브랜치\n### 1.2 배포\n## 참고\n- [ ] 나중에\n";
    const { lines } = explainPlan(source, "docs/plans/x.md");
    expect(lines.map((l) => [l.line, l.taken])).toEqual([
      [1, "plan title"],
      [3, "phase"],
      [4, "step"],
      [5, "ignored"],
      [6, "step"],
      [7, "section"],
      [8, "ignored"],
    ]);
    expect(lines[3]?.why).toBe("inside step 1.1: part of that step's own details");
  });
});
