// syncPlan: one plan file, read at a given commit, made true on GitHub. Every handler ends here, so a per-plan
// queue (serialising and coalescing work) can be put in front of this one function later.
import type { GitHubLayer } from "../github/index.js";
import type { Diagnostic, Plan } from "../plan/model.js";
import type { Config } from "../sync/config.js";
import { isDraft } from "../sync/items.js";
import { itemsWritten } from "../sync/summary.js";
import type { ManagedIssue, Operation, RepoContext } from "../sync/model.js";
import type { AppDeps } from "./deps.js";

export interface PlanTarget {
  path: string;
  /** The path before this push renamed the file. */
  previousPath: string | null;
}

export interface PlanSyncRequest extends PlanTarget {
  config: Config;
  /** Repository, commit (the branch head at the time of work) and bot logins. */
  context: RepoContext;
  /** Issues read already (issue events read them to find the plan); read here when absent. */
  issues?: ManagedIssue[];
}

export type PlanSyncStatus =
  | "synced" // GitHub matches the plan (possibly with nothing to do)
  | "deleted" // the file is gone: its issues were closed
  | "refused" // the plan has errors: nothing written
  | "skipped" // opted out (`plan-sync: false`) or a draft in preview mode
  | "failed"; // a write failed; the next sync repeats safely

export interface PlanSyncResult extends PlanTarget {
  status: PlanSyncStatus;
  title: string | null;
  diagnostics: Diagnostic[];
  applied: Operation[];
  linksAsText: number;
  /** Plan items whose issue already matched the plan: writes avoided (SPEC.md §2, minimal writes). */
  untouched: number;
  error: string | null;
}

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
    error: null,
  };
  try {
    const text = await github.readFile(request.context.sha, request.path);
    const plan =
      text === null
        ? null
        : await deps.parsePlan(text, { path: request.path, maxItems: request.config.max_items });
    if (plan) {
      result.title = plan.title;
      result.diagnostics = plan.diagnostics;
      const status = statusBeforeSync(plan, request.config);
      if (status) return { ...result, status };
    }
    const issues = request.issues ?? (await github.listManagedIssues(request.context.botLogins));
    const itemCount = plan
      ? plan.steps.length + plan.questions.length + plan.phases.length + 1
      : issues.length + 1;
    const applied = await github.applyPlan(
      {
        plan,
        path: request.path,
        previousPath: request.previousPath,
        config: request.config,
        issues,
        context: request.context,
      },
      itemCount,
    );
    return {
      ...result,
      status: plan ? "synced" : "deleted",
      applied: applied.applied,
      linksAsText: applied.linksAsText,
      untouched: plan ? untouchedItems(plan, applied.applied) : 0,
    };
  } catch (error) {
    return { ...result, status: "failed", error: error instanceof Error ? error.message : String(error) };
  }
}

/** Steps, questions and the tracking issue that no operation wrote to (phase issues aside: they exist only past 100 steps). */
function untouchedItems(plan: Plan, applied: Operation[]): number {
  const written = [...itemsWritten(applied)].filter((item) => !item.startsWith("phase:"));
  return Math.max(0, plan.steps.length + plan.questions.length + 1 - written.length);
}

/** A plan that is not applied at all: no issue is read. */
function statusBeforeSync(plan: Plan, config: Config): PlanSyncStatus | null {
  if (plan.diagnostics.some((diagnostic) => diagnostic.severity === "error")) return "refused";
  if (plan.optOut) return "skipped";
  if (isDraft(plan.status) && config.draft === "preview") return "skipped";
  return null;
}
