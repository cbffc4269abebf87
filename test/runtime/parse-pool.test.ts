// The worker parser: the same Plan as parsePlan, a time limit that refuses the plan and replaces the worker,
// a crash answered as a refused plan, and parses beyond the pool size queued in order.
import { readdirSync, readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { generatePlan } from "../../bench/generated-plan.js";
import { createWorkerParser, type WorkerParser } from "../../src/runtime/parse-pool.js";
import type { ParseOptions, Plan } from "../../src/plan/model.js";
import { parsePlan } from "../../src/plan/parse.js";
import { until } from "../support/e2e.js";

const PLANS = new URL("../fixtures/plans/", import.meta.url);
const EXAMPLES = readdirSync(PLANS)
  .filter((name) => name.endsWith(".md"))
  .sort();
const example = (name: string) => readFileSync(new URL(name, PLANS), "utf8");
const RATE_LIMITER = example("rate-limiter.md");

const refused = (why: string) => [
  {
    severity: "error",
    rule: "parse-timeout",
    message:
      `plan-sync stopped reading this file: ${why}. Split it into smaller plans or simplify its markdown ` +
      "(very long tables, code blocks or lists), then push again. Nothing is applied.",
    line: 1,
    column: 1,
  },
];

/** What a refused plan holds besides its diagnostic: nothing. */
const nothingRead = (plan: Plan) => ({
  path: plan.path,
  format: plan.format,
  title: plan.title,
  steps: plan.steps.length,
  phases: plan.phases.length,
  questions: plan.questions.length,
});

const pools: WorkerParser[] = [];
/** A parser that sends every plan to its one lane of workers, however small. */
const pool = (options: Parameters<typeof createWorkerParser>[0] = {}) => {
  const created = createWorkerParser({ inlineBelowBytes: 0, smallBelowBytes: 0, ...options });
  pools.push(created);
  return created;
};
afterEach(async () => {
  await Promise.all(pools.splice(0).map((created) => created.close()));
});

describe("the worker parser answers what parsePlan answers", () => {
  let shared: WorkerParser;
  beforeAll(() => {
    shared = createWorkerParser({ inlineBelowBytes: 0 });
  });
  afterAll(() => shared.close());

  it.each([
    ["accounts-36-steps.md", "implementation-plan", 36],
    ["kiro-tasks.example.md", "nested-checklist", 8],
    ["rate-limiter.md", "implementation-plan", 6],
    ["speckit-tasks.example.md", "task-list", 8],
    ["template.md", "implementation-plan", 0],
  ])("%s: %s, %i steps", async (name, format, steps) => {
    const options = { path: `plans/${name}`, maxItems: 50 };
    const plan = await shared.parse(example(name), options);
    expect([plan.format, plan.steps.length]).toEqual([format, steps]);
    expect(plan).toEqual(parsePlan(example(name), options));
  });

  it("covers every example plan", () => {
    expect(EXAMPLES).toEqual([
      "accounts-36-steps.md",
      "kiro-tasks.example.md",
      "rate-limiter.md",
      "speckit-tasks.example.md",
      "template.md",
    ]);
  });

  it("a plan over max_items, with its diagnostic", async () => {
    const options = { path: "plans/rate-limiter.md", maxItems: 2 };
    const plan = await shared.parse(RATE_LIMITER, options);
    expect(plan.diagnostics.map((diagnostic) => diagnostic.rule)).toContain("too-many-items");
    expect(plan).toEqual(parsePlan(RATE_LIMITER, options));
  });
});

describe("a parse over the time limit", () => {
  // ~3.6 MiB: seconds of parsing. The limit is a third of its parse measured here, on this machine at its
  // present load, so the worker's parse is well under way and far from done when it is stopped.
  const large = generatePlan(3_600 * 1024);
  const largeOptions = { path: "plans/large.md", maxItems: 5_000, maxBytes: 4 << 20, maxLines: 200_000 };
  let limitMs = 0;
  beforeAll(() => {
    const started = performance.now();
    parsePlan(large, largeOptions);
    limitMs = Math.max(50, Math.round((performance.now() - started) / 3));
  });
  const STOPPED =
    /^plan-sync stopped reading this file: (.+), while (reading the markdown blocks|reading the inline text|building the markdown tree|looking for steps|checking the steps) at line (\d+) \(`(.+)`\)\. Split it into smaller plans or simplify its markdown \(very long tables, code blocks or lists\), starting around that line, then push again\. Nothing is applied\.$/;

  /** The parts of a refusal that names where the parse stopped; null if it names no place. */
  const stoppedAt = (plan: Plan) => {
    const [diagnostic] = plan.diagnostics;
    const match = STOPPED.exec(diagnostic?.message ?? "");
    if (!diagnostic || !match) return null;
    const [, why, stage, line, excerpt] = match as unknown as [string, string, string, string, string];
    return { why, stage, line: Number(line), excerpt, diagnostic };
  };

  it("is refused with parse-timeout at the line it had reached, and the next parse gets a fresh worker", async () => {
    const parser = pool({ timeoutMs: limitMs });
    const plan = await parser.parse(large, largeOptions);
    const stopped = stoppedAt(plan);
    expect(stopped, plan.diagnostics[0]?.message).not.toBeNull();
    const { why, line, excerpt, diagnostic } = stopped!;
    expect(why).toBe(`it took longer than the ${limitMs / 1000} s limit`);
    expect(diagnostic).toMatchObject({ severity: "error", rule: "parse-timeout", line, column: 1 });
    expect(plan.diagnostics).toHaveLength(1);
    // The line is one of the file's, and the message quotes its beginning (backticks as quotes).
    const lines = large.split("\n");
    expect(line).toBeGreaterThanOrEqual(1);
    expect(line).toBeLessThanOrEqual(lines.length);
    const quoted = lines[line - 1]!.trim().replaceAll("`", "'");
    expect(quoted.startsWith(excerpt.replace(/…$/, "")), `${quoted} / ${excerpt}`).toBe(true);
    expect(nothingRead(plan)).toEqual({
      path: "plans/large.md",
      format: "unknown",
      title: null,
      steps: 0,
      phases: 0,
      questions: 0,
    });
    expect(parser.workers).toBe(0);

    const options = { path: "plans/rate-limiter.md" };
    expect(await parser.parse(RATE_LIMITER, options)).toEqual(parsePlan(RATE_LIMITER, options));
    expect(parser.workers).toBe(1);
  });
});

describe("a worker that dies", () => {
  it("answers a refused plan (no unhandled error), and so does the next parse's fresh worker", async () => {
    // A heap too small to load the parser's modules: the worker is killed before it reads anything.
    const parser = pool({ resourceLimits: { maxOldGenerationSizeMb: 1 } });
    const why = "its worker failed (Worker terminated due to reaching memory limit: JS heap out of memory)";
    const first = await parser.parse(RATE_LIMITER, { path: "plans/a.md" });
    const second = await parser.parse(RATE_LIMITER, { path: "plans/b.md" });
    expect([first.path, first.diagnostics, second.path, second.diagnostics]).toEqual([
      "plans/a.md",
      refused(why),
      "plans/b.md",
      refused(why),
    ]);
    expect(parser.workers).toBe(0);
  });

  it("options a worker cannot receive are answered the same way", async () => {
    const parser = pool();
    const options = { path: "plans/a.md", maxItems: () => 5 } as unknown as ParseOptions;
    const plan = await parser.parse(RATE_LIMITER, options);
    expect(plan.diagnostics).toEqual(
      refused("it could not be sent to a worker (() => 5 could not be cloned.)"),
    );
  });
});

describe("parses beyond the pool size", () => {
  it.each([
    [1, 3, 2],
    [2, 3, 1],
    [2, 1, 0],
  ])("%i worker(s), %i parses at once: %i wait", async (workers, parses, waiting) => {
    const parser = pool({ workers });
    const finished: string[] = [];
    const paths = Array.from({ length: parses }, (_, index) => `plans/p${index}.md`);
    const answers = paths.map((path) =>
      parser.parse(RATE_LIMITER, { path }).then((plan) => {
        finished.push(plan.path);
        return plan;
      }),
    );
    expect({ waiting: parser.waiting, workers: parser.workers }).toEqual({
      waiting,
      workers: Math.min(workers, parses),
    });
    const plans = await Promise.all(answers);
    expect(plans).toEqual(paths.map((path) => parsePlan(RATE_LIMITER, { path })));
    if (workers === 1) expect(finished).toEqual(paths); // one worker: first come, first served
    expect(parser.waiting).toBe(0);
  });
});

describe("the pool's life", () => {
  it.each([
    ["a plan under inlineBelowBytes is parsed inline", Buffer.byteLength(RATE_LIMITER) + 1, 0],
    ["one of inlineBelowBytes or more in a worker", Buffer.byteLength(RATE_LIMITER), 1],
  ])("%s", async (_what, inlineBelowBytes, workers) => {
    const parser = pool({ inlineBelowBytes });
    const plan = await parser.parse(RATE_LIMITER, { path: "plans/a.md" });
    expect([plan.steps.length, parser.workers]).toEqual([6, workers]);
  });

  it("by default no plan is parsed inline: a small one goes to a worker of its own", async () => {
    const parser = createWorkerParser();
    pools.push(parser);
    const plan = await parser.parse(RATE_LIMITER, { path: "plans/a.md" });
    expect([plan.steps.length, parser.workers]).toEqual([6, 1]);
  });

  it("a small plan is not held behind a large parse; past its own limit it is refused", async () => {
    const parser = createWorkerParser({ smallTimeoutMs: 1 });
    pools.push(parser);
    const large = parser.parse(RATE_LIMITER.repeat(20), { path: "plans/large.md" });
    const small = await parser.parse(RATE_LIMITER, { path: "plans/small.md" });
    expect(small.diagnostics.map((diagnostic) => diagnostic.message)).toEqual([
      expect.stringContaining("it took longer than the 0.001 s limit"),
    ]);
    expect((await large).steps.length).toBeGreaterThan(0);
  });

  it("an idle worker ends after idleMs", async () => {
    const parser = pool({ idleMs: 1 });
    await parser.parse(RATE_LIMITER, { path: "plans/a.md" });
    await until(() => parser.workers === 0, { what: "the idle worker to end" });
    expect((await parser.parse(RATE_LIMITER, { path: "plans/a.md" })).steps.length).toBe(6);
  });

  it("close() refuses the parses in progress and waiting, then parse() rejects", async () => {
    const parser = pool();
    const answers = [
      parser.parse(RATE_LIMITER, { path: "plans/a.md" }),
      parser.parse(RATE_LIMITER, { path: "plans/b.md" }),
    ];
    await parser.close();
    const plans = await Promise.all(answers);
    expect(plans.map((plan) => [plan.path, plan.diagnostics])).toEqual([
      ["plans/a.md", refused("plan-sync was stopping")],
      ["plans/b.md", refused("plan-sync was stopping")],
    ]);
    expect(parser.workers).toBe(0);
    await expect(parser.parse(RATE_LIMITER, { path: "plans/c.md" })).rejects.toThrow(
      "the parse pool is closed",
    );
  });
});
