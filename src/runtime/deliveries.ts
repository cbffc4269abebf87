// Delivery dedupe: GitHub redelivers a webhook (by hand, or after a timeout) with the same X-GitHub-Delivery.
// A delivery handled successfully is not handled again; one whose handling failed is forgotten, so its
// redelivery runs it again (a sync is safe to repeat). A claim still running expires, so a handler that died
// (its instance crashed) does not block the redelivery for good. In process here; RedisDeliveryLedger
// (redis-deliveries.ts) shares the claims between instances.

/** The ledger of deliveries; async so that a Redis-backed one fits. */
export interface DeliveryLedger {
  /** True when this delivery is new (the caller handles it); false when it is running or done already. */
  claim(id: string): Promise<boolean>;
  succeeded(id: string): Promise<void>;
  /** Forgets the delivery: a redelivery is handled again. */
  failed(id: string): Promise<void>;
}

export interface DeliveryLedgerOptions {
  /** How long a handled delivery is remembered; GitHub offers redelivery for 3 days. */
  ttlMs?: number;
  /** How long a claim still running holds; past it the handler is taken for dead. */
  runningTtlMs?: number;
  /** At most this many deliveries remembered; the oldest go first. */
  maxEntries?: number;
  now?: () => number;
}

export const DELIVERY_DONE_TTL_MS = 3 * 24 * 3_600_000;
export const DELIVERY_RUNNING_TTL_MS = 10 * 60_000;

type State = { state: "running" | "done"; expires: number };

export class InProcessDeliveryLedger implements DeliveryLedger {
  private readonly entries = new Map<string, State>();
  private readonly ttlMs: number;
  private readonly runningTtlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: DeliveryLedgerOptions = {}) {
    this.ttlMs = options.ttlMs ?? DELIVERY_DONE_TTL_MS;
    this.runningTtlMs = options.runningTtlMs ?? DELIVERY_RUNNING_TTL_MS;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  async claim(id: string): Promise<boolean> {
    const now = this.now();
    const entry = this.entries.get(id);
    if (entry && entry.expires > now) return false;
    this.entries.delete(id);
    this.entries.set(id, { state: "running", expires: now + this.runningTtlMs });
    this.evict(now);
    return true;
  }

  async succeeded(id: string): Promise<void> {
    this.entries.delete(id);
    this.entries.set(id, { state: "done", expires: this.now() + this.ttlMs });
  }

  async failed(id: string): Promise<void> {
    this.entries.delete(id);
  }

  get size(): number {
    return this.entries.size;
  }

  private evict(now: number): void {
    for (const [id, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && entry.expires > now) break;
      this.entries.delete(id);
    }
  }
}

/**
 * Runs `work` once per delivery id: skipped when the id was claimed already; released (a redelivery runs it
 * again) when it throws or answers `false` (a failure it reported itself, e.g. on the check run).
 */
export async function oncePerDelivery(
  ledger: DeliveryLedger,
  id: string,
  work: () => Promise<boolean | void>,
  skipped: () => void = () => {},
): Promise<void> {
  if (!(await ledger.claim(id))) {
    skipped();
    return;
  }
  let outcome: boolean | void;
  try {
    outcome = await work();
  } catch (error) {
    // The handler's error is what matters; a claim that could not be released expires by itself.
    await ledger.failed(id).catch(() => {});
    throw error;
  }
  if (outcome === false) await ledger.failed(id);
  else await ledger.succeeded(id);
}
