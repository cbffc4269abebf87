import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";

const FILES: Record<string, string> = {
  "plans/good.md": readFileSync(
    fileURLToPath(new URL("../fixtures/plans/rate-limiter.md", import.meta.url)),
    "utf8",
  ),
  "plans/warn.md": "### Step 1: A\n**Depends on**: Step 9\n",
  "plans/error.md": "### Step 1: A\n### Step 1: B\n",
  "plans/front.md": "---\ntitle: From the front matter\nlabels: [a]\n---\n# Other title\n",
  "plans/ko.md": "# 계획\n\n## 1. 준비\n### 1.1 저장소 ✅\n### 1.2 배포\n",
};

async function run(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, {
    readFile: (path) => {
      const text = FILES[path];
      if (text === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
      return text;
    },
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  return { code, stdout, stderr };
}

describe("plan-sync lint", () => {
  it("prints nothing and exits 0 for a clean plan", async () => {
    expect(await run("lint", "plans/good.md")).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("prints file:line:col severity rule message and exits 0 on warnings only", async () => {
    expect(await run("lint", "plans/warn.md", "plans/good.md")).toEqual({
      code: 0,
      stdout:
        'plans/warn.md:2:17 warning unknown-dependency Step 1 depends on "Step 9", which is not a step of this plan; the link is left out. Use a step number such as "Step 1.1" or an issue such as "#12".\n',
      stderr: "",
    });
  });

  it("--explain prints what every heading was taken for, then the diagnostics", async () => {
    expect(await run("lint", "--explain", "plans/ko.md")).toEqual({
      code: 0,
      stdout: [
        'plans/ko.md:1 plan title: # 계획 — the plan\'s title: "계획"',
        "plans/ko.md:3 phase: ## 1. 준비 — phase 1: the steps below it belong to it",
        "plans/ko.md:4 step: ### 1.1 저장소 ✅ — step 1.1 of the implementation plan, done",
        "plans/ko.md:5 step: ### 1.2 배포 — step 1.2 of the implementation plan",
        "",
      ].join("\n"),
      stderr: "",
    });
  });

  it("exits 1 when any file has an error", async () => {
    const result = await run("lint", "plans/good.md", "plans/error.md");
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      "plans/error.md:2:1 error duplicate-step-number Step 1 is numbered twice (first at line 1); renumber one of them.\n",
    );
  });

  it.each([
    [["lint"]],
    [["frobnicate", "plans/good.md"]],
    [[]],
    [["parse", "plans/good.md", "plans/warn.md"]],
  ])("exits 2 with the usage on %j", async (argv) => {
    const result = await run(...argv);
    expect([result.code, result.stdout, result.stderr.startsWith("usage: plan-sync lint")]).toEqual([
      2,
      "",
      true,
    ]);
  });

  it("exits 2 with a message when a file cannot be read", async () => {
    expect(await run("lint", "plans/good.md", "missing.md")).toEqual({
      code: 2,
      stdout: "",
      stderr: "plan-sync: cannot read missing.md: ENOENT: no such file, open 'missing.md'\n",
    });
  });
});

describe("plan-sync parse", () => {
  it("reads front matter, loading its reader only for a file that has some", async () => {
    const result = await run("parse", "plans/front.md");
    expect(JSON.parse(result.stdout)).toMatchObject({ title: "From the front matter", labels: ["a"] });
  });

  it("prints the plan as JSON", async () => {
    const result = await run("parse", "plans/good.md");
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(plan)).toEqual([
      "path",
      "format",
      "title",
      "status",
      "metadata",
      "labels",
      "optOut",
      "overview",
      "phases",
      "steps",
      "questions",
      "dependencies",
      "checklists",
      "risks",
      "references",
      "ordering",
      "diagnostics",
    ]);
    expect([plan.path, plan.title, (plan.steps as unknown[]).length]).toEqual([
      "plans/good.md",
      "Per-tenant API rate limiter",
      6,
    ]);
  });
});

describe("plan-sync preview", () => {
  const SMALL = [
    "# Implementation Plan: Search",
    "",
    "### Phase 1: Index",
    "#### Step 1.1: Schema",
    "**Status**: done",
    "#### Step 1.2: Indexer",
    "**Depends on**: Step 1.1, acme/infra#7",
    "**Assignee**: @ana",
    "",
    "## Open Questions",
    "- [ ] Which analyzer?",
    "",
  ].join("\n");
  const files = { ...FILES, "plans/search.md": SMALL };

  async function preview(...argv: string[]) {
    let stdout = "";
    let stderr = "";
    const code = await runCli(argv, {
      readFile: (path) => {
        const text = files[path as keyof typeof files] ?? CONFIGS[path];
        if (text === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
        return text;
      },
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
    });
    return { code, stdout, stderr };
  }
  const CONFIGS: Record<string, string> = {
    "list.yml": "questions: list\nlabels:\n  step: task\n",
    "bad.yml": "questions: maybe\n",
    "broken.yml": "paths: [\n",
  };

  it("lists the issues a first sync creates, numbered as in an empty repository, with their links", async () => {
    const { code, stdout, stderr } = await preview("preview", "plans/search.md", "--repo", "acme/search");
    expect([code, stderr]).toEqual([0, ""]);
    expect(stdout.split("\n## The status comment")[0]).toBe(
      [
        "# plan-sync preview of plans/search.md",
        "",
        "## 4 issues a first sync creates (numbered as in an empty repository)",
        "",
        "- #1 Plan: Search · [plan]",
        "- #2 Schema · [plan-step] · sub-issue of #1 · closed as completed (done already)",
        "- #3 Indexer · [plan-step] · @ana · sub-issue of #1 · blocked by #2, acme/infra#7",
        "- #4 Which analyzer? · [question] · sub-issue of #1",
        "",
      ].join("\n"),
    );
    expect(stdout).toContain("**Merging**: 4 issues to create.");
    expect(stdout).not.toContain("<!-- plan-sync:");
  });

  it("--bodies prints every body as a first sync writes it: the graph, the links by number, no hidden markers", async () => {
    const { code, stdout } = await preview("preview", "plans/search.md", "--repo", "acme/search", "--bodies");
    expect(code).toBe(0);
    const bodies = stdout.slice(
      stdout.indexOf("## The bodies a first sync writes"),
      stdout.indexOf("## The status comment"),
    );
    expect(bodies.match(/^### #\d+ .*$/gm)).toEqual([
      "### #1 Plan: Search",
      "### #2 Schema",
      "### #3 Indexer",
      "### #4 Which analyzer?",
    ]);
    expect(bodies).toContain("<sub>closed (completed) · labels: plan-step</sub>");
    expect(bodies).toContain('  s0["✅ 1.1 Schema"]:::done');
    expect(bodies).toContain("- ⚪ #3 Step 1.2: Indexer (ana)");
    expect(bodies).toContain("Blocked by #2\nBlocked by acme/infra#7");
    expect(bodies).not.toContain("<!--");
    expect((await preview("preview", "plans/search.md")).stdout).not.toContain("## The bodies");
  });

  it("follows the config given: questions as a list, renamed labels", async () => {
    const { code, stdout } = await preview("preview", "plans/search.md", "--config", "list.yml");
    expect(code).toBe(0);
    expect(stdout).toContain("## 3 issues a first sync creates");
    expect(stdout).toContain("- #3 Indexer · [task] · @ana · sub-issue of #1 · blocked by #2, acme/infra#7");
    expect(stdout).not.toContain("· [question]");
  });

  it("a plan with errors creates nothing, shows why and exits 1", async () => {
    const { code, stdout } = await preview("preview", "plans/error.md");
    expect(code).toBe(1);
    expect(stdout).toContain("No issues: the plan has errors, so merging it would change nothing on GitHub");
    expect(stdout).toContain("Step 1 is numbered twice");
  });

  it.each([
    [["preview"], ""],
    [["preview", "plans/search.md", "plans/good.md"], ""],
    [["preview", "plans/search.md", "--repo", "not a repo"], ""],
    [["preview", "plans/search.md", "--config", "bad.yml"], "bad.yml: questions"],
    [["preview", "plans/search.md", "--config", "broken.yml"], "broken.yml: not valid YAML"],
    [["preview", "plans/missing.md"], "plan-sync: cannot read plans/missing.md"],
  ])("exits 2 on %j", async (argv, message) => {
    const result = await preview(...argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message || "usage: plan-sync lint");
  });
});
