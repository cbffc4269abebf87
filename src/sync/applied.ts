// Whether a plan is applied to GitHub at all (SPEC.md §2): a plan with errors changes nothing, `plan-sync: false`
// opts it out, and a draft waits while the config says `draft: preview`. The one rule reconcile, the push's sync,
// the PR preview and the writeback all ask.
import { hasErrors } from "../plan/diagnostics.js";
import type { Plan } from "../plan/model.js";
import type { Config } from "./config.js";
import { isDraft } from "./items.js";

/** Why a plan is not applied: errors in it, opted out, or a draft in preview mode. */
export type NotApplied = "refused" | "opted-out" | "draft";

/** Null when the plan is applied; otherwise why not. */
export function whyNotApplied(plan: Plan, config: Pick<Config, "draft">): NotApplied | null {
  if (hasErrors(plan.diagnostics)) return "refused";
  if (plan.optOut) return "opted-out";
  if (isDraft(plan.status) && config.draft === "preview") return "draft";
  return null;
}
