// The outcome types of a plan's sync, shared by the workflows, the app's dependencies (deps.ts) and the
// runtime's run ledgers. Kept apart from the workflows so that deps.ts needs no workflow module (no import circle).
import type { Diagnostic } from "../plan/model.js";
import type { ItemKey, Operation } from "../sync/model.js";

export interface PlanTarget {
  path: string;
  /** The path before this push renamed the file. */
  previousPath: string | null;
  /**
   * This push deleted the file. Only then does a file missing at the branch head close its plan's issues: a
   * file missing for another reason (renamed by a later push, a stale path) is left to the sync that saw why.
   */
  removed?: boolean;
}

export type PlanSyncStatus =
  | "synced" // GitHub matches the plan (possibly with nothing to do)
  | "deleted" // the file is gone: its issues were closed
  | "refused" // the plan has errors: nothing written
  | "skipped" // opted out (`plan-sync: false`) or a draft in preview mode
  | "missing" // not at the branch head, and this push did not delete it (a later push moved or deleted it)
  | "paused" // GitHub's rate limit stopped it part way: it resumes when GitHub allows (`resumeAfterSeconds`)
  | "failed"; // a write failed; the next sync repeats safely

export interface PlanSyncResult extends PlanTarget {
  status: PlanSyncStatus;
  title: string | null;
  diagnostics: Diagnostic[];
  applied: Operation[];
  linksAsText: number;
  /** Plan items whose issue already matched the plan: writes avoided (SPEC.md §2, minimal writes). */
  untouched: number;
  /** The commit synced, or null when nothing needed one (the plan was read at the branch and nothing written). */
  sha: string | null;
  error: string | null;
  /** Paused: the wait GitHub asked for, in seconds. */
  resumeAfterSeconds: number | null;
  /** Paused or failed part way: how many of the plan's items have their issue (`created` of `toCreate`). */
  progress: { created: number; toCreate: number } | null;
  /**
   * The plan's issues after the sync, by item (`tracking` for the tracking issue), so a report can link the
   * issues it created; empty when no issue was read (a plan with errors reads none) or the sync stopped.
   */
  issueNumbers: Record<ItemKey, number>;
}

/**
 * A plan's outcome in one run. `supersededBy`: the sha of a newer push whose run synced this plan for both pushes
 * (the queue coalesced them); that push's check run reports the plan, this one only points to it.
 */
export type PlanRunResult = PlanSyncResult & { supersededBy?: string };

/** A step or question closed as completed on GitHub, to tick in the plan file (`writeback: pull_request`). */
export interface ClosedItem {
  item: ItemKey;
  issue: number;
}
