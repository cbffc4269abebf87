// The example plans of test/fixtures/plans, parsed and synced into an empty in-memory repository: what the body
// snapshots and the mermaid syntax test read.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parsePlan } from "../../src/plan/parse.js";
import { InMemoryGitHub, sync } from "./in-memory-github.js";
import { config, REPO } from "./plan-builder.js";

export const FIXTURES = {
  small: { file: "rate-limiter.md", path: "plans/rate-limiter.md" },
  "36-step": { file: "accounts-36-steps.md", path: "plans/accounts.md" },
  "kiro nested": { file: "kiro-tasks.example.md", path: ".kiro/specs/notification-preferences/tasks.md" },
  "spec-kit": { file: "speckit-tasks.example.md", path: "specs/001-photo-albums/tasks.md" },
} as const;

export type FixtureName = keyof typeof FIXTURES;

const synced = new Map<FixtureName, ReturnType<typeof syncOnce>>();

/** Synced once per test file (the 36-step plan takes a few seconds of rounds); callers only read it. */
export function syncedFixture(name: FixtureName) {
  const known = synced.get(name);
  if (known) return known;
  const fresh = syncOnce(name);
  synced.set(name, fresh);
  return fresh;
}

function syncOnce(name: FixtureName) {
  const { file, path } = FIXTURES[name];
  // A path, not a URL object: under happy-dom (the mermaid test) the global URL is the DOM's, which fs refuses.
  const text = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "../fixtures/plans", file), "utf8");
  const plan = parsePlan(text, { path });
  const github = new InMemoryGitHub();
  const input = {
    plan,
    path,
    previousPath: null,
    config: config({ ticket_links: { INFRA: "https://jira.example.com/browse/{key}" } }),
    context: REPO,
    referenceStates: { "acme/gateway#41": { state: "closed" as const } },
  };
  const result = sync(github, input);
  return { plan, github, input, result };
}

/** The mermaid blocks of a body, as written between their fences. */
export function mermaidBlocks(body: string): string[] {
  return [...body.matchAll(/^```mermaid\n([\s\S]*?)\n```$/gm)].map((match) => match[1] ?? "");
}
