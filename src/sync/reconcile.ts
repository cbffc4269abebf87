// reconcile: (plan, config, the plan's issues as they are now) → the operations that make GitHub match the
// plan (SPEC.md §2). Pure and deterministic; applying is the GitHub layer's job (protocol in model.ts).
import { contentHash, MANAGED_END_NOTE, newBody, replaceMarker, replaceRenderedPart } from "./body.js";
import {
  decideLinks,
  decideState,
  linkableBlockers,
  mergeManaged,
  targetOf,
  type LinkContext,
} from "./decide.js";
import { matchItems, ownedIssues, resolvePlanId, splitDuplicates, type OwnedIssue } from "./identity.js";
import { desiredPlan, isDraft, TRACKING_KEY, type DesiredItem } from "./items.js";
import { closingOperations, duplicateOperations, type ClosingContext } from "./closing.js";
import { markersEqual } from "./marker.js";
import type { IssueChanges, ItemKey, Marker, Operation, ReconcileInput } from "./model.js";
import type { ItemIssueView, RenderContext } from "./render-context.js";
import { renderPhaseBody, renderTrackingBody } from "./render-tracking.js";
import { renderQuestionBody, renderStepBody, type SourceLink } from "./render-step.js";
import { planDisplayTitle } from "./titles.js";

export function reconcile(input: ReconcileInput): Operation[] {
  const { plan, config, context } = input;
  if (plan && (plan.optOut || plan.diagnostics.some((diagnostic) => diagnostic.severity === "error")))
    return [];
  if (plan && isDraft(plan.status) && config.draft === "preview") return [];

  const owned = ownedIssues(input.issues, context.botLogins);
  const planId = resolvePlanId(owned, input.path, input.previousPath);
  const { canonical, duplicates } = splitDuplicates(owned.filter((issue) => issue.marker.plan === planId));
  const closing: ClosingContext = { planId, path: input.path, config, repo: context };
  const ops: Operation[] = [];

  if (!plan) {
    ops.push(...duplicateOperations(duplicates, closing));
    ops.push(...closingOperations(canonical, "plan-deleted", closing));
    return ops;
  }

  const desired = desiredPlan(plan, input.path, config, context);
  const { matched, leftover } = matchItems(desired.items, canonical);
  const byNumber = new Map(
    owned.filter((issue) => issue.marker.plan === planId).map((issue) => [issue.number, issue]),
  );
  const links: LinkContext = { repo: context, issueOf: (key) => matched.get(key) ?? null, byNumber };

  // Decide state first: bodies (the tracking issue's above all) show the state after this round.
  const views = new Map<ItemKey, ItemIssueView>();
  const states = new Map<ItemKey, ReturnType<typeof decideState>>();
  for (const item of desired.items) {
    const issue = matched.get(item.key);
    const state = issue ? decideState(item, issue) : null;
    if (issue && state) states.set(item.key, state);
    views.set(item.key, {
      number: issue?.number ?? null,
      state: state ? state.state : item.done ? "closed" : "open",
      closedAs: state ? state.closedAs : item.done ? "completed" : null,
      planDone: item.done,
      assignees: issue
        ? (mergeManaged(issue.assignees, issue.marker.assignees, item.assignees) ?? issue.assignees)
        : item.assignees,
    });
  }
  const render: RenderContext = {
    plan,
    path: input.path,
    planTitle: planDisplayTitle(plan, input.path),
    config,
    repo: context,
    issueOf: (key) => views.get(key) ?? null,
    stepByKey: new Map(plan.steps.map((step) => [step.key, step])),
    referenceStates: input.referenceStates,
  };

  // What leaves goes first (it frees sub-issue slots), then creates, then updates with the tracking issue last.
  ops.push(...duplicateOperations(duplicates, closing));
  ops.push(...closingOperations(leftover, "removed", closing));
  for (const item of desired.items) {
    if (!matched.has(item.key)) ops.push(createOperation(item, planId, input.path, render, links));
  }
  const tracking = desired.items.find((item) => item.key === TRACKING_KEY);
  for (const item of [
    ...desired.items.filter((candidate) => candidate !== tracking),
    ...(tracking ? [tracking] : []),
  ]) {
    const issue = matched.get(item.key);
    if (issue)
      ops.push(...updateOperations(item, issue, planId, input.path, render, links, states.get(item.key)));
  }
  return ops;
}

function renderItem(item: DesiredItem, render: RenderContext, source: SourceLink): string {
  switch (item.source.kind) {
    case "tracking":
      return renderTrackingBody(render);
    case "phase":
      return renderPhaseBody(item.source.phase, render);
    case "step":
      return renderStepBody(item.source.step, item.blockers, render, source);
    case "question":
      return renderQuestionBody(item.source.question, render, source);
  }
}

/** Without the permalink and the referenced issues' states: the hash moves only when the plan changes the item. */
function itemHash(item: DesiredItem, render: RenderContext): string {
  const planOnly: RenderContext = { ...render, referenceStates: undefined };
  return contentHash(`${item.issueTitle}\n${renderItem(item, planOnly, "placeholder")}\n${MANAGED_END_NOTE}`);
}

function markerFor(
  item: DesiredItem,
  planId: string,
  path: string,
  fields: Pick<
    Marker,
    "hash" | "done" | "removed" | "labels" | "assignees" | "parent" | "blockedBy" | "refused"
  >,
): Marker {
  return {
    v: 1,
    plan: planId,
    item: item.key,
    kind: item.kind,
    explicitId: item.explicitId,
    number: item.number,
    title: item.planTitle,
    ...fields,
    path: item.kind === "tracking" ? path : null,
    milestone: item.milestone,
  };
}

/** A new issue: open, with its links; a done item is closed by the next round (so the record is whole). */
function createOperation(
  item: DesiredItem,
  planId: string,
  path: string,
  render: RenderContext,
  links: LinkContext,
): Operation {
  const parentIssue = item.parent ? links.issueOf(item.parent) : null;
  const blockers = linkableBlockers(item, null, links);
  const marker = markerFor(item, planId, path, {
    hash: itemHash(item, render),
    done: false,
    removed: false,
    labels: item.labels,
    assignees: item.assignees,
    parent: parentIssue?.number ?? null,
    blockedBy: blockers.map((blocker) => blocker.ref),
  });
  return {
    type: "create",
    item: item.key,
    kind: item.kind,
    title: item.issueTitle,
    body: newBody(renderItem(item, render, { sha: render.repo.sha }), marker),
    labels: item.labels,
    assignees: item.assignees,
    milestone: item.milestone,
    parent: parentIssue ? targetOf(parentIssue, item.parent, render.repo) : null,
    blockedBy: blockers.map((blocker) => blocker.target),
    closeAfter: item.done ? "completed" : null,
  };
}

/** Links first, then one PATCH with everything else that changed (and the renewed marker). */
function updateOperations(
  item: DesiredItem,
  issue: OwnedIssue,
  planId: string,
  path: string,
  render: RenderContext,
  links: LinkContext,
  state: ReturnType<typeof decideState> | undefined,
): Operation[] {
  const hash = itemHash(item, render);
  const itemChanged = hash !== issue.marker.hash;
  const linkDecision = decideLinks(item, issue, links, itemChanged);
  // A title a person edited stands, like the body, until the item changes in the plan.
  const changes: IssueChanges =
    itemChanged && issue.title !== item.issueTitle ? { title: item.issueTitle } : {};
  const labels = mergeManaged(issue.labels, issue.marker.labels, item.labels);
  if (labels) changes.labels = labels;
  const assignees = mergeManaged(issue.assignees, issue.marker.assignees, item.assignees);
  if (assignees) changes.assignees = assignees;
  const milestoneChanged = item.milestone !== null && item.milestone !== (issue.marker.milestone ?? null);
  if (milestoneChanged && issue.milestone?.title !== item.milestone)
    changes.milestone = item.milestone as string;

  const marker = markerFor(item, planId, path, {
    hash,
    done: item.done,
    removed: false,
    labels: item.labels,
    assignees: item.assignees,
    parent: linkDecision.parent,
    blockedBy: linkDecision.blockedBy,
    refused: linkDecision.refused,
  });
  if (itemChanged) {
    // The item changed in the plan: its rendered part is rewritten (a person's edit inside it gives way).
    changes.body = replaceRenderedPart(
      issue.body,
      renderItem(item, render, { sha: render.repo.sha }),
      marker,
    );
  } else if (!markersEqual(marker, issue.marker)) {
    changes.body = replaceMarker(issue.body, marker);
  }
  if (changes.body === issue.body) delete changes.body;

  const base = { item: item.key, number: issue.number, name: item.issueTitle };
  const ops: Operation[] = [...linkDecision.ops];
  if (state?.action === "close")
    ops.push({ type: "close", ...base, reason: "completed", comment: null, changes });
  else if (state?.action === "reopen") ops.push({ type: "reopen", ...base, changes });
  else if (Object.keys(changes).length > 0) ops.push({ type: "update", ...base, changes });
  return ops;
}
