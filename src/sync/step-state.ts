// How far a step is, as the tracking issue, its graph and the PR comment show it: text marks, never checkboxes
// (docs/plan-format.md "States in bot bodies": a box a person ticks in a bot body would do nothing).
import type { Step } from "../plan/model.js";
import { stepKey } from "./items.js";
import type { RenderContext, STATE_MARKS } from "./render-context.js";

export { markLegend, STATE_MARKS } from "./render-context.js";

export type StepState = keyof typeof STATE_MARKS;

/** Done = the issue closed as completed (people win on GitHub); steps without an issue count the plan's mark. */
export function stepIsDone(step: Step, context: RenderContext): boolean {
  const issue = context.issueOf(stepKey(step.key));
  if (!issue || issue.number === null) return issue?.planDone ?? step.done;
  return issue.state === "closed" && issue.closedAs !== "not_planned" && issue.closedAs !== "duplicate";
}

/** In progress: the plan says so (`**Status**: In progress`, Kiro `[-]`) and the issue is not closed. */
export function stepState(step: Step, context: RenderContext): StepState {
  if (stepIsDone(step, context)) return "done";
  const issue = context.issueOf(stepKey(step.key));
  return step.inProgress && issue?.state !== "closed" ? "active" : "todo";
}
