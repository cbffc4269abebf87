// Faults on the fake GitHub: rate limits waited out, creates GitHub committed but answered with an error,
// redelivered webhooks. The app runs with the production Octokit class (createApp's) and its throttling ON;
// only the limiters' spacing (1 s between writes, 3 s between creates) is set to 0 so the tests stay fast.
import Bottleneck from "bottleneck";
import { afterEach, describe, expect, it } from "vitest";
import { createApp, type AppOptions } from "../../src/runtime/create-app.js";
import { startApp, until, type RunningApp } from "../support/e2e.js";
import {
  bigPlan,
  INSTALLATION,
  NAME,
  OWNER,
  PLAN_PATH,
  RATE_LIMITER,
  RATE_LIMITER_TITLES,
  REPO,
  push,
  writes,
  closeChecked,
} from "./scenario.js";

const MARKER_ITEM = /<!-- plan-sync:marker \{.*?"item":"((?:[^"\\]|\\.)*)"/;

let app: RunningApp | undefined;
afterEach(async () => {
  const running = app;
  app = undefined;
  if (running) await closeChecked(running);
});

async function startThrottled(options: { seed?: number } & AppOptions = {}): Promise<RunningApp> {
  const { seed, ...appOptions } = options;
  const unspaced = () => new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 });
  const started = await startApp(createApp({ now: () => new Date("2026-11-25T10:00:00Z"), ...appOptions }), {
    octokit: { throttle: { enabled: true, write: unspaced(), notifications: unspaced() } },
    ...(seed === undefined ? {} : { fakeOptions: { seed } }),
  });
  started.fake.addInstallation({ id: INSTALLATION, appId: started.appId, account: OWNER });
  started.fake.addRepo({ owner: OWNER, name: NAME, installationId: INSTALLATION });
  return started;
}

/** Open issues per marker item, for the ones held by more than one open issue. */
function openDuplicates(running: RunningApp): Record<string, number[]> {
  const byItem = new Map<string, number[]>();
  for (const issue of running.fake.issues(REPO)) {
    const item = MARKER_ITEM.exec(issue.body ?? "")?.[1];
    if (issue.state !== "open" || item === undefined) continue;
    byItem.set(item, [...(byItem.get(item) ?? []), issue.number]);
  }
  return Object.fromEntries([...byItem].filter(([, numbers]) => numbers.length > 1));
}

describe("a secondary rate limit", () => {
  it("with retry-after: 2 on an issue create is waited out: no write before it passes, the sync completes", async () => {
    app = await startThrottled();
    const limit = app.fake.faults.secondaryRateLimit("issues/create", { retryAfter: 2 });
    await push(app, { [PLAN_PATH]: RATE_LIMITER });

    expect(limit.fired).toBe(1);
    const sent = writes(app);
    const limited = sent.findIndex((request) => request.outcome === "fault");
    const hit = sent[limited];
    expect([hit?.route, hit?.status]).toEqual(["/repos/{owner}/{repo}/issues", 403]);
    const after = sent.slice(limited + 1);
    const waited = Math.min(...after.map((request) => request.at)) - (hit?.at ?? 0);
    console.log(`secondary limit: first write after the 403 came ${waited} ms later (retry-after: 2 s)`);
    expect(after.filter((request) => request.at < (hit?.at ?? 0) + 2000)).toEqual([]);
    expect(after[0]?.route).toBe("/repos/{owner}/{repo}/issues");
    expect(app.fake.issues(REPO)).toHaveLength(10);
    expect(openDuplicates(app)).toEqual({});
    expect(app.fake.checkRuns(REPO).map((run) => run.conclusion)).toEqual(["success"]);
  }, 20_000);
});

describe("creates GitHub committed but answered 502", () => {
  it("30% of them (seeded): after the sync, no two open issues hold the same plan item", async () => {
    app = await startThrottled({ seed: 7 });
    const flaky = app.fake.faults.add({
      route: "issues/create",
      status: 502,
      afterCommit: true,
      probability: 0.3,
      times: Infinity,
    });
    await push(app, { [PLAN_PATH]: RATE_LIMITER });
    const creates = app.fake.log.requests({ operationId: "issues/create" }).length;
    const [run] = app.fake.checkRuns(REPO);
    const markers = app.fake.issues(REPO).filter((issue) => MARKER_ITEM.test(issue.body ?? ""));
    const duplicates = markers.length - 10;
    console.log(
      `502 after commit: ${flaky.fired} of ${creates} creates answered 502; ${markers.length} issues for 10 items (${duplicates} duplicates); check ${run?.conclusion}`,
    );
    expect(flaky.fired).toBeGreaterThan(0);
    expect(run?.conclusion).toBe("success");
    expect(openDuplicates(app)).toEqual({});
    expect(markers).toHaveLength(10);
  }, 30_000);
});

describe("a create answered 502 while a person's issue holds the same title and body", () => {
  it("is not taken for ours: the person's issue is never linked or written, ours is created", async () => {
    const running = await startThrottled();
    app = running;
    let mallory = 0;
    running.fake.faults.add({
      route: "issues/create",
      status: 502,
      times: 1,
      when: (request) => {
        if (request.body["title"] !== "Middleware") return false;
        // The copy lands just before GitHub answers: the newest issue with our exact text is hers.
        const copy = { title: "Middleware", body: String(request.body["body"]) };
        mallory = running.fake.createIssue(REPO, copy, { as: "mallory" }).number;
        return true;
      },
    });
    await push(app, { [PLAN_PATH]: RATE_LIMITER });
    expect(mallory).toBeGreaterThan(0);
    const touching = writes(running).filter(
      (request) =>
        request.path.endsWith(`/issues/${mallory}`) ||
        request.path.includes(`/issues/${mallory}/`) ||
        JSON.stringify(request.body ?? {}).includes(
          `"sub_issue_id":${running.fake.issue(REPO, mallory).id}`,
        ) ||
        JSON.stringify(request.body ?? {}).includes(`"issue_id":${running.fake.issue(REPO, mallory).id}`),
    );
    expect(touching).toEqual([]);
    const ours = running.fake
      .issues(REPO)
      .filter((issue) => issue.title === "Middleware" && issue.user?.login !== "mallory");
    expect(ours).toHaveLength(1);
    expect(running.fake.checkRuns(REPO).map((run) => run.conclusion)).toEqual(["success"]);
  });
});

describe("the same delivery twice", () => {
  it("handled successfully the first time: the second changes nothing", async () => {
    app = await startThrottled();
    app.fake.commit(REPO, "main", { [PLAN_PATH]: RATE_LIMITER });
    const payload = app.payloads.push({ repo: REPO });
    expect(await app.sendWebhook("push", payload, { deliveryId: "same-1" })).toBe(200);
    expect(app.fake.issues(REPO)).toHaveLength(10);
    app.fake.log.clear();
    expect(await app.sendWebhook("push", payload, { deliveryId: "same-1" })).toBe(200);
    expect(app.fake.log.requests()).toEqual([]);
    // Another delivery of the same push (a new id) is handled: it reads, and writes nothing new.
    expect(await app.sendWebhook("push", payload, { deliveryId: "same-2" })).toBe(200);
    expect(app.fake.log.requests().length).toBeGreaterThan(0);
    expect(writes(app).map((request) => request.route)).toEqual([
      "/repos/{owner}/{repo}/check-runs",
      "/repos/{owner}/{repo}/check-runs/{check_run_id}",
    ]);
  });

  it("whose first handling failed mid-sync: the redelivery completes it, without duplicates", async () => {
    app = await startThrottled();
    app.fake.commit(REPO, "main", { [PLAN_PATH]: RATE_LIMITER });
    const payload = app.payloads.push({ repo: REPO });
    // The fourth create fails for good (a 4xx is not retried): the sync stops there, its check run failed.
    let creates = 0;
    const fault = app.fake.faults.add({ route: "issues/create", status: 422, when: () => ++creates === 4 });
    expect(await app.sendWebhook("push", payload, { deliveryId: "retry-1" })).toBe(200);
    expect(fault.fired).toBe(1);
    expect(app.fake.issues(REPO)).toHaveLength(3);
    expect(await app.sendWebhook("push", payload, { deliveryId: "retry-1" })).toBe(200);
    expect(app.fake.issues(REPO)).toHaveLength(10);
    expect(openDuplicates(app)).toEqual({});
    expect(app.fake.checkRuns(REPO).map((run) => run.conclusion)).toEqual(["failure", "success"]);
  });
});

describe("two pushes at the same time", () => {
  it("of the same plan: synced one after the other, no duplicates", async () => {
    app = await startThrottled();
    app.fake.commit(REPO, "main", { [PLAN_PATH]: RATE_LIMITER });
    const first = app.payloads.push({ repo: REPO });
    app.fake.commit(REPO, "main", { [PLAN_PATH]: RATE_LIMITER.replace("Token bucket", "Token-bucket") });
    const second = app.payloads.push({ repo: REPO });
    const running = app;
    expect(
      await Promise.all([running.sendWebhook("push", first), running.sendWebhook("push", second)]),
    ).toEqual([200, 200]);
    const markers = running.fake.issues(REPO).filter((issue) => MARKER_ITEM.test(issue.body ?? ""));
    expect(markers).toHaveLength(10);
    expect(openDuplicates(running)).toEqual({});
    expect(running.fake.checkRuns(REPO).map((run) => run.conclusion)).toEqual(["success", "success"]);
  });
});

describe("503s and late events", () => {
  it("503s on updates are retried: the edit lands once, the check run succeeds", async () => {
    app = await startThrottled();
    await push(app, { [PLAN_PATH]: RATE_LIMITER });
    const unavailable = app.fake.faults.add({ route: "issues/update", status: 503, times: 2 });
    await push(app, {
      [PLAN_PATH]: RATE_LIMITER.replace("#### Step 1.1: Token bucket script", "#### Step 1.1: Bucket script"),
    });
    expect(unavailable.fired).toBe(2);
    const updates = app.fake.log.requests({ operationId: "issues/update" });
    expect(updates.map((request) => request.status)).toEqual([
      503,
      503,
      200,
      ...updates.slice(3).map(() => 200),
    ]);
    expect(app.fake.issues(REPO).filter((issue) => issue.title.includes("Bucket script"))).toHaveLength(1);
    expect(app.fake.checkRuns(REPO).map((run) => run.conclusion)).toEqual(["success", "success"]);
  });

  it("a newer push delivered before an older one: the final state is the newer plan", async () => {
    app = await startThrottled();
    app.fake.commit(REPO, "main", { [PLAN_PATH]: RATE_LIMITER });
    const older = app.payloads.push({ repo: REPO });
    app.fake.commit(REPO, "main", {
      [PLAN_PATH]: RATE_LIMITER.replace("#### Step 1.1: Token bucket script", "#### Step 1.1: Newer title"),
    });
    const newer = app.payloads.push({ repo: REPO });
    expect(await app.sendWebhook("push", newer)).toBe(200);
    expect(await app.sendWebhook("push", older)).toBe(200);
    const titles = app.fake.issues(REPO).map((issue) => issue.title);
    expect(titles.filter((title) => title.includes("Newer title"))).toHaveLength(1);
    expect(titles.filter((title) => title.includes("Token bucket script"))).toEqual([]);
    expect(openDuplicates(app)).toEqual({});
  });
});

describe("a first sync past the hourly budget", () => {
  // The hour scaled to 3 s (15 writes in it); a request waits out at most 1 s of `retry-after` (60 s in
  // production), so a longer wait pauses the sync: the check run says how far it got, and the run resumes itself.
  it("pauses, says how far it got, and resumes by itself until every issue exists", async () => {
    const running = await startThrottled({ maxRateLimitWaitSeconds: 1 });
    app = running;
    running.fake.faults.writeBudget({ perMinute: 1000, perHour: 15, minuteMs: 50 });
    running.fake.commit(REPO, "main", { [PLAN_PATH]: RATE_LIMITER });
    expect(await running.sendWebhook("push", running.payloads.push({ repo: REPO }))).toBe(200);
    // What the run said while in progress, as sent (the report at the pause may be refused under the same limit).
    const reports = running.fake.log
      .requests({ method: "PATCH", route: "/repos/{owner}/{repo}/check-runs/{check_run_id}" })
      .map((request) => request.body as { status?: string; output?: { title: string; summary: string } })
      .filter((body) => body.status === "in_progress")
      .map((body) => body.output ?? { title: "", summary: "" });
    const titles = new Set(reports.map((output) => output.title.replace(/\d\d:\d\d/, "HH:MM")));
    expect(titles).toEqual(
      new Set([
        "Paused by GitHub's rate limit: 1 plan resume at HH:MM UTC",
        "Resuming 1 plan paused by GitHub's rate limit",
      ]),
    );
    for (const output of reports)
      expect(output.summary).toMatch(
        /\*\*paused\*\* by GitHub's rate limit[\s\S]*\nProgress: ([1-9]|10) of 10 issues created so far\./,
      );
    const [run] = running.fake.checkRuns(REPO);
    console.log(
      `hourly budget (15 writes per 3 s hour): ${running.fake.issues(REPO).length} issues, ${writes(running).length} writes, ${running.fake.log.requests({ outcome: "fault" }).length} refused`,
    );
    expect([run?.status, run?.conclusion, run?.output.title]).toEqual([
      "completed",
      "success",
      "1 plan in sync",
    ]);
    expect(running.fake.issues(REPO).map((issue) => issue.title)).toEqual(RATE_LIMITER_TITLES);
    expect(openDuplicates(running)).toEqual({});
  }, 60_000);
});

describe("a 120-step plan under a write budget", () => {
  // GitHub's 80 content-creating writes a minute (500 an hour), with the minute scaled to 5 s (the hour to
  // 60 s): the same budget per window, the back-offs (retry-after, at least 1 s) real.
  it("ends with every issue and no duplicates", async () => {
    app = await startThrottled();
    app.fake.faults.writeBudget({ perMinute: 80, perHour: 500, minuteMs: 5000 });
    const started = performance.now();
    app.fake.commit(REPO, "main", { "plans/big.md": bigPlan(12, 10) });
    app.fake.log.clear();
    // Probot answers 202 when a handler runs past its answer timeout; the sync goes on.
    expect([200, 202]).toContain(await app.sendWebhook("push", app.payloads.push({ repo: REPO })));
    const running = app;
    await until(() => running.fake.checkRuns(REPO)[0]?.conclusion ?? undefined, {
      timeoutMs: 50_000,
      what: "the check run",
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const limited = app.fake.log.requests({ outcome: "fault" }).length;
    const steps = app.fake.issues(REPO).filter((issue) => /"kind":"step"/.test(issue.body ?? ""));
    console.log(
      `120-step plan, 80 writes per 5 s window: ${app.fake.issues(REPO).length} issues, ${writes(app).length} writes, ${limited} answered with a secondary limit, ${seconds} s`,
    );
    expect(limited).toBeGreaterThan(0);
    expect(steps).toHaveLength(120);
    expect(openDuplicates(app)).toEqual({});
    expect(app.fake.checkRuns(REPO).map((run) => run.conclusion)).toEqual(["success"]);
  }, 60_000);
});
