import { describe, expect, it } from "vitest";
import { readDependencyPhrases } from "../../src/plan/dependency-phrases.js";

// Each edge as "task<dependsOn@column" ("-": the implied subject, not written), so a table row shows the whole answer on one line.
function edgesOf(text: string, subject?: string): string[] {
  return readDependencyPhrases(text, subject).edges.map((e) => `${e.task}<${e.dependsOn}@${e.column ?? "-"}`);
}

describe("readDependencyPhrases", () => {
  it.each([
    ["T015 depends on T013, T014", ["T015<T013@17", "T015<T014@23"]],
    ["T002 depends on T001 (US1 internal).", ["T002<T001@17"]],
    ["T008 blocks T009, T015", ["T009<T008@1", "T015<T008@1"]],
    ["T016 blocks T018", ["T018<T016@1"]],
    ["T012 needs T008 + T011", ["T012<T008@12", "T012<T011@19"]],
    ["T005 requires T003 and T004", ["T005<T003@15", "T005<T004@24"]],
    ["T005 depends on T002 + T004.", ["T005<T002@17", "T005<T004@24"]],
    ["T019 & T020 depend on T018 and prior package integrations", ["T019<T018@23", "T020<T018@23"]],
    [
      "T017 and T018 depend on T015 and T016",
      ["T017<T015@25", "T017<T016@34", "T018<T015@25", "T018<T016@34"],
    ],
    ["T001 → T002 → T003", ["T002<T001@1", "T003<T002@8"]],
    ["T001 -> T002 -> T003", ["T002<T001@1", "T003<T002@9"]],
    ["T001 → setup → T003", []],
    ["T010 is blocked by T009", ["T010<T009@20"]],
    [
      "T004 and T005 must be done before T006, T007, and T008.",
      ["T006<T004@1", "T006<T005@10", "T007<T004@1", "T007<T005@10", "T008<T004@1", "T008<T005@10"],
    ],
    ["T001 before T002 (module hygiene precedes scaffolding)", ["T002<T001@1"]],
    ["T021 depends on T017 & T019", ["T021<T017@17", "T021<T019@24"]],
    ["**T013** depends on **T012**", ["T013<T012@23"]],
    ["T015 depends on T013. T016 blocks T017", ["T015<T013@17", "T017<T016@23"]],
    ["T015 depends on T013; T016 needs T014", ["T015<T013@17", "T016<T014@34"]],
  ])("%s", (text, expected) => {
    expect(edgesOf(text)).toEqual(expected);
  });

  it.each([
    ["T009 depends on T004-T007", ["T009<T004@17", "T009<T005@17", "T009<T006@17", "T009<T007@17"]],
    ["T009 depends on T004–T007", ["T009<T004@17", "T009<T005@17", "T009<T006@17", "T009<T007@17"]],
    ["T009 depends on T004 – T006", ["T009<T004@17", "T009<T005@17", "T009<T006@17"]],
    ["T009 depends on T004 through T006", ["T009<T004@17", "T009<T005@17", "T009<T006@17"]],
    ["T003-T004 block T015", ["T015<T003@1", "T015<T004@1"]],
    [
      "Tests (T004-T005) before implementation (T008-T009)",
      ["T008<T004@8", "T008<T005@8", "T009<T004@8", "T009<T005@8"],
    ],
    // Overlapping ranges name a task on both sides: no task waits for itself.
    ["T004-T005 depend on T003-T004", ["T004<T003@21", "T005<T003@21", "T005<T004@21"]],
    // A backwards range is a typo: its two ends are read as ids.
    ["T009 depends on T007-T004", ["T009<T007@17", "T009<T004@17"]],
    ["T0009 depends on T0010-T0012", ["T0009<T0010@18", "T0009<T0011@18", "T0009<T0012@18"]],
  ])("range %s", (text, expected) => {
    expect(edgesOf(text)).toEqual(expected);
  });

  it.each([
    ["Implement the service (depends on T012, T013)", ["T014<T012@35", "T014<T013@41"]],
    ["Wire the endpoint. Depends on T003.", ["T014<T003@31"]],
    ["Add the migration (blocks T020)", ["T020<T014@-"]],
    ["Write the docs (after T010)", ["T014<T010@23"]],
  ])("with subject T014: %s", (text, expected) => {
    expect(edgesOf(text, "T014")).toEqual(expected);
  });

  it.each([
    ["T015 and T016 are independent (parallel)"],
    ["T001 and T002 can run in parallel"],
    ["T015 does not depend on T016"],
    ["T016 doesn't need T015"],
    ["Implementation before polish (T019-T023)"],
    ["Wire audio → buffer → whisper backend → UI"],
    ["Use the `after_commit` hook from T003"],
    ["T017 deploys the blocking-io fix"],
  ])("no edges: %s", (text) => {
    expect(edgesOf(text)).toEqual([]);
  });

  it.each([
    ["**Foundational (Phase 2)**: Depends on Setup completion - BLOCKS all user stories", true],
    ["Or sequentially in priority order (P1 → P2 → P3)", true],
    ["Implementation before polish (T019-T023)", true],
    ["T015 and T016 are independent (parallel)", false],
    ["All Setup tasks marked [P] can run in parallel", false],
  ])("speaks of order: %s", (text, expected) => {
    expect(readDependencyPhrases(text).speaksOfOrder).toBe(expected);
  });

  it("gives the column of the waiting task too", () => {
    expect(readDependencyPhrases("  T015 depends on T013").edges).toEqual([
      { task: "T015", taskColumn: 3, dependsOn: "T013", column: 19 },
    ]);
  });

  it("keeps columns across the lines of a paragraph", () => {
    const text = "T017 and T018\n  depend on T015";
    expect(edgesOf(text)).toEqual(["T017<T015@27", "T018<T015@27"]);
  });
});
