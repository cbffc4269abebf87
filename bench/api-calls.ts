// GitHub API calls per scenario, on the fake GitHub through the real Probot server: a first sync of an N-step
// plan, a push that changes nothing shown on GitHub, a one-step edit. Targets (brief): no-op push 0 writes and
// ≤ 3 reads per touched plan; one-step edit ≤ 2 writes; first sync ≤ 3 writes per item.
// `npx tsx bench/api-calls.ts`, or through bench/index.ts. Check-run writes and token requests are counted apart.
import { pathToFileURL } from "node:url";
import { createApp } from "../src/runtime/create-app.js";
import { startApp, type RunningApp } from "../test/support/e2e.js";

const REPO = "bench/service";
const PATH = "plans/bench.md";

/** N steps in phases of 10, each depending on the one before; one open question. */
function benchPlan(steps: number, testing = "Unit tests.", firstWhat = "Build component 1.1."): string {
  const lines = [
    `# Implementation Plan: Bench ${steps}`,
    "",
    "**Status**: In Progress",
    "",
    "## Overview",
    "Generated.",
    "",
  ];
  lines.push("## Implementation Steps", "");
  for (let index = 0; index < steps; index++) {
    const phase = Math.floor(index / 10) + 1;
    const number = `${phase}.${(index % 10) + 1}`;
    if (index % 10 === 0) lines.push(`### Phase ${phase}: Part ${phase}`, "");
    lines.push(`#### Step ${number}: Build component ${number}`);
    lines.push(`**What**: ${index === 0 ? firstWhat : `Build component ${number}.`}`);
    if (index % 10 > 0) lines.push(`**Depends on**: Step ${phase}.${index % 10}`);
    lines.push(
      "**Files**:",
      `- Create: \`src/part${phase}/c${index}.ts\``,
      "",
      "**Validation**:",
      "- [ ] Run tests",
      "",
    );
  }
  lines.push("## Testing Strategy", testing, "", "## Open Questions", "- [ ] Which cache?", "");
  return lines.join("\n");
}

interface Counts {
  reads: number;
  writes: number;
  checkRunWrites: number;
  writesByRoute: Record<string, number>;
  readsByRoute: Record<string, number>;
}

function countsOf(app: RunningApp): Counts {
  const counts: Counts = { reads: 0, writes: 0, checkRunWrites: 0, writesByRoute: {}, readsByRoute: {} };
  for (const request of app.fake.log.requests()) {
    const route = request.route ?? request.path;
    if (route.startsWith("/app/installations/")) continue; // Probot's token, not our work
    if (request.method === "GET") {
      counts.reads++;
      counts.readsByRoute[route] = (counts.readsByRoute[route] ?? 0) + 1;
    } else if (route.includes("/check-runs")) counts.checkRunWrites++;
    else {
      counts.writes++;
      const key = `${request.method} ${route}`;
      counts.writesByRoute[key] = (counts.writesByRoute[key] ?? 0) + 1;
    }
  }
  return counts;
}

async function pushPlan(app: RunningApp, text: string): Promise<Counts> {
  app.fake.commit(REPO, "main", { [PATH]: text });
  app.fake.log.clear();
  const status = await app.sendWebhook("push", app.payloads.push({ repo: REPO }));
  if (status !== 200) throw new Error(`push answered ${status}`);
  app.fake.log.assertNoUnexpectedRequests();
  return countsOf(app);
}

function row(scenario: string, counts: Counts, target: string, ok: boolean): void {
  console.log(
    `${scenario.padEnd(34)} ${String(counts.writes).padStart(6)} ${String(counts.reads).padStart(6)} ${String(counts.checkRunWrites).padStart(6)}  ${ok ? "ok  " : "MISS"} ${target}`,
  );
  if (!ok)
    console.log(
      `    writes by route: ${JSON.stringify(counts.writesByRoute)}; reads by route: ${JSON.stringify(counts.readsByRoute)}`,
    );
}

export async function run(): Promise<void> {
  console.log("\n## GitHub API calls per scenario (fake GitHub, one plan)");
  console.log(
    `${"scenario".padEnd(34)} ${"writes".padStart(6)} ${"reads".padStart(6)} ${"checks".padStart(6)}  target`,
  );
  for (const steps of [10, 100]) {
    const app = await startApp(createApp());
    try {
      app.fake.addInstallation({ id: 1, appId: app.appId, account: "bench" });
      app.fake.addRepo({ owner: "bench", name: "service", installationId: 1 });
      const first = await pushPlan(app, benchPlan(steps));
      // Items = issues created: steps, the question, the tracking issue, and phase issues past 100 sub-issues.
      const items = first.writesByRoute["POST /repos/{owner}/{repo}/issues"] ?? 0;
      row(
        `first sync, ${steps} steps (${items} issues)`,
        first,
        `≤ 3 writes/item (${(first.writes / items).toFixed(2)})`,
        first.writes <= 3 * items,
      );
      const noop = await pushPlan(app, benchPlan(steps, "Unit and integration tests."));
      // Config reads (repository, then the org's .github) are per push, not per plan.
      row(
        `no-op push, ${steps} steps`,
        noop,
        "0 writes, ≤ 3 reads/plan (+2 config)",
        noop.writes === 0 && noop.reads - 2 <= 3,
      );
      const edit = await pushPlan(
        app,
        benchPlan(steps, "Unit and integration tests.", "Build the first component."),
      );
      row(`one-step edit, ${steps} steps`, edit, "≤ 2 writes", edit.writes <= 2);
    } finally {
      await app.close();
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await run();
