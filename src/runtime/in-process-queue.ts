// The work queue in this process (the promise it keeps: src/app/work-queue.ts), the default without REDIS_URL.
// Jobs run after the webhook is answered (SPEC.md §6); different keys side by side, at most `concurrency` at a
// time; a paused batch gives its place back and runs again at its time, its key held meanwhile. The jobs live
// in this process only: a restart loses them, and the next push repairs that (SPEC.md §5). `inline` runs each
// job before `add` returns and lets its error reach the caller (Action mode, which must finish before the
// step ends; tests that drive `probot.receive`).
import type { DeliveryJob, Job, KeyedJob } from "../app/jobs.js";
import { keyOf, type BatchOutcome, type JobRunner, type WorkQueue } from "../app/work-queue.js";
import { InProcessDeliveryLedger, type DeliveryLedger } from "./deliveries.js";
import type { QueueCounts } from "./metrics.js";

export const DEFAULT_CONCURRENCY = 4;

export interface InProcessQueueOptions {
  /** Keys run at the same time, at most; default 4 (`PLAN_SYNC_CONCURRENCY` on the server). */
  concurrency?: number;
  inline?: boolean;
  deliveries?: DeliveryLedger;
  /** Told of a job that threw (nobody else is left to catch it). */
  failed?: (job: Job, error: unknown) => void;
  /** Told of a delivery seen before. */
  skipped?: (job: DeliveryJob) => void;
}

interface KeyState {
  /** Jobs added since the running batch (if any) began. */
  waiting: KeyedJob[];
  /** A paused batch, to run again (with `waiting`) at its time. */
  carried: KeyedJob[];
  pauses: number;
  busy: boolean;
}

export class InProcessWorkQueue implements WorkQueue {
  readonly concurrency: number;
  private runner: JobRunner | null = null;
  private readonly keys = new Map<string, KeyState>();
  private readonly ready: string[] = [];
  private readonly deliveries: DeliveryLedger;
  private active = 0;
  /** Jobs that failed since this process started (/metrics; nothing keeps them past a restart). */
  private failures = 0;
  /** Delivery jobs running, batches running, paused batches' timers: what `idle` waits for. */
  private pending = 0;
  private idlers: (() => void)[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  /** When each key's oldest job still waiting was added (keys that wait for a slot, or behind their run). */
  private readonly addedAt = new Map<string, number>();

  constructor(private readonly options: InProcessQueueOptions = {}) {
    const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new Error(`InProcessWorkQueue: concurrency must be a whole number from 1 up, not ${concurrency}`);
    this.concurrency = concurrency;
    this.deliveries = options.deliveries ?? new InProcessDeliveryLedger();
  }

  start(runner: JobRunner): void {
    this.runner = runner;
  }

  async add(job: Job): Promise<void> {
    if (job.kind === "delivery") return this.addDelivery(job);
    if (this.options.inline) return this.runInline(job);
    const key = keyOf(job);
    const state = this.keys.get(key);
    if (!this.addedAt.has(key)) this.addedAt.set(key, Date.now());
    if (state) {
      state.waiting.push(job);
      return;
    }
    this.keys.set(key, { waiting: [job], carried: [], pauses: 0, busy: false });
    this.pending++;
    this.ready.push(key);
    this.pump();
  }

  async forgetDelivery(deliveryId: string): Promise<void> {
    await this.deliveries.failed(deliveryId);
  }

  /** Jobs waiting for `key` beyond the batch that runs (tests). */
  waiting(key: string): number {
    return this.keys.get(key)?.waiting.length ?? 0;
  }

  /** Keys running, waiting or paused (tests: empty once every job is done). */
  get size(): number {
    return this.keys.size;
  }

  /** What /metrics shows: jobs waiting (for a slot or behind their key's run), running, paused. */
  async counts(): Promise<QueueCounts> {
    let waiting = 0;
    let delayed = 0;
    for (const [key, state] of this.keys) {
      waiting += state.waiting.length + (this.ready.includes(key) ? state.carried.length : 0);
      if (!state.busy && !this.ready.includes(key)) delayed += state.carried.length;
    }
    const oldest = Math.min(...[...this.addedAt.values()]);
    return {
      waiting,
      active: this.active,
      delayed,
      failed: this.failures,
      oldestWaitingMs: Number.isFinite(oldest) ? Date.now() - oldest : 0,
    };
  }

  /** Resolves once no job runs or waits, including the jobs those jobs added (tests, the Action). */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idlers.push(resolve));
  }

  /** Stops the timers of paused batches (they are lost, as every job of this queue on a restart). */
  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.pending -= this.timers.size;
    this.timers.clear();
    this.settle();
  }

  private get jobs(): JobRunner {
    if (!this.runner) throw new Error("InProcessWorkQueue: start(runner) was not called");
    return this.runner;
  }

  private async addDelivery(job: DeliveryJob): Promise<void> {
    if (!(await this.deliveries.claim(job.deliveryId))) {
      this.options.skipped?.(job);
      return;
    }
    const run = async () => {
      try {
        await this.jobs.runDelivery(job);
        await this.deliveries.succeeded(job.deliveryId);
      } catch (error) {
        // The handler's error is what matters; a claim that could not be released expires by itself.
        await this.deliveries.failed(job.deliveryId).catch(() => {});
        throw error;
      }
    };
    if (this.options.inline) return run();
    this.pending++;
    // After the caller returns: the webhook is answered before its work runs.
    void Promise.resolve()
      .then(run)
      .catch((error: unknown) => this.report(job, error))
      .finally(() => this.done());
  }

  private async runInline(job: KeyedJob): Promise<void> {
    let batch = [job];
    for (let pauses = 0; ; pauses++) {
      const outcome = await this.jobs.runBatch(batch, pauses);
      if (outcome.resumeAt === undefined) return;
      batch = outcome.rest;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, outcome.resumeAt - Date.now())));
    }
  }

  private pump(): void {
    while (this.active < this.concurrency) {
      const key = this.ready.shift();
      const state = key === undefined ? undefined : this.keys.get(key);
      if (key === undefined || !state) return;
      const batch = [...state.carried, ...state.waiting];
      state.carried = [];
      state.waiting = [];
      state.busy = true;
      this.addedAt.delete(key);
      this.active++;
      void this.execute(key, state, batch);
    }
  }

  private async execute(key: string, state: KeyState, batch: KeyedJob[]): Promise<void> {
    let outcome: BatchOutcome = {};
    try {
      outcome = await this.jobs.runBatch(batch, state.pauses);
    } catch (error) {
      for (const job of batch) this.report(job, error);
      await Promise.all(batch.map((job) => this.forgetDelivery(job.deliveryId)));
    }
    this.active--;
    state.busy = false;
    const { resumeAt } = outcome;
    if (resumeAt !== undefined) {
      // Its place goes to other keys; the key stays held, and what arrives meanwhile joins the resumed batch.
      state.carried = outcome.rest;
      state.pauses++;
      const timer = setTimeout(
        () => {
          this.timers.delete(timer);
          this.ready.push(key);
          this.pump();
        },
        Math.max(0, resumeAt - Date.now()),
      );
      this.timers.add(timer);
    } else {
      state.pauses = 0;
      if (state.waiting.length > 0) this.ready.push(key);
      else {
        this.keys.delete(key);
        this.done();
      }
    }
    this.pump();
  }

  private done(): void {
    this.pending--;
    this.settle();
  }

  private settle(): void {
    if (this.pending > 0) return;
    const idlers = this.idlers;
    this.idlers = [];
    for (const resolve of idlers) resolve();
  }

  private report(job: Job, error: unknown): void {
    this.failures++;
    try {
      this.options.failed?.(job, error);
    } catch (reportError) {
      // The logger itself failed: stderr is all that is left, and the process must go on.
      console.error("plan-sync: a job failed and could not be logged", error, reportError);
    }
  }
}
