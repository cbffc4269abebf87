// The per-plan queue in process (the promise it keeps: src/app/work-queue.ts). Different plans run side by side,
// at most `concurrency` at a time. Across instances a `PlanLock` (Redis) keeps the one-at-a-time promise; in one
// process the queue alone keeps it.
import type { KeyedQueue, Merge } from "../app/work-queue.js";

/** Holds a plan for the length of `work` against other instances; waits while another holds it. */
export interface PlanLock {
  hold<T>(key: string, work: () => Promise<T>): Promise<T>;
}

export interface PlanQueueOptions {
  /** Plans synced at the same time, at most; default 4 (`PLAN_SYNC_CONCURRENCY` on the server). */
  concurrency?: number;
  /** Taken around each run; default none (one process). */
  lock?: PlanLock;
}

export const DEFAULT_CONCURRENCY = 4;

interface Waiter {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** One run to come: the latest request and work, and every caller waiting for it. */
interface Batch {
  request: unknown;
  work: (request: unknown) => Promise<unknown>;
  merge: Merge<unknown>;
  waiters: Waiter[];
  /** Set when the work begins (lock held): arrivals after that wait for the next batch. */
  started: boolean;
}

interface KeyState {
  /** Running, or waiting for a slot or the lock. */
  current: Batch;
  /** Arrivals since `current` started, coalesced. */
  next: Batch | null;
}

export class PlanQueue implements KeyedQueue {
  private readonly keys = new Map<string, KeyState>();
  /** Keys whose `current` batch waits for a slot, oldest first: a busy plan goes to the back after each run. */
  private readonly ready: string[] = [];
  readonly concurrency: number;
  private readonly lock: PlanLock | null;
  private active = 0;

  constructor(options: PlanQueueOptions = {}) {
    const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new Error(`PlanQueue: concurrency must be a whole number from 1 up, not ${concurrency}`);
    this.concurrency = concurrency;
    this.lock = options.lock ?? null;
  }

  /**
   * Runs `work(request)` for `key`, or joins the run that is still to come for it: then the newest arrival's
   * work runs, on `merge(waiting request, this request)`, and every caller gets that run's result (or error).
   */
  run<R, T>(key: string, request: R, work: (request: R) => Promise<T>, merge: Merge<R> = newest): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = { resolve: resolve as (value: unknown) => void, reject };
      const state = this.keys.get(key);
      const open = state && (state.next ?? (state.current.started ? null : state.current));
      if (open) {
        open.request = open.merge(open.request, request);
        open.work = work as Batch["work"];
        open.merge = merge as Merge<unknown>;
        open.waiters.push(waiter);
        return;
      }
      const batch: Batch = {
        request,
        work: work as Batch["work"],
        merge: merge as Merge<unknown>,
        waiters: [waiter],
        started: false,
      };
      if (state) state.next = batch;
      else {
        this.keys.set(key, { current: batch, next: null });
        this.ready.push(key);
        this.pump();
      }
    });
  }

  /** Plans running or waiting (tests: empty once every sync is done). */
  get size(): number {
    return this.keys.size;
  }

  /** Callers waiting for `key` beyond the run in progress (tests and logs). */
  waiting(key: string): number {
    const state = this.keys.get(key);
    if (!state) return 0;
    return (state.next?.waiters.length ?? 0) + (state.current.started ? 0 : state.current.waiters.length);
  }

  private pump(): void {
    while (this.active < this.concurrency) {
      const key = this.ready.shift();
      const state = key === undefined ? undefined : this.keys.get(key);
      if (key === undefined || !state) return;
      this.active++;
      void this.execute(key, state);
    }
  }

  private async execute(key: string, state: KeyState): Promise<void> {
    const batch = state.current;
    const begin = () => {
      batch.started = true;
      return batch.work(batch.request);
    };
    try {
      const value = await (this.lock ? this.lock.hold(key, begin) : begin());
      for (const waiter of batch.waiters) waiter.resolve(value);
    } catch (error) {
      for (const waiter of batch.waiters) waiter.reject(error);
    } finally {
      this.active--;
      if (state.next) {
        state.current = state.next;
        state.next = null;
        this.ready.push(key);
      } else this.keys.delete(key);
      this.pump();
    }
  }
}

function newest<R>(_older: R, newer: R): R {
  return newer;
}
