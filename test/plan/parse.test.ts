import { existsSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parsePlan } from "../../src/plan/index.js";

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../fixtures/plans/${name}`, import.meta.url)), "utf8");
const parse = (source: string) => parsePlan(source, { path: "plans/x.md" });

describe("rate-limiter.md (the filled-in example)", () => {
  const plan = parsePlan(fixture("rate-limiter.md"), { path: "plans/rate-limiter.md" });

  it("has 3 phases and 6 steps with exact numbers, titles and phases", () => {
    expect(plan.format).toBe("implementation-plan");
    expect(plan.title).toBe("Per-tenant API rate limiter");
    expect(plan.status).toBe("In Progress");
    expect(plan.phases.map((p) => [p.key, p.title, p.line])).toEqual([
      ["phase-1", "Limiter core", 43],
      ["phase-2", "Gateway integration", 79],
      ["phase-3", "Rollout", 105],
    ]);
    expect(plan.steps.map((s) => [s.key, s.number, s.title, s.phase, s.line, s.endLine, s.done])).toEqual([
      ["1.1", "1.1", "Token bucket script", "phase-1", 45, 63, false],
      ["1.2", "1.2", "Limiter client with circuit breaker", "phase-1", 65, 77, false],
      ["2.1", "2.1", "Middleware", "phase-2", 81, 91, false],
      ["2.2", "2.2", "Limits admin endpoint", "phase-2", 93, 103, false],
      ["3.1", "3.1", "Shadow mode", "phase-3", 107, 117, true],
      ["3.2", "3.2", "Enforce for all tenants", "phase-3", 119, 128, false],
    ]);
  });

  it("resolves every Depends on edge to a step key", () => {
    expect(
      plan.steps.map((s) => [s.key, s.dependsOn.map((d) => [d.text, d.stepKey, d.line, d.column])]),
    ).toEqual([
      ["1.1", []],
      ["1.2", [["Step 1.1", "1.1", 69, 17]]],
      ["2.1", [["Step 1.2", "1.2", 85, 17]]],
      ["2.2", [["Step 2.1", "2.1", 97, 17]]],
      ["3.1", [["Step 2.1", "2.1", 111, 17]]],
      [
        "3.2",
        [
          ["Step 3.1", "3.1", 123, 17],
          ["Step 2.2", "2.2", 123, 27],
        ],
      ],
    ]);
  });

  it("reads assignee, labels, status, files, validation and code", () => {
    const [s11, s12, , s22, s31] = plan.steps;
    expect(s12?.assignees).toEqual(["mkowalski"]);
    expect(s22?.labels).toEqual(["admin-api"]);
    expect(s31?.status).toBe("Done");
    expect(s11?.files).toEqual([
      { action: "create", path: "gateway/limiter/bucket.lua" },
      { action: "create", path: "gateway/limiter/script.go" },
    ]);
    expect(s11?.validation.map((v) => [v.text, v.done, v.line])).toEqual([
      ["Run `just test-limiter`", false, 62],
      ["1,000 concurrent takes never exceed the burst", false, 63],
    ]);
    expect(s11?.codeExamples.map((c) => c.lang)).toEqual(["go"]);
    expect(s11?.fields.how).toBe(
      "`EVALSHA` with the bucket key, rate, burst and now; returns allowed and wait time.",
    );
  });

  it("has 3 open questions, the second done with its answer", () => {
    expect(plan.questions.map((q) => [q.text, q.done, q.answer, q.line])).toEqual([
      ["Should internal tenants be exempt?", false, null, 192],
      ["Do we count requests or request cost units?", true, "Requests, for now.", 193],
      ["Who owns the limits admin UI?", false, null, 194],
    ]);
  });

  it("has 2 upstream dependencies with their references, the second done", () => {
    expect(plan.dependencies.upstream.map((d) => [d.done, d.references])).toEqual([
      [false, [{ kind: "ticket", text: "INFRA-812", key: "INFRA-812" }]],
      [true, [{ kind: "issue", text: "#41", owner: null, repo: null, number: 41 }]],
    ]);
    expect(plan.dependencies.downstream).toHaveLength(2);
  });

  it("reads the other sections and has no diagnostics", () => {
    expect(plan.checklists.requirements).toHaveLength(6);
    expect(plan.checklists.successCriteria).toHaveLength(3);
    expect(plan.risks.map((r) => r.risk)).toEqual([
      "Redis latency spikes",
      "Wrong limits lock out a big tenant",
    ]);
    expect(plan.references).toEqual([
      "Design doc: https://example.com/docs/rate-limiter",
      "Related tickets: PLAT-2201, PLAT-2210",
    ]);
    expect(plan.overview?.startsWith("Tenants share one API gateway")).toBe(true);
    expect(plan.metadata).toEqual({ created: "2026-10-02", author: "@mkowalski", status: "In Progress" });
    expect(plan.diagnostics).toEqual([]);
  });
});

describe("template.md (unfilled)", () => {
  const plan = parsePlan(fixture("template.md"), { path: "plans/template.md" });

  it("has no steps, no questions, no title", () => {
    expect([plan.steps, plan.questions, plan.phases, plan.title]).toEqual([[], [], [], null]);
  });

  it("warns at every placeholder", () => {
    expect(plan.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.rule}`)).toEqual([
      "1:1 warning no-steps",
      "1:24 warning placeholder",
      "3:14 warning placeholder",
      "4:13 warning placeholder",
      "5:13 warning placeholder",
      "13:7 warning placeholder",
      "14:7 warning placeholder",
      "17:20 warning placeholder",
      "18:17 warning placeholder",
      "19:20 warning placeholder",
      "39:14 warning placeholder",
      "41:16 warning placeholder",
      "61:16 warning placeholder",
      "64:14 warning placeholder",
      "126:7 warning placeholder",
      "127:7 warning placeholder",
      "130:18 warning placeholder",
      "131:18 warning placeholder",
      "135:7 warning placeholder",
      "136:7 warning placeholder",
    ]);
  });
});

describe("line endings and Unicode", () => {
  const source = [
    "# Implementation Plan: 速率限制 🚦",
    "",
    "### Phase 1: 准备",
    "",
    "#### Step 1.1: 令牌桶 🪣",
    "**What**: ünïcödé",
    "**Depends on**: Step 9",
    "",
  ].join("\n");

  it.each([
    ["CRLF", source.replace(/\n/g, "\r\n")],
    ["CR", source.replace(/\n/g, "\r")],
    ["BOM + CRLF", `\uFEFF${source.replace(/\n/g, "\r\n")}`],
  ])("%s gives the same model as LF", (_name, variant) => {
    expect(parse(variant)).toEqual(parse(source));
  });

  it("keeps emoji and CJK in titles", () => {
    const plan = parse(source);
    expect([plan.title, plan.phases[0]?.title, plan.steps[0]?.title]).toEqual([
      "速率限制 🚦",
      "准备",
      "令牌桶 🪣",
    ]);
    expect(plan.diagnostics.map((d) => [d.line, d.column, d.rule])).toEqual([[7, 17, "unknown-dependency"]]);
  });
});

describe("front matter", () => {
  it("wins over the header for title, labels and status, and keeps positions exact", () => {
    const source = [
      "---",
      "title: From front matter",
      "labels: [team-a, q3]",
      "status: Locked",
      "owner: ana",
      "---",
      "# Implementation Plan: From heading",
      "**Status**: Draft",
      "",
      "### Step 1: A",
      "**Depends on**: Step 7",
      "",
    ].join("\n");
    const plan = parse(source);
    expect([plan.title, plan.labels, plan.status, plan.metadata]).toEqual([
      "From front matter",
      ["team-a", "q3"],
      "Locked",
      { status: "Locked", title: "From front matter", labels: ["team-a", "q3"], owner: "ana" },
    ]);
    expect(plan.steps.map((s) => s.line)).toEqual([10]);
    expect(plan.diagnostics.map((d) => [d.line, d.column, d.rule])).toEqual([[11, 17, "unknown-dependency"]]);
  });

  it("opts out with plan-sync: false", () => {
    const plan = parse("---\nplan-sync: false\n---\n### Step 1: A\n");
    expect([plan.optOut, plan.steps, plan.diagnostics]).toEqual([true, [], []]);
  });

  it("never runs ---js front matter, and reports it", () => {
    const marker = join(tmpdir(), `plan-sync-js-front-matter-${process.pid}`);
    rmSync(marker, { force: true });
    const code = `{ title: require("fs").writeFileSync(${JSON.stringify(marker)}, "ran") }`;
    for (const fence of ["---js", "---javascript", "--- js", "---coffee"]) {
      const plan = parse(`${fence}\n${code}\n---\n### Step 1: A\n`);
      expect(plan.diagnostics.map((d) => [d.line, d.column, d.severity, d.rule])).toEqual([
        [1, 1, "error", "front-matter"],
      ]);
      expect(plan.steps.map((s) => s.line)).toEqual([4]);
    }
    expect(existsSync(marker)).toBe(false);
  });

  it("refuses a YAML alias bomb quickly", () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i += 1) {
      const previous = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(",")}]`);
    }
    // Quickly: within the test timeout; a written-out bomb would be 9^9 values.
    const plan = parse(`---\n${levels.join("\n")}\n---\n### Step 1: A\n`);
    expect(plan.diagnostics.map((d) => [d.line, d.rule])).toEqual([[1, "front-matter"]]);
    expect(plan.diagnostics[0]?.message).toContain("aliases");
    expect(plan.metadata).toEqual({});
  });

  it("refuses front matter that is not a mapping", () => {
    expect(parse("---\n- a\n- b\n---\n### Step 1: A\n").diagnostics.map((d) => [d.line, d.rule])).toEqual([
      [1, "front-matter"],
    ]);
  });

  it("leaves a leading thematic break alone when no front matter closes", () => {
    const plan = parse("---\n### Step 1: A\n");
    expect([plan.steps.map((s) => s.line), plan.diagnostics]).toEqual([[2], []]);
  });
});
