// The push runs waiting for their plans' results, in this process (the promise: src/app/run-ledger.ts).
// RedisRunLedger (redis/run-ledger.ts) keeps them beside the BullMQ jobs, for every instance.
import type { RunLedger, RunRecord, SettledCommits } from "../app/run-ledger.js";
import type { PlanRunResult } from "../app/workflows/sync-check-run.js";

interface OpenRun {
  record: RunRecord;
  results: PlanRunResult[];
  final: Set<number>;
}

export class InProcessRunLedger implements RunLedger {
  private readonly runs = new Map<number, OpenRun>();
  /** Every run of this process is in `runs` until it concludes, so what it cleared stays clear while it lives. */
  readonly settled: SettledCommits = new RecentCommits(SETTLED_COMMITS_KEPT);

  async open(record: RunRecord): Promise<void> {
    this.runs.set(record.checkRunId, { record, results: [], final: new Set() });
  }

  async report(checkRunId: number, index: number, result: PlanRunResult, final: boolean) {
    const run = this.runs.get(checkRunId);
    if (!run) return null;
    run.results[index] = result;
    if (final) run.final.add(index);
    if (run.final.size < run.record.plans) return null;
    this.runs.delete(checkRunId);
    return { record: run.record, results: run.results };
  }

  async results(checkRunId: number): Promise<PlanRunResult[] | null> {
    return this.runs.get(checkRunId)?.results ?? null;
  }

  async has(checkRunId: number): Promise<boolean> {
    return this.runs.has(checkRunId);
  }

  /** Runs still waiting for plans (tests). */
  get size(): number {
    return this.runs.size;
  }
}

/** Enough for the latest push of every busy branch; an older commit forgotten only costs its lookup again. */
export const SETTLED_COMMITS_KEPT = 10_000;

/** A set that forgets its oldest entries past `limit`. */
export class RecentCommits implements SettledCommits {
  private readonly commits = new Set<string>();

  constructor(private readonly limit: number) {}

  has(commit: string): boolean {
    return this.commits.has(commit);
  }

  add(commit: string): void {
    this.commits.delete(commit); // re-added: the newest again
    this.commits.add(commit);
    for (const oldest of this.commits) {
      if (this.commits.size <= this.limit) break;
      this.commits.delete(oldest);
    }
  }

  delete(commit: string): void {
    this.commits.delete(commit);
  }

  get size(): number {
    return this.commits.size;
  }
}
