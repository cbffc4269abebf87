// What the workflows ask of the queue they run under (SPEC.md §6), and the keys they run under. Work for one key
// runs one at a time: two syncs of the same plan at once would both see an item without an issue and both create
// it. While one runs, later arrivals for that key coalesce into ONE more run of the newest request (a sync reads
// the plan and the issues afresh, so one run of the latest state does the work of all of them). The queue itself
// is the runtime's (src/runtime/plan-queue.ts).
import type { PlanTarget } from "./workflows/sync-one-plan.js";

/** Folds a waiting request and a newer one into the request of the run that serves both. */
export type Merge<R> = (older: R, newer: R) => R;

export interface KeyedQueue {
  /**
   * Runs `work(request)` for `key`, or joins the run that is still to come for it: then the newest arrival's
   * work runs, on `merge(waiting request, this request)`, and every caller gets that run's result (or error).
   */
  run<R, T>(key: string, request: R, work: (request: R) => Promise<T>, merge?: Merge<R>): Promise<T>;
  /** Callers waiting for `key` beyond the run in progress. */
  waiting(key: string): number;
}

/**
 * Coalesced plan targets: the newest wins, but a rename carried by an older one is kept, or the renamed plan's
 * issues would not follow it (a push that renamed the file, then one that edited it under its new path).
 */
export function mergeTargets<T extends PlanTarget>(older: T, newer: T): T {
  return { ...newer, previousPath: newer.previousPath ?? older.previousPath };
}

/** The key of one plan of one repository. */
export function planKey(owner: string, repo: string, path: string): string {
  return `${owner}/${repo}:${path}`;
}

/** The key of one pull request: its events are handled one at a time (one status comment, never two). */
export function pullRequestKey(owner: string, repo: string, number: number): string {
  return `${owner}/${repo}#${number}`;
}
