// After a merge: the status comment lists the issues the merge created (tracking, step and question issues),
// found by the items its last preview said merging would create. Pure: the caller reads the issues.
import { ownedIssues, resolvePlanId, splitDuplicates } from "./identity.js";
import type { ManagedIssue, RepoContext } from "./model.js";
import { commitLink, type PullRequestCommentState } from "./pr-comment.js";

export interface MergedPlan {
  path: string;
  /** Issues of the items the preview said merging would create, in that order, as they exist now. */
  created: Array<{ number: number; title: string }>;
  /** Items with no issue yet: the sync of the merge commit has not made them (yet, or it failed). */
  pending: number;
}

export function mergedPlans(
  state: PullRequestCommentState,
  issues: ManagedIssue[],
  botLogins: string[],
): MergedPlan[] {
  const owned = ownedIssues(issues, botLogins);
  return state.plans.map((plan) => {
    const planId = resolvePlanId(owned, plan.path, plan.previousPath);
    const { canonical } = splitDuplicates(owned.filter((issue) => issue.marker.plan === planId));
    const byItem = new Map(canonical.map((issue) => [issue.marker.item, issue]));
    const created = plan.creates.flatMap((item) => {
      const issue = byItem.get(item);
      return issue ? [{ number: issue.number, title: issue.title }] : [];
    });
    return { path: plan.path, created, pending: plan.creates.length - created.length };
  });
}

/** `repo.sha` is the merge commit. */
export function renderMergeSection(plans: MergedPlan[], repo: RepoContext): string {
  const total = plans.reduce((sum, plan) => sum + plan.created.length, 0);
  const lines = [`### Merged in ${commitLink(repo)}`];
  if (plans.every((plan) => plan.created.length === 0 && plan.pending === 0)) {
    lines.push("The merge created no issue (the plans it changed had their issues already, or none).");
    return lines.join("\n");
  }
  const pending = plans.reduce((sum, plan) => sum + plan.pending, 0);
  const created = total === 1 ? "1 issue" : `${total} issues`;
  lines.push(
    total === 0
      ? "The merge's issues are not created yet:"
      : `The merge created ${created}${pending > 0 ? " so far" : ""}:`,
  );
  for (const plan of plans) {
    if (plan.created.length === 0 && plan.pending === 0) continue;
    lines.push("", `\`${plan.path}\`:`);
    lines.push(...plan.created.map((issue) => `- #${issue.number} ${issue.title}`));
    if (plan.pending > 0)
      lines.push(
        `- ${plan.pending} not created yet: the sync of the merge commit is still running or failed (see its \`plan-sync\` check run).`,
      );
  }
  return lines.join("\n");
}
