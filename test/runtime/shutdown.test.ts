// Stopping the server: work gets a grace period; check runs still open after it are concluded `neutral`
// ("Interrupted"), never left in progress; then the shared coordination is closed.
import { afterEach, describe, expect, it } from "vitest";
import { InProcessWorkQueue } from "../../src/runtime/in-process-queue.js";
import { createApp } from "../../src/runtime/create-app.js";
import { INTERRUPTED, OpenCheckRuns, shutDown } from "../../src/runtime/shutdown.js";
import type { GitHubLayer } from "../../src/github/index.js";
import { startApp, until, type RunningApp } from "../support/e2e.js";
import { INSTALLATION, NAME, OWNER, PLAN_PATH, RATE_LIMITER, REPO } from "../e2e/scenario.js";

const quiet = { info: () => {} };

function stubGitHub(completed: Array<[number, string]>): GitHubLayer {
  return {
    completeCheckRun: async (id: number, outcome: { conclusion: string }) => {
      completed.push([id, outcome.conclusion]);
    },
  } as unknown as GitHubLayer;
}

describe("shutDown", () => {
  it("work that finishes within the grace period: nothing concluded by hand, then closed", async () => {
    const openRuns = new OpenCheckRuns();
    const completed: Array<[number, string]> = [];
    openRuns.open(stubGitHub(completed), 7);
    const work = Promise.resolve().then(() => openRuns.close(7));
    const steps: string[] = [];
    await shutDown({
      drain: () => work,
      openRuns,
      graceMs: 5_000,
      log: quiet,
      close: async () => void steps.push("close"),
    });
    expect({ completed, steps, open: openRuns.size }).toEqual({ completed: [], steps: ["close"], open: 0 });
  });

  it("work still running after the grace period: its open runs concluded as interrupted, then closed", async () => {
    const openRuns = new OpenCheckRuns();
    const completed: Array<[number, string]> = [];
    openRuns.open(stubGitHub(completed), 7);
    openRuns.open(stubGitHub(completed), 8);
    const steps: string[] = [];
    await shutDown({
      drain: () => new Promise(() => {}), // a sync waiting out an hourly limit
      openRuns,
      graceMs: 10,
      log: quiet,
      close: async () => void steps.push("close"),
    });
    expect({ completed, steps, open: openRuns.size }).toEqual({
      completed: [
        [7, "neutral"],
        [8, "neutral"],
      ],
      steps: ["close"],
      open: 0,
    });
  });
});

describe("a push's run on a stopping server", () => {
  let app: RunningApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it("is tracked while open and concluded `neutral` with the reason when it cannot finish", async () => {
    const queue = new InProcessWorkQueue();
    const openRuns = new OpenCheckRuns();
    const stuck = () => new Promise<never>(() => {}); // the parse never ends: the run cannot finish
    const running = await startApp(createApp({ queue, openRuns, parsePlan: stuck }));
    app = running;
    running.fake.addInstallation({ id: INSTALLATION, appId: running.appId, account: OWNER });
    running.fake.addRepo({ owner: OWNER, name: NAME, installationId: INSTALLATION });
    running.fake.commit(REPO, "main", { [PLAN_PATH]: RATE_LIMITER });
    await running.sendWebhook("push", running.payloads.push({ repo: REPO }), { waitForWork: false });
    await until(() => openRuns.size === 1, { what: "the push's check run to be open" });
    await shutDown({ drain: () => queue.idle(), openRuns, graceMs: 10, log: quiet, close: async () => {} });
    const [run] = running.fake.checkRuns(REPO);
    expect([run?.status, run?.conclusion, run?.output.title]).toEqual([
      "completed",
      "neutral",
      INTERRUPTED.title,
    ]);
    expect(running.fake.issues(REPO)).toEqual([]);
  });
});
