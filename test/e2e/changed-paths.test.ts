// Issue #18, item 2: every change is read. When a push payload's commit list may be incomplete (empty, 20 or
// more commits, forced, a new branch) the paths come from the compare API, or past its 300 files from the tree at
// the head; a push naming thousands of plan paths costs reads in proportion to the plans that exist, capped.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningApp } from "../support/e2e.js";
import { closeChecked, issueLines, PLAN_PATH, push, RATE_LIMITER, REPO, startScenario } from "./scenario.js";

let app: RunningApp;
beforeEach(async () => {
  app = await startScenario();
  await push(app, { [PLAN_PATH]: RATE_LIMITER });
});
afterEach(() => closeChecked(app));

type Payload = Record<string, unknown> & { commits: unknown[] };
const NEW_STEP = RATE_LIMITER.replace(
  "### Phase 3: Rollout",
  "#### Step 2.3: Quota dashboard\n**What**: A per-tenant quota view.\n\n### Phase 3: Rollout",
);
const lastRun = () => app.fake.checkRuns(REPO).at(-1);
const hasIssue = (title: string) => app.fake.issues(REPO).some((issue) => issue.title === title);
/** Requests the work made (Probot's installation-token requests left out). */
const workRequests = () =>
  app.fake.log.requests().filter((request) => !(request.route ?? "").startsWith("/app/"));

async function send(payload: Payload): Promise<void> {
  const status = await app.sendWebhook("push", payload);
  if (status !== 200) throw new Error(`push webhook answered ${status}`);
}

describe("a push whose payload may not list every change", () => {
  it("an empty commits list with a head that changes the plan: the compare API names it, the step is created", async () => {
    const before = app.fake.headOf(REPO, "main");
    app.fake.commit(REPO, "main", { [PLAN_PATH]: NEW_STEP });
    app.fake.log.clear();
    await send({ ...(app.payloads.push({ repo: REPO, before }) as Payload), commits: [] });
    expect(hasIssue("Quota dashboard")).toBe(true);
    expect(lastRun()?.conclusion).toBe("success");
  });

  it("a 25-commit push whose first commit adds a step (the payload lists the last 20): the step is created", async () => {
    const before = app.fake.headOf(REPO, "main");
    app.fake.commit(REPO, "main", { [PLAN_PATH]: NEW_STEP });
    for (let index = 1; index < 25; index++)
      app.fake.commit(REPO, "main", { [`src/file-${index}.go`]: `${index}\n` });
    app.fake.log.clear();
    const payload = app.payloads.push({ repo: REPO, before }) as Payload;
    expect(payload.commits).toHaveLength(25);
    await send({ ...payload, commits: payload.commits.slice(-20) });
    expect(hasIssue("Quota dashboard")).toBe(true);
  });

  it("a force push that drops a synced edit: the plan is read again and its issue follows the file", async () => {
    const base = app.fake.headOf(REPO, "main");
    await push(app, { [PLAN_PATH]: NEW_STEP });
    expect(hasIssue("Quota dashboard")).toBe(true);
    const dropped = app.fake.headOf(REPO, "main");
    app.fake.resetBranch(REPO, "main", base);
    app.fake.commit(REPO, "main", { "README.md": "# Gateway\n" });
    app.fake.log.clear();
    await send(app.payloads.push({ repo: REPO, before: dropped, forced: true }) as Payload);
    expect(issueLines(app).find((line) => line.includes("Quota dashboard"))).toContain("closed(not_planned)");
  });

  it("past compare's 300 files: every plan at the head is synced", async () => {
    const before = app.fake.headOf(REPO, "main");
    const files: Record<string, string> = { [PLAN_PATH]: NEW_STEP };
    for (let index = 0; index < 320; index++)
      files[`assets/a-${String(index).padStart(3, "0")}.txt`] = `${index}\n`;
    app.fake.commit(REPO, "main", files);
    app.fake.log.clear();
    await send({ ...(app.payloads.push({ repo: REPO, before }) as Payload), commits: [] });
    expect(hasIssue("Quota dashboard")).toBe(true);
    expect(workRequests().map((request) => request.operationId)).toContain("git/get-tree");
  });
});

describe("a push naming thousands of plan paths", () => {
  it("3,000 listed paths that are no files cost one tree read, not 3,000", async () => {
    const paths = Array.from({ length: 3000 }, (_, index) => `plans/bulk/p-${index}.md`);
    app.fake.commit(REPO, "main", { [PLAN_PATH]: NEW_STEP });
    app.fake.log.clear();
    const payload = app.payloads.push({ repo: REPO }) as Payload;
    await send({
      ...payload,
      commits: [{ id: payload["after"], message: "bulk", added: paths, modified: [PLAN_PATH] }],
    });
    expect(hasIssue("Quota dashboard")).toBe(true);
    const requests = workRequests().length;
    console.log(`3,000 listed paths, none a file: ${requests} requests`);
    expect(requests).toBeLessThan(20);
  });

  it("3,000 plan files added in one push: at most max_plans_per_push are read; the check run names the rest", async () => {
    const files: Record<string, string> = {};
    for (let index = 0; index < 3000; index++)
      files[`plans/bulk/p-${String(index).padStart(4, "0")}.md`] =
        "---\nplan-sync: false\n---\n# Not synced\n";
    await push(app, files);
    const requests = workRequests().length;
    console.log(`3,000 plan files added: ${requests} requests`);
    expect(requests).toBeLessThan(120);
    const run = lastRun();
    expect(run?.conclusion).toBe("failure");
    expect(run?.output.title).toMatch(/^2,?900 plans not synced/);
    expect(run?.output.summary).toContain("`plans/bulk/p-0100.md`");
  });
});
