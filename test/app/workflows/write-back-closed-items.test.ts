// Which closes are written back, and the writeback recipe on an in-memory GitHub (no HTTP): where the commit goes
// and what it holds.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  closedItemOf,
  mergeClosedItems,
  writeBack,
  type WritebackRequest,
} from "../../../src/app/workflows/write-back-closed-items.js";
import type {
  EditableFile,
  WritebackBase,
  WritebackGitHub,
  WritebackWrite,
} from "../../../src/github/writeback-pull-request.js";
import { parsePlan } from "../../../src/plan/parse.js";
import { parseConfig, type Config } from "../../../src/sync/config.js";
import type { Marker } from "../../../src/sync/model.js";

const PLAN = readFileSync(new URL("../../fixtures/plans/rate-limiter.md", import.meta.url), "utf8");
const PATH = "plans/rate-limiter.md";
const BRANCH = "plan-sync/writeback/plans-rate-limiter-md-3ff93b";

function configWith(writeback: "off" | "pull_request"): Config {
  const parsed = parseConfig({ writeback });
  if (!parsed.ok) throw new Error(parsed.errors.join("; "));
  return parsed.config;
}

const marker = (kind: Marker["kind"], item: string) => ({ kind, item }) as Marker;

describe("closedItemOf", () => {
  const on = configWith("pull_request");
  it.each([
    ["closed, completed, step, on", "closed", "completed", marker("step", "step:2.1"), on, true],
    ["closed, completed, question", "closed", "completed", marker("question", "question:q"), on, true],
    ["closed as not planned", "closed", "not_planned", marker("step", "step:2.1"), on, false],
    ["closed without a reason", "closed", null, marker("step", "step:2.1"), on, false],
    ["reopened", "reopened", "reopened", marker("step", "step:2.1"), on, false],
    ["edited", "edited", "completed", marker("step", "step:2.1"), on, false],
    ["the tracking issue", "closed", "completed", marker("tracking", "tracking"), on, false],
    ["a phase issue", "closed", "completed", marker("phase", "phase:1"), on, false],
    ["writeback off", "closed", "completed", marker("step", "step:2.1"), configWith("off"), false],
  ] as const)("%s", (_name, action, reason, issueMarker, config, due) => {
    const payload = { action, issue: { number: 4, state_reason: reason } };
    expect(closedItemOf(payload, issueMarker, config)).toEqual(
      due ? { item: issueMarker.item, issue: 4 } : null,
    );
  });

  it("closes waiting together are merged by item, the later one last", () => {
    const a = { item: "step:2.1", issue: 4 };
    const b = { item: "step:2.2", issue: 5 };
    expect(mergeClosedItems([a, b], [{ ...a, issue: 9 }])).toEqual([b, { ...a, issue: 9 }]);
  });
});

/** A repository in memory: files by ref, the writeback base to answer, the writes received. */
class MemoryGitHub implements WritebackGitHub {
  readonly writes: WritebackWrite[] = [];
  constructor(
    private readonly files: Record<string, string>,
    private readonly base: WritebackBase,
  ) {}
  async readEditableFile(ref: string, path: string): Promise<EditableFile | null> {
    const text = this.files[`${ref}:${path}`];
    return text === undefined ? null : { text, blobSha: `blob-of-${ref}` };
  }
  async branchHead(branch: string) {
    return branch === "main" ? "main-sha" : null;
  }
  async writebackBase() {
    return this.base;
  }
  async writeWriteback(write: WritebackWrite) {
    this.writes.push(write);
    return { pr: 11, created: write.base.kind !== "open", commit: "new-sha" };
  }
}

const request = (items: WritebackRequest["items"]): WritebackRequest => ({
  path: PATH,
  defaultBranch: "main",
  botLogins: ["plan-sync[bot]"],
  items,
  maxItems: 500,
});
const deps = { parsePlan };
const tick = (text: string, heading: string) => text.replace(`#### ${heading}`, `#### [x] ${heading}`);

describe("writeBack", () => {
  it("a new branch: the default head's file, ticked, with its blob sha", async () => {
    const github = new MemoryGitHub(
      { [`main-sha:${PATH}`]: PLAN },
      { kind: "new", from: "main-sha", branchExists: false },
    );
    const outcome = await writeBack(github, request([{ item: "step:2.1", issue: 4 }]), deps);
    expect(outcome).toEqual({
      status: "written",
      pr: 11,
      created: true,
      commit: "new-sha",
      items: ["step:2.1"],
      skipped: [],
    });
    const [write] = github.writes;
    expect([write?.branch, write?.file.blobSha, write?.title]).toEqual([
      BRANCH,
      "blob-of-main-sha",
      `plan-sync: mark done in ${PATH}`,
    ]);
    expect(write?.text).toBe(tick(PLAN, "Step 2.1: Middleware"));
  });

  it("our open PR: the branch's file gets the next tick, and the body lists both", async () => {
    const onBranch = tick(PLAN, "Step 2.1: Middleware");
    const pr = {
      number: 11,
      body: '<!-- plan-sync:writeback {"path":"plans/rate-limiter.md","items":[{"item":"step:2.1","issue":4,"label":"Step 2.1: Middleware"}]} -->',
    };
    const github = new MemoryGitHub(
      { [`main-sha:${PATH}`]: PLAN, [`branch-sha:${PATH}`]: onBranch },
      { kind: "open", head: "branch-sha", pr },
    );
    const outcome = await writeBack(github, request([{ item: "step:2.2", issue: 5 }]), deps);
    expect(outcome.status).toBe("written");
    const [write] = github.writes;
    expect(write?.file.blobSha).toBe("blob-of-branch-sha");
    expect(write?.text).toBe(tick(onBranch, "Step 2.2: Limits admin endpoint"));
    expect(write?.body).toContain("- Step 2.1: Middleware — #4\n- Step 2.2: Limits admin endpoint — #5\n");
  });

  it("an item the open PR ticked already writes nothing", async () => {
    const onBranch = tick(PLAN, "Step 2.1: Middleware");
    const github = new MemoryGitHub(
      { [`main-sha:${PATH}`]: PLAN, [`branch-sha:${PATH}`]: onBranch },
      { kind: "open", head: "branch-sha", pr: { number: 11, body: "" } },
    );
    const outcome = await writeBack(github, request([{ item: "step:2.1", issue: 4 }]), deps);
    expect(outcome).toEqual({ status: "nothing", reason: `${BRANCH} marks the items done already` });
    expect(github.writes).toEqual([]);
  });

  it.each([
    [
      "done on the default branch",
      PLAN,
      [{ item: "step:3.1", issue: 6 }],
      "the plan marks the items done already, or has no mark to tick",
    ],
    [
      "gone from the plan",
      PLAN,
      [{ item: "step:9.9", issue: 6 }],
      "the plan marks the items done already, or has no mark to tick",
    ],
    [
      "a plan with errors",
      PLAN.replace("#### Step 2.2:", "#### Step 2.1:"),
      [{ item: "step:2.1", issue: 4 }],
      "the plan is not applied (errors, or plan-sync: false)",
    ],
  ])("%s: nothing written", async (_name, text, items, reason) => {
    const github = new MemoryGitHub(
      { [`main-sha:${PATH}`]: text },
      { kind: "new", from: "main-sha", branchExists: false },
    );
    expect(await writeBack(github, request(items), deps)).toEqual({ status: "nothing", reason });
    expect(github.writes).toEqual([]);
  });

  it("a branch ending with a person's commit is left alone", async () => {
    const github = new MemoryGitHub(
      { [`main-sha:${PATH}`]: PLAN },
      { kind: "foreign", head: "theirs", author: "alice" },
    );
    expect(await writeBack(github, request([{ item: "step:2.1", issue: 4 }]), deps)).toEqual({
      status: "left",
      reason: `${BRANCH} ends with a commit by alice; merge or delete it to resume`,
    });
    expect(github.writes).toEqual([]);
  });

  it("an edit the parser does not read as exactly that item done is dropped, the others are written", async () => {
    // A parser that sees Step 2.2's edit also change another step: that tick is refused.
    const skewed = (text: string, options: Parameters<typeof parsePlan>[1]) => {
      const plan = parsePlan(text, options);
      const admin = plan.steps.find((step) => step.key === "2.2");
      if (admin?.done)
        plan.steps.forEach((step) => step.key === "1.1" && Object.assign(step, { title: "changed" }));
      return plan;
    };
    const github = new MemoryGitHub(
      { [`main-sha:${PATH}`]: PLAN },
      { kind: "new", from: "main-sha", branchExists: false },
    );
    const items = [
      { item: "step:2.2", issue: 5 },
      { item: "step:2.1", issue: 4 },
    ];
    const outcome = await writeBack(github, request(items), { parsePlan: skewed });
    expect(outcome).toMatchObject({ status: "written", items: ["step:2.1"], skipped: ["step:2.2"] });
    expect(github.writes[0]?.text).toBe(tick(PLAN, "Step 2.1: Middleware"));
  });
});
