// Hand-made Plans for sync tests: only the fields a test cares about, the rest filled with neutral values.
import type { DependsOn, Phase, Plan, Question, Step } from "../../src/plan/model.js";
import { defaultConfig, type Config } from "../../src/sync/config.js";
import type { RepoContext } from "../../src/sync/model.js";

export const REPO: RepoContext = {
  host: "github.com",
  owner: "acme",
  repo: "gateway",
  sha: "a1b2c3d",
  branch: "main",
  botLogins: ["plan-sync[bot]"],
};

export const BOT = "plan-sync[bot]";

export function config(overrides: Partial<Config> = {}): Config {
  return { ...defaultConfig(), ...overrides };
}

/** `Depends on` naming other steps by key (resolved, as the parser leaves them). */
export function dependsOn(...keys: string[]): DependsOn[] {
  return keys.map((key) => ({ text: `Step ${key}`, stepKey: key, reference: null, line: 1, column: 1 }));
}

export function dependsOnIssue(
  number: number,
  owner: string | null = null,
  repo: string | null = null,
): DependsOn {
  const text = owner ? `${owner}/${repo}#${number}` : `#${number}`;
  return { text, stepKey: null, reference: { kind: "issue", text, owner, repo, number }, line: 1, column: 1 };
}

export function step(number: string | null, title: string, extra: Partial<Step> = {}): Step {
  const line = extra.line ?? 10;
  return {
    key: extra.explicitId ?? number ?? title.toLowerCase().replace(/\W+/g, "-"),
    explicitId: null,
    number,
    title,
    phase: null,
    parent: null,
    fields: {},
    files: [],
    validation: [],
    codeExamples: [],
    dependsOn: [],
    status: null,
    done: false,
    inProgress: false,
    assignees: [],
    labels: [],
    requirements: [],
    optional: false,
    details: "",
    line,
    endLine: line + 5,
    column: 1,
    ...extra,
  };
}

export function phase(number: string, title: string, done: boolean | null = null): Phase {
  return { key: `phase-${number}`, number, title, done, line: 1 };
}

export function question(text: string, extra: Partial<Question> = {}): Question {
  return {
    key: extra.explicitId ?? text.toLowerCase().replace(/\W+/g, "-").slice(0, 40),
    explicitId: null,
    text,
    done: false,
    answer: null,
    line: 100,
    column: 1,
    ...extra,
  };
}

export function plan(extra: Partial<Plan> = {}): Plan {
  return {
    path: "plans/limiter.md",
    format: "implementation-plan",
    title: "Rate limiter",
    status: "In Progress",
    metadata: {},
    labels: [],
    optOut: false,
    overview: null,
    phases: [],
    steps: [],
    questions: [],
    dependencies: { upstream: [], downstream: [] },
    checklists: { requirements: [], testing: [], deployment: [], successCriteria: [] },
    risks: [],
    references: [],
    ordering: [],
    diagnostics: [],
    ...extra,
  };
}

/** A plan of `count` steps in phases of ten, each step depending on the one before it. */
export function chainPlan(count: number, extra: Partial<Plan> = {}): Plan {
  const phases = Array.from({ length: Math.ceil(count / 10) }, (_, index) =>
    phase(String(index + 1), `Part ${index + 1}`),
  );
  const steps = Array.from({ length: count }, (_, index) => {
    const number = `${Math.floor(index / 10) + 1}.${(index % 10) + 1}`;
    const previous =
      index === 0 ? [] : dependsOn(`${Math.floor((index - 1) / 10) + 1}.${((index - 1) % 10) + 1}`);
    return step(number, `Task number ${index + 1}`, {
      phase: `phase-${Math.floor(index / 10) + 1}`,
      dependsOn: previous,
      line: 10 + index * 8,
      endLine: 16 + index * 8,
      fields: { what: `Build part ${index + 1}.` },
    });
  });
  return plan({ phases, steps, ...extra });
}
