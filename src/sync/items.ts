// What GitHub should hold for a plan, item by item (before any issue is looked at): titles, labels, done
// marks, the sub-issue tree within GitHub's caps, and blockers. Listed in creation order.
import type { Phase, Plan, Question, Step } from "../plan/model.js";
import type { Config } from "./config.js";
import type { ItemKey, ItemKind, RepoContext } from "./model.js";
import { issueAddressOf, type IssueAddress } from "./references.js";
import { phaseTitle, planDisplayTitle, questionTitle, stepTitle, trackingTitle } from "./titles.js";

/** https://docs.github.com/en/issues/tracking-your-work-with-issues/using-issues/adding-sub-issues — 100 a parent. */
export const MAX_SUB_ISSUES = 100;
/** https://docs.github.com/en/issues/tracking-your-work-with-issues/using-issues/creating-issue-dependencies — 50. */
export const MAX_BLOCKED_BY = 50;

export const TRACKING_KEY: ItemKey = "tracking";

export type Blocker =
  { kind: "item"; key: ItemKey; text: string } | { kind: "issue"; address: IssueAddress; text: string };

export interface DesiredItem {
  key: ItemKey;
  kind: ItemKind;
  explicitId: string | null;
  number: string | null;
  /** The item's title as written in the plan (identity and marker). */
  planTitle: string;
  issueTitle: string;
  labels: string[];
  assignees: string[];
  milestone: string | null;
  done: boolean;
  /** The sub-issue parent it should hang under, null when none (caps, `sub_issues: false`). */
  parent: ItemKey | null;
  /** Every blocker, as the body lists them. */
  blockers: Blocker[];
  /** The blockers to link natively (`dependencies` on, at most 50). */
  linkedBlockers: Blocker[];
  source:
    | { kind: "tracking" }
    | { kind: "phase"; phase: Phase }
    | { kind: "step"; step: Step }
    | { kind: "question"; question: Question };
}

export interface DesiredPlan {
  planTitle: string;
  items: DesiredItem[];
  /** More than 100 issues would hang under the tracking issue: steps go under one issue per phase. */
  phaseMode: boolean;
}

export const stepKey = (key: string): ItemKey => `step:${key}`;
export const phaseKey = (key: string): ItemKey => `phase:${key}`;
export const questionKey = (key: string): ItemKey => `question:${key}`;

function isComplete(status: string | null): boolean {
  return /^\s*(complete|completed|done)\s*$/i.test(status ?? "");
}

export function isDraft(status: string | null): boolean {
  return /^\s*draft\s*$/i.test(status ?? "");
}

export function desiredPlan(plan: Plan, path: string, config: Config, context: RepoContext): DesiredPlan {
  const planTitle = planDisplayTitle(plan, path);
  const stepKeys = new Set(plan.steps.map((step) => step.key));
  const topLevel = plan.steps.filter((step) => !(step.parent && stepKeys.has(step.parent)));
  const questions = config.questions === "issue" ? plan.questions : [];
  const phaseMode =
    config.sub_issues && plan.phases.length > 0 && topLevel.length + questions.length > MAX_SUB_ISSUES;
  const planLabels = (extra: string) => uniqueLabels([extra, ...plan.labels]);
  const planMilestone = typeof plan.metadata["milestone"] === "string" ? plan.metadata["milestone"] : null;
  const underTracking = config.sub_issues ? TRACKING_KEY : null;

  const tracking: DesiredItem = {
    key: TRACKING_KEY,
    kind: "tracking",
    explicitId: null,
    number: null,
    planTitle,
    issueTitle: trackingTitle(plan, path),
    labels: planLabels(config.labels.plan),
    assignees: [],
    milestone: planMilestone,
    done: isComplete(plan.status),
    parent: null,
    ...withBlockers(upstreamBlockers(plan, context), config),
    source: { kind: "tracking" },
  };

  const phases: DesiredItem[] = !phaseMode
    ? []
    : plan.phases.map((phase) => {
        const steps = plan.steps.filter((step) => step.phase === phase.key);
        return {
          key: phaseKey(phase.key),
          kind: "phase",
          explicitId: null,
          number: phase.number,
          planTitle: phase.title,
          issueTitle: phaseTitle(phase),
          labels: planLabels(config.labels.step),
          assignees: [],
          milestone: planMilestone,
          done: phase.done === true || (steps.length > 0 && steps.every((step) => step.done)),
          parent: underTracking,
          blockers: [],
          linkedBlockers: [],
          source: { kind: "phase", phase },
        };
      });
  const phaseKeys = new Set(phases.map((phase) => phase.key));

  const steps = plan.steps.map((step): DesiredItem => {
    let parent: ItemKey | null = null;
    if (config.sub_issues) {
      if (step.parent && stepKeys.has(step.parent)) parent = stepKey(step.parent);
      else if (step.phase && phaseKeys.has(phaseKey(step.phase))) parent = phaseKey(step.phase);
      else parent = TRACKING_KEY;
    }
    const milestone = step.fields["milestone"]?.trim() || planMilestone;
    return {
      key: stepKey(step.key),
      kind: "step",
      explicitId: step.explicitId,
      number: step.number,
      planTitle: step.title,
      issueTitle: stepTitle(step, planTitle, config),
      labels: uniqueLabels([config.labels.step, ...plan.labels, ...step.labels]),
      assignees: uniqueLabels(step.assignees),
      milestone,
      done: step.done,
      parent,
      ...withBlockers(stepBlockers(step, stepKeys, context), config),
      source: { kind: "step", step },
    };
  });

  const questionItems = questions.map((question): DesiredItem => ({
    key: questionKey(question.key),
    kind: "question",
    explicitId: question.explicitId,
    number: null,
    planTitle: question.text,
    issueTitle: questionTitle(question.text),
    labels: planLabels(config.labels.question),
    assignees: [],
    milestone: planMilestone,
    done: question.done,
    parent: underTracking,
    blockers: [],
    linkedBlockers: [],
    source: { kind: "question", question },
  }));

  const items = [tracking, ...phases, ...creationOrder(steps), ...questionItems];
  capChildren(items);
  return { planTitle, items, phaseMode };
}

function withBlockers(blockers: Blocker[], config: Config): Pick<DesiredItem, "blockers" | "linkedBlockers"> {
  return { blockers, linkedBlockers: config.dependencies ? blockers.slice(0, MAX_BLOCKED_BY) : [] };
}

function stepBlockers(step: Step, stepKeys: Set<string>, context: RepoContext): Blocker[] {
  const blockers: Blocker[] = [];
  for (const dependency of step.dependsOn) {
    if (dependency.stepKey && stepKeys.has(dependency.stepKey) && dependency.stepKey !== step.key) {
      blockers.push({ kind: "item", key: stepKey(dependency.stepKey), text: dependency.text });
      continue;
    }
    const address = dependency.reference ? issueAddressOf(dependency.reference, context) : null;
    if (address) blockers.push({ kind: "issue", address, text: dependency.text });
  }
  return dedupeBlockers(blockers);
}

/** `#N`, `owner/repo#N` and issue URLs among upstream dependencies block the tracking issue. */
function upstreamBlockers(plan: Plan, context: RepoContext): Blocker[] {
  const blockers: Blocker[] = [];
  for (const dependency of plan.dependencies.upstream) {
    for (const reference of dependency.references) {
      const address = issueAddressOf(reference, context);
      if (address) blockers.push({ kind: "issue", address, text: reference.text });
    }
  }
  return dedupeBlockers(blockers);
}

function dedupeBlockers(blockers: Blocker[]): Blocker[] {
  const seen = new Set<string>();
  return blockers.filter((blocker) => {
    const id =
      blocker.kind === "item"
        ? blocker.key
        : `${blocker.address.owner}/${blocker.address.repo}#${blocker.address.number}`.toLowerCase();
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Parents and blockers first (so their numbers exist when a step is created), else plan order. */
function creationOrder(steps: DesiredItem[]): DesiredItem[] {
  const byKey = new Map(steps.map((item) => [item.key, item]));
  const placed = new Set<ItemKey>();
  const ordered: DesiredItem[] = [];
  const prerequisites = (item: DesiredItem) =>
    [item.parent, ...item.blockers.map((blocker) => (blocker.kind === "item" ? blocker.key : null))].filter(
      (key): key is ItemKey => key !== null && byKey.has(key) && key !== item.key,
    );
  const visit = (item: DesiredItem, path: Set<ItemKey>) => {
    if (placed.has(item.key) || path.has(item.key)) return; // a cycle (already an error in the plan) is cut here
    path.add(item.key);
    for (const key of prerequisites(item)) visit(byKey.get(key) as DesiredItem, path);
    path.delete(item.key);
    placed.add(item.key);
    ordered.push(item);
  };
  for (const item of steps) visit(item, new Set());
  return ordered;
}

/** Past 100 children a parent gets no more sub-issues; the tracking issue's list still shows them. */
function capChildren(items: DesiredItem[]): void {
  const counts = new Map<ItemKey, number>();
  for (const item of items) {
    if (!item.parent) continue;
    const count = (counts.get(item.parent) ?? 0) + 1;
    counts.set(item.parent, count);
    if (count > MAX_SUB_ISSUES) item.parent = null;
  }
}

function uniqueLabels(values: string[]): string[] {
  const seen = new Set<string>();
  return values
    .map((value) => value.trim())
    .filter((value) => {
      const folded = value.toLowerCase();
      if (!value || seen.has(folded)) return false;
      seen.add(folded);
      return true;
    });
}
