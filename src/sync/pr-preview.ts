// A pull request's preview of one plan (SPEC.md §3): reconcile as a dry run — the operations merging would
// apply — plus the issues the plan already has, item by item. Pure: nothing here is ever applied.
import type { Plan } from "../plan/model.js";
import { matchItems, ownedIssues, resolvePlanId, splitDuplicates, type OwnedIssue } from "./identity.js";
import { desiredPlan, isDraft, type DesiredItem } from "./items.js";
import type { CloseReason, IssueState, ItemKey, ItemKind, Operation, ReconcileInput } from "./model.js";
import { reconcile } from "./reconcile.js";
import { phaseTitle, planDisplayTitle, stepLabel } from "./titles.js";

/** What merging does with the plan: sync it, or why not. */
export type PreviewOutcome = "sync" | "refused" | "opted-out" | "draft" | "deleted";

/** An issue the plan has already, as the preview shows it. */
export interface LinkedIssue {
  item: ItemKey;
  kind: ItemKind;
  /** How the plan names the item: `Step 1.2: Title`, the question, `Tracking issue`. */
  label: string;
  number: number;
  state: IssueState;
  stateReason: CloseReason | "reopened" | null;
  assignees: string[];
  /** The issue's title and body as they are now (the comment says what merging changes in them). */
  title: string;
  body: string;
  labels: string[];
}

export interface PlanPreview {
  path: string;
  previousPath: string | null;
  /** The plan's display title (its file or folder when it has none). */
  title: string;
  /** The parsed plan at the PR head; null when the PR deletes the file. */
  plan: Plan | null;
  outcome: PreviewOutcome;
  /** The first round of operations merging would apply (reconcile's dry run), in order. */
  operations: Operation[];
  /** The plan's existing issues, in plan order (tracking first); issues of items that leave the plan last. */
  linked: LinkedIssue[];
  /** How the comment names each item of the plan at the head (`Step 1.2: Title`…), by item key. */
  itemLabels: Record<ItemKey, string>;
}

export function previewPlan(input: ReconcileInput): PlanPreview {
  const { plan } = input;
  const owned = ownedIssues(input.issues, input.context.botLogins);
  const planId = resolvePlanId(owned, input.path, input.previousPath);
  const { canonical } = splitDuplicates(owned.filter((issue) => issue.marker.plan === planId));
  const base = {
    path: input.path,
    previousPath: input.previousPath,
    plan,
    operations: reconcile(input),
  };
  if (!plan) {
    const title = canonical.find((issue) => issue.marker.kind === "tracking")?.marker.title;
    return {
      ...base,
      title: title ?? planDisplayTitle({ title: null }, input.path),
      outcome: "deleted",
      linked: canonical.map((issue) => linkedIssue(issue, issue.title)),
      itemLabels: {},
    };
  }
  const desired = desiredPlan(plan, input.path, input.config, input.context);
  const { matched, leftover } = matchItems(desired.items, canonical);
  const linked = desired.items.flatMap((item) => {
    const issue = matched.get(item.key);
    return issue ? [linkedIssue(issue, itemLabel(item))] : [];
  });
  return {
    ...base,
    title: desired.planTitle,
    outcome: outcomeOf(plan, input),
    linked: [
      ...linked,
      ...leftover.map((issue) => linkedIssue(issue, `${issue.title} (no longer in the plan)`)),
    ],
    itemLabels: Object.fromEntries(desired.items.map((item) => [item.key, itemLabel(item)])),
  };
}

function outcomeOf(plan: Plan, input: ReconcileInput): PreviewOutcome {
  if (plan.diagnostics.some((diagnostic) => diagnostic.severity === "error")) return "refused";
  if (plan.optOut) return "opted-out";
  if (isDraft(plan.status) && input.config.draft === "preview") return "draft";
  return "sync";
}

function itemLabel(item: DesiredItem): string {
  switch (item.source.kind) {
    case "tracking":
      return "Tracking issue";
    case "phase":
      return phaseTitle(item.source.phase);
    case "step":
      return stepLabel(item.source.step);
    case "question":
      return `Question: ${item.issueTitle}`;
  }
}

function linkedIssue(issue: OwnedIssue, label: string): LinkedIssue {
  return {
    item: issue.marker.item,
    kind: issue.marker.kind,
    label,
    number: issue.number,
    state: issue.state,
    stateReason: issue.stateReason,
    assignees: issue.assignees,
    title: issue.title,
    body: issue.body,
    labels: issue.labels,
  };
}
