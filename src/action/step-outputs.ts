// The step's outputs (`steps.<id>.outputs.<name>`) and the files the runner reads them and the job summary
// from. Outputs are written in the multi-line form (`name<<delimiter`, the value, the delimiter) with a
// random delimiter, so no value can end early or set another output.
// https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions#setting-an-output-parameter
import { randomUUID } from "node:crypto";
import { appendFile } from "node:fs/promises";
import type { ActionEnv } from "./env.js";
import type { ActionRun } from "./reporter.js";

/** One plan in the `plans` output (snake_case keys: expressions read them as `fromJSON(…)['plans/x.md'].created`). */
export interface PlanOutput {
  title: string | null;
  status: string;
  tracking_issue: number | null;
  created: number;
  updated: number;
  closed: number;
}

/** The outputs action.yml declares, as strings (what the runner stores). */
export function stepOutputs(run: ActionRun): Record<string, string> {
  const plans: Record<string, PlanOutput> = {};
  for (const plan of run.plans)
    plans[plan.path] = {
      title: plan.title,
      status: plan.status,
      tracking_issue: plan.trackingIssue,
      created: plan.created.length,
      updated: plan.updated.length,
      closed: plan.closed.length,
    };
  const total = (key: "created" | "updated" | "closed") =>
    String(Object.values(plans).reduce((sum, plan) => sum + plan[key], 0));
  return {
    plans: JSON.stringify(plans),
    created: total("created"),
    updated: total("updated"),
    closed: total("closed"),
    preview: String(run.pullRequest !== null),
  };
}

export function formatOutputs(outputs: Record<string, string>, delimiter: string): string {
  return Object.entries(outputs)
    .map(([name, value]) => {
      if (value.includes(delimiter)) throw new Error(`output ${name} holds its delimiter`);
      return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
    })
    .join("");
}

/** Appends the outputs to $GITHUB_OUTPUT and the summary to $GITHUB_STEP_SUMMARY (each skipped when unset). */
export async function writeStepFiles(
  env: ActionEnv,
  files: { outputs: Record<string, string>; summary: string },
): Promise<void> {
  const outputPath = env["GITHUB_OUTPUT"];
  const summaryPath = env["GITHUB_STEP_SUMMARY"];
  if (outputPath) await appendFile(outputPath, formatOutputs(files.outputs, `ghadelimiter_${randomUUID()}`));
  if (summaryPath) await appendFile(summaryPath, files.summary);
}
