// The Action's RunReporter: one log group per plan's sync, the last result of a plan that was synced twice
// (paused by the rate limit, then resumed), and a group left open by a failed run closed before later lines.
import { describe, expect, it } from "vitest";
import { repoLinksOf } from "../../src/action/links.js";
import { ActionReporter } from "../../src/action/reporter.js";
import type { PlanRunResult } from "../../src/app/workflows/sync-check-run.js";

const links = repoLinksOf({ GITHUB_REPOSITORY: "acme/roadmap", GITHUB_SHA: "abc123" });

function result(overrides: Partial<PlanRunResult>): PlanRunResult {
  return {
    path: "plans/a.md",
    previousPath: null,
    status: "synced",
    title: "A",
    diagnostics: [],
    applied: [],
    linksAsText: 0,
    untouched: 0,
    sha: "abc123",
    error: null,
    resumeAfterSeconds: null,
    progress: null,
    issueNumbers: { tracking: 7 },
    ...overrides,
  };
}

function reporter(): { reporter: ActionReporter; lines: string[] } {
  const lines: string[] = [];
  return { reporter: new ActionReporter(links, (line) => lines.push(line)), lines };
}

describe("ActionReporter", () => {
  it("keeps the last result of a plan synced twice in one run (paused, then resumed)", () => {
    const { reporter: subject, lines } = reporter();
    const target = { path: "plans/a.md", previousPath: null };
    subject.planStarted(target);
    subject.planSynced(result({ status: "paused", error: "rate limited", issueNumbers: {} }));
    subject.planStarted(target);
    subject.planSynced(result({}));

    expect(subject.run.plans.map((plan) => [plan.path, plan.status])).toEqual([["plans/a.md", "synced"]]);
    expect(subject.run.synced).toHaveLength(1);
    expect(lines).toEqual([
      "::group::plans/a.md",
      "A: paused by GitHub's rate limit; it resumes by itself when GitHub allows, or with the next push",
      "Error: rate limited",
      "::endgroup::",
      "::group::plans/a.md",
      "A: synced",
      "Tracking issue: https://github.com/acme/roadmap/issues/7",
      "::endgroup::",
    ]);
  });

  it("closes a group its sync never finished (the run failed) once, before the lines after it", () => {
    const { reporter: subject, lines } = reporter();
    subject.planStarted({ path: "plans/a.md", previousPath: null });
    subject.closeGroup();
    subject.closeGroup();
    expect(lines).toEqual(["::group::plans/a.md", "::endgroup::"]);
  });

  it("annotates each error of an invalid config on .github/plan-sync.yml", () => {
    const { reporter: subject, lines } = reporter();
    subject.configRejected(["paths: expected an array, got 3\nsee the docs"]);
    expect(lines).toEqual([
      "::error file=.github/plan-sync.yml,title=invalid-config::paths: expected an array, got 3%0Asee the docs",
    ]);
    expect(subject.run.configErrors).toEqual(["paths: expected an array, got 3\nsee the docs"]);
  });
});
