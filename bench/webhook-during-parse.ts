// How long a webhook for repository B waits for its HTTP answer while repository A's 1 MiB plan is being parsed,
// with the plan parsed inline (on the event loop) and in a worker thread (what the server does): median and max;
// and, for scale, B's answer with nothing else running. Webhooks are answered before their work runs, so the
// answer measures the event loop; B's sync (a first sync, 10 issues) is timed too, until its check run completes.
// B's push is sent from a thread of its own, so its clock runs even while the server's loop is blocked.
// `npx tsx bench/webhook-during-parse.ts`, or through bench/index.ts.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { createWorkerParser } from "../src/runtime/parse-pool.js";
import { createApp } from "../src/runtime/create-app.js";
import { parsePlan } from "../src/plan/parse.js";
import { signWebhook, startApp, until, WEBHOOK_PATH, type RunningApp } from "../test/support/e2e.js";
import { generatePlan } from "./generated-plan.js";

const RUNS = 5;
const OWNER = "bench";
const PATH = "plans/plan.md";
const RATE_LIMITER = readFileSync(new URL("../test/fixtures/plans/rate-limiter.md", import.meta.url), "utf8");

/**
 * Just under 1 MiB, seconds to parse, yet a short sync: the rate-limiter plan (six steps, three questions) and an
 * appendix shaped like a generated plan whose headings are notes, not steps.
 */
export function largePlanWithFewSteps(): string {
  const notes = generatePlan(1000 * 1024)
    .split("\n")
    .slice(6)
    .join("\n")
    .replace(/Step /g, "Note ")
    .replace(/### Phase/g, "### Part");
  return `${RATE_LIMITER}\n## Appendix: design notes\n\n${notes}`;
}

// Plain JavaScript (an eval worker): POSTs the delivery it is given and answers the status and the time it took.
const SENDER = `
const { parentPort } = require("node:worker_threads");
parentPort.on("message", async ({ url, headers, body }) => {
  const started = performance.now();
  const response = await fetch(url, { method: "POST", headers, body });
  await response.arrayBuffer();
  parentPort.postMessage({ status: response.status, ms: performance.now() - started });
});`;

const MODES = ["alone", "inline", "worker"] as const;
type Mode = (typeof MODES)[number];
const LABELS: Record<Mode, string> = {
  alone: "no parse running",
  inline: "parse inline",
  worker: "parse in worker",
};

interface Answer {
  status: number;
  ms: number;
  /** From sending B's push to its check run completed. */
  syncMs: number;
}

/** One run: A's push; the moment A's plan is asked for, B's push from the sender thread; B's answer time. */
async function oneRun(app: RunningApp, sender: Worker, run: number): Promise<Answer> {
  const [large, small] = [`${OWNER}/large-${run}`, `${OWNER}/small-${run}`];
  for (const repo of [large, small])
    app.fake.addRepo({ owner: OWNER, name: repo.split("/")[1] ?? "", installationId: 1 });
  app.fake.commit(large, "main", { [PATH]: largePlanWithFewSteps() });
  app.fake.commit(small, "main", { [PATH]: RATE_LIMITER });

  const body = JSON.stringify(app.payloads.push({ repo: small }));
  const delivery = {
    url: `${app.url}${WEBHOOK_PATH}`,
    body,
    headers: {
      "content-type": "application/json",
      "x-github-event": "push",
      "x-github-delivery": randomUUID(),
      "x-hub-signature-256": signWebhook(body, "e2e-webhook-secret"),
    },
  };
  const answered = new Promise<Omit<Answer, "syncMs">>((resolve) => sender.once("message", resolve));
  let sentAt = 0;
  // A rule that never fires: its `when` sees the moment A's plan is first requested, its parse about to start.
  let sent = false;
  const watch = app.fake.faults.add({
    route: "repos/get-content",
    status: 500,
    when: (request) => {
      const planOfA = request.params["path"] === PATH && request.params["repo"] === large.split("/")[1];
      if (planOfA && !sent) {
        sentAt = performance.now();
        sender.postMessage(delivery);
      }
      sent ||= planOfA;
      return false;
    },
  });
  const largeAnswer = app.sendWebhook("push", app.payloads.push({ repo: large }), { waitForWork: false });
  const answer = await answered;
  await until(() => app.fake.checkRuns(small)[0]?.status === "completed", {
    timeoutMs: 120_000,
    what: `${small}'s sync`,
  });
  const syncMs = performance.now() - sentAt;
  await largeAnswer;
  await until(() => app.fake.checkRuns(large)[0]?.status === "completed", {
    timeoutMs: 120_000,
    what: `${large}'s sync`,
  });
  watch.remove();
  return { ...answer, syncMs };
}

/** B's push alone: what the answer costs with no parse running. */
async function aloneRun(app: RunningApp, run: number): Promise<Answer> {
  const small = `${OWNER}/alone-${run}`;
  app.fake.addRepo({ owner: OWNER, name: small.split("/")[1] ?? "", installationId: 1 });
  app.fake.commit(small, "main", { [PATH]: RATE_LIMITER });
  const started = performance.now();
  const status = await app.sendWebhook("push", app.payloads.push({ repo: small }), { waitForWork: false });
  const ms = performance.now() - started;
  await app.idle();
  return { status, ms, syncMs: performance.now() - started };
}

async function measure(mode: Mode): Promise<Answer[]> {
  const parser = createWorkerParser();
  const app = await startApp(createApp(mode === "worker" ? { parsePlan: parser.parse } : { parsePlan }));
  app.fake.addInstallation({ id: 1, appId: app.appId, account: OWNER });
  const sender = new Worker(SENDER, { eval: true });
  try {
    const answers: Answer[] = [];
    for (let run = 0; run < RUNS; run++)
      answers.push(mode === "alone" ? await aloneRun(app, run) : await oneRun(app, sender, run));
    return answers;
  } finally {
    await sender.terminate();
    await parser.close();
    await app.close();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export async function run(): Promise<void> {
  console.log(`\n## webhook answer during a 1 MiB parse (repository B's push, ${RUNS} runs)`);
  for (const mode of MODES) {
    const answers = await measure(mode);
    const times = answers.map((answer) => answer.ms);
    const syncs = answers.map((answer) => answer.syncMs);
    const statuses = [...new Set(answers.map((answer) => answer.status))].join(", ");
    const ms = (value: number) => `${value.toFixed(0).padStart(6)} ms`;
    console.log(
      `${LABELS[mode].padEnd(17)} answer median ${ms(median(times))} max ${ms(Math.max(...times))}` +
        `   B synced median ${ms(median(syncs))} max ${ms(Math.max(...syncs))}   HTTP ${statuses}`,
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await run();
