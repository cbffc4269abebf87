// syncPlan: one plan file, read at a given commit, made true on GitHub. Every handler ends here, so a per-plan
// queue (serialising and coalescing work) can be put in front of this one function later.
import { describeFailure, rateLimitWaitOf, type GitHubLayer } from "../../github/index.js";
import type { Diagnostic, Plan } from "../../plan/model.js";
import { ApplyInterrupted } from "../../sync/apply-loop.js";
import type { Config } from "../../sync/config.js";
import { whyNotApplied } from "../../sync/applied.js";
import { destructiveChangeOf } from "../../sync/destructive-guard.js";
import { desiredPlan, TRACKING_KEY } from "../../sync/items.js";
import { itemsWritten } from "../../sync/summary.js";
import { ownedIssues, resolvePlanId, splitDuplicates } from "../../sync/identity.js";
import type {
  ItemKey,
  ManagedIssue,
  Operation,
  ReconcileInput,
  ReferenceState,
  RepoContext,
} from "../../sync/model.js";
import { referencedIssues } from "../../sync/references.js";
import { reconcile } from "../../sync/reconcile.js";
import type { AppDeps } from "../deps.js";
import type { PlanSyncResult, PlanSyncStatus, PlanTarget } from "../plan-run.js";

export type { PlanSyncResult, PlanSyncStatus, PlanTarget } from "../plan-run.js";

/**
 * Coalesced plan targets: the newest wins, but a rename carried by an older one is kept, or the renamed plan's
 * issues would not follow it (a push that renamed the file, then one that edited it under its new path).
 */
export function mergeTargets<T extends PlanTarget>(older: T, newer: T): T {
  return { ...newer, previousPath: newer.previousPath ?? older.previousPath };
}

export interface PlanSyncRequest extends PlanTarget {
  config: Config;
  /** Repository, branch and bot logins. */
  context: Omit<RepoContext, "sha">;
  /**
   * The commit to read, when the caller knows the head already (install). Absent: the plan is read at the branch
   * and its head commit is resolved only when something must be written (see `syncPlan`).
   */
  sha?: string;
  /** The pushed commit: stands in for the head when the branch is gone (the file then reads as missing). */
  fallbackSha?: string;
  /** Issues read already (issue events read them to find the plan); read here when absent. */
  issues?: ManagedIssue[];
}

/**
 * Makes GitHub match one plan file at the head of its branch. A push that changes nothing shown costs the plan's
 * content and the managed-issue list, nothing more: the file is read at the branch name, and the head commit
 * (which only permalinks of changed items need) is resolved only when reconcile has something to write. Then the
 * file is read again at that commit, so the permalinks and the text written agree even when a push landed between
 * the two reads.
 */
export async function syncPlan(
  github: GitHubLayer,
  request: PlanSyncRequest,
  deps: Pick<AppDeps, "parsePlan">,
): Promise<PlanSyncResult> {
  const result: PlanSyncResult = {
    path: request.path,
    previousPath: request.previousPath,
    status: "synced",
    title: null,
    diagnostics: [],
    applied: [],
    linksAsText: 0,
    untouched: 0,
    sha: request.sha ?? null,
    error: null,
    resumeAfterSeconds: null,
    progress: null,
    issueNumbers: {},
  };
  // What the sync set out to do, once its commit is settled: the first round of operations (their creates are
  // its progress when it stops part way).
  let basis: SyncBasis | null = null;
  const parse = async (text: string | null): Promise<Plan | null> =>
    text === null
      ? null
      : await deps.parsePlan(text, { path: request.path, maxItems: request.config.max_items });
  /** Records what the result says of the plan; answers why it is not applied, if it is not. */
  const refusalOf = (plan: Plan | null): PlanSyncStatus | null => {
    if (!plan) return null;
    Object.assign(result, { title: plan.title, diagnostics: plan.diagnostics });
    return statusBeforeSync(plan, request.config);
  };
  try {
    const text = await github.readFile(request.sha ?? request.context.branch, request.path);
    if (text === null && !request.removed) return { ...result, status: "missing" };
    let plan = await parse(text);
    const refusal = refusalOf(plan);
    if (refusal) return { ...result, status: refusal };
    const issues = request.issues ?? (await github.listManagedIssues(request.context.botLogins));
    const input = (sha: string): ReconcileInput => ({
      plan,
      path: request.path,
      previousPath: request.previousPath,
      config: request.config,
      issues,
      context: { ...request.context, sha },
    });

    // An empty, binary or cut-off file, or one that would close most of the plan at once: not applied.
    const refuseDestructive = (checked: string | null): PlanSyncResult | null => {
      const guard = checked === null || !plan ? null : guardOf(checked, plan, input(STAND_IN_COMMITS[0]));
      if (!guard) return null;
      return { ...result, status: "refused", diagnostics: [...result.diagnostics, guard] };
    };
    const destructive = refuseDestructive(text);
    if (destructive) return destructive;

    let sha = request.sha;
    if (!sha) {
      const { need, ops } = commitNeed(input);
      if (need === "nothing")
        return {
          ...result,
          untouched: plan ? untouchedItems(plan, []) : 0,
          issueNumbers: issueNumbersOf(issues, request),
        };
      if (need === "no-commit") basis = { input: input(request.context.branch), planned: ops };
      if (need === "commit") {
        sha = await headOf(github, request);
        const atCommit = await github.readFile(sha, request.path);
        if (atCommit !== text) {
          // A push landed between the two reads: the commit's text is the one to write (parsed only then).
          if (atCommit === null && !request.removed) return { ...result, sha, status: "missing" };
          plan = await parse(atCommit);
          const late = refusalOf(plan);
          if (late) return { ...result, sha, status: late };
          const lateDestructive = refuseDestructive(atCommit);
          if (lateDestructive) return { ...lateDestructive, sha };
        }
      } else sha = request.context.branch;
    }
    result.sha = sha;
    const itemCount = plan
      ? plan.steps.length + plan.questions.length + plan.phases.length + 1
      : issues.length + 1;
    const first = input(sha);
    basis ??= { input: first, planned: reconcile(first) };
    const referenceStates = plan ? await statesForTracking(github, plan, basis) : undefined;
    const applied = await github.applyPlan(
      { ...first, ...(referenceStates && { referenceStates }) },
      itemCount,
    );
    return {
      ...result,
      status: plan ? "synced" : "deleted",
      applied: applied.applied,
      linksAsText: applied.linksAsText,
      untouched: plan ? untouchedItems(plan, applied.applied) : 0,
      issueNumbers: issueNumbersOf(applied.issues, request),
    };
  } catch (error) {
    return { ...result, ...failureOf(error, basis, new Date()) };
  }
}

/**
 * A sync that stopped: `paused` when GitHub's rate limit stopped it (it resumes when GitHub allows), else
 * `failed`; with what it applied before the failure, and how far its creates got.
 */
function failureOf(
  error: unknown,
  basis: SyncBasis | null,
  now: Date,
): Pick<PlanSyncResult, "status" | "error" | "applied" | "resumeAfterSeconds" | "progress"> {
  const interrupted = error instanceof ApplyInterrupted ? error : null;
  const cause = interrupted ? interrupted.cause : error;
  const applied = interrupted?.applied ?? [];
  const wait = rateLimitWaitOf(cause, now);
  return {
    status: wait === null ? "failed" : "paused",
    error: describeFailure(cause),
    applied,
    resumeAfterSeconds: wait,
    progress: basis ? progressOf(basis, applied) : null,
  };
}

/** What a sync set out to do: its input at the settled commit, and the first round of operations it decided. */
interface SyncBasis {
  input: ReconcileInput;
  planned: Operation[];
}

/** Of the plan's items, how many have an issue now: those that had one when the sync began, and its creates. */
function progressOf({ input, planned }: SyncBasis, applied: Operation[]): PlanSyncResult["progress"] {
  if (!input.plan) return null;
  const items = desiredPlan(input.plan, input.path, input.config, input.context).items.length;
  const missing = planned.filter((op) => op.type === "create").length;
  const created = applied.filter((op) => op.type === "create").length;
  return { created: items - missing + created, toCreate: items };
}

/**
 * What the writes need, from a dry reconcile under two stand-in commits: `nothing` to write; writes that do not
 * name the commit (a tracking-issue refresh after a person closed a step); or writes that do (a changed item's
 * permalink, a new issue, a deleted plan's closing note), which need the head commit resolved.
 */
function commitNeed(input: (sha: string) => ReconcileInput): {
  need: "nothing" | "no-commit" | "commit";
  ops: Operation[];
} {
  const ops = reconcile(input(STAND_IN_COMMITS[0]));
  if (ops.length === 0) return { need: "nothing", ops };
  if (ops.some((op) => op.type === "create")) return { need: "commit", ops };
  const other = reconcile(input(STAND_IN_COMMITS[1]));
  return { need: JSON.stringify(ops) === JSON.stringify(other) ? "no-commit" : "commit", ops };
}

/**
 * The tracking issue lists the issues the plan depends on with their states as of its update: they are read
 * (one request each, at most 20) only when the tracking issue is about to be written anyway.
 */
async function statesForTracking(
  github: GitHubLayer,
  plan: Plan,
  { input, planned }: SyncBasis,
): Promise<Record<string, ReferenceState> | undefined> {
  const references = referencedIssues(plan, input.context);
  if (references.size === 0) return undefined;
  const writesTracking = planned.some((op) => "item" in op && op.item === TRACKING_KEY);
  return writesTracking ? await github.readIssueStates(references) : undefined;
}

/** The branch's head commit now; a branch that is gone writes nothing unless the push named a commit. */
async function headOf(github: GitHubLayer, request: PlanSyncRequest): Promise<string> {
  const head = await github.branchHead(request.context.branch);
  if (head) return head;
  if (request.fallbackSha) return request.fallbackSha;
  throw new Error(`branch ${request.context.branch} not found: nothing synced`);
}

/** The numbers of the plan's own issues (as reconcile picks them: its plan id, no duplicate copies), by item. */
function issueNumbersOf(issues: ManagedIssue[], request: PlanSyncRequest): Record<ItemKey, number> {
  const owned = ownedIssues(issues, request.context.botLogins);
  const planId = resolvePlanId(owned, request.path, request.previousPath);
  const { canonical } = splitDuplicates(owned.filter((issue) => issue.marker.plan === planId));
  return Object.fromEntries(canonical.map((issue) => [issue.marker.item, issue.number]));
}

const STAND_IN_COMMITS = ["0".repeat(40), "f".repeat(40)] as const;

function guardOf(text: string, plan: Plan, input: ReconcileInput): Diagnostic | null {
  return destructiveChangeOf({
    ...input,
    text,
    plan,
    botLogins: input.context.botLogins,
    ops: reconcile(input),
  });
}

/** Steps, questions and the tracking issue that no operation wrote to (phase issues aside: they exist only past 100 steps). */
function untouchedItems(plan: Plan, applied: Operation[]): number {
  const written = [...itemsWritten(applied)].filter((item) => !item.startsWith("phase:"));
  return Math.max(0, plan.steps.length + plan.questions.length + 1 - written.length);
}

/** A plan that is not applied at all: no issue is read. */
function statusBeforeSync(plan: Plan, config: Config): PlanSyncStatus | null {
  const notApplied = whyNotApplied(plan, config);
  if (notApplied === null) return null;
  return notApplied === "refused" ? "refused" : "skipped";
}
