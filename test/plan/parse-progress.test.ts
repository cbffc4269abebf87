// A parse tells its ParseProgress which stage it is in and which lines of the file it reaches: the
// server's parse worker names that line when it stops a parse at its time limit (issue #14).
import { describe, expect, it } from "vitest";
import { parsePlan } from "../../src/plan/parse.js";
import { PARSE_STAGES, type ParseProgress, type ParseStage } from "../../src/plan/parse-progress.js";

const PLAN = [
  "---", // 1
  "title: Progress",
  "labels: a",
  "---",
  "",
  "# Plan: Progress", // 6
  "",
  "## Phase 1: Base", // 8
  "",
  "#### Step 1.1: First", // 10
  "Text with **bold**,", // 11
  "on two lines.",
  "| a | b |", // 13
  "|---|---|",
  "| 1 | 2 |",
  "",
  "- [ ] one", // 17
  "  > quoted", // 18
  "",
  "#### Step 1.2: Second", // 20
  "",
].join("\n");

const FILE_LINES = PLAN.split("\n");

/** Every call, in order. */
function recorder(): { progress: ParseProgress; events: Array<[ParseStage, number]> } {
  const events: Array<[ParseStage, number]> = [];
  let stage: ParseStage = "starting";
  return {
    events,
    progress: {
      stage: (next) => void (stage = next),
      line: (line) => void events.push([stage, line]),
    },
  };
}

const linesIn = (events: ReadonlyArray<[ParseStage, number]>, stage: ParseStage) =>
  new Set(events.filter(([at]) => at === stage).map(([, line]) => line));

describe("parse progress", () => {
  const { progress, events } = recorder();
  const stages: ParseStage[] = [];
  const plan = parsePlan(PLAN, {
    path: "plans/progress.md",
    progress: { stage: (stage) => (stages.push(stage), progress.stage(stage)), line: progress.line },
  });

  it('goes through every stage after "starting", in the order PARSE_STAGES lists them', () => {
    expect(stages).toEqual(PARSE_STAGES.filter((stage) => stage !== "starting"));
  });

  it("reports only lines of the file that hold text, counted with the front matter", () => {
    const reported = events.map(([, line]) => line);
    expect(reported.length).toBeGreaterThan(0);
    for (const line of reported) expect(FILE_LINES[line - 1]?.trim(), `line ${line}`).toBeTruthy();
  });

  it("each block's first line, in the markdown pass, the tree and the readers", () => {
    const blocks = [6, 8, 10, 11, 13, 17, 18, 20];
    for (const stage of ["markdown blocks", "markdown tree"] as const)
      expect(
        [...linesIn(events, stage)].sort((a, b) => a - b),
        stage,
      ).toEqual(expect.arrayContaining(blocks));
    expect([...linesIn(events, "inline text")]).toEqual(expect.arrayContaining([6, 8, 10, 11, 17, 18, 20]));
    expect([...linesIn(events, "steps")]).toEqual(expect.arrayContaining([6, 8, 10, 11, 13, 17, 20]));
    expect([...linesIn(events, "checks")]).toEqual(expect.arrayContaining([10, 20]));
  });

  it("changes nothing in the plan", () => {
    expect(plan.steps.map((step) => step.line)).toEqual([10, 20]);
    expect(plan).toEqual(parsePlan(PLAN, { path: "plans/progress.md" }));
  });

  it("is told nothing by a later parse that has none", () => {
    const later = recorder();
    parsePlan(PLAN, { path: "plans/a.md", progress: later.progress });
    const count = later.events.length;
    parsePlan(PLAN, { path: "plans/b.md" });
    expect(later.events.length).toBe(count);
  });

  it("one that throws is a diagnostic on an empty plan, and is then dropped", () => {
    let calls = 0;
    const failing: ParseProgress = {
      stage: () => undefined,
      line: () => {
        calls += 1;
        throw new Error("stop");
      },
    };
    const refused = parsePlan(PLAN, { path: "plans/a.md", progress: failing });
    expect(refused.steps).toEqual([]);
    expect(refused.diagnostics.map((d) => d.rule)).toContain("parse-timeout");
    const before = calls;
    parsePlan(PLAN, { path: "plans/a.md" });
    expect([before > 0, calls]).toEqual([true, before]);
  });
});
