// Delivery dedupe: GitHub redelivers a webhook (by hand, or after a timeout) with the same X-GitHub-Delivery.
// A delivery handled successfully is not handled again; one whose handling failed is forgotten, so its
// redelivery runs it again (a sync is safe to repeat). In-process: a bounded map, oldest first, with expiry.

export interface DeliveryLedgerOptions {
  /** How long a handled delivery is remembered; GitHub offers redelivery for 3 days. */
  ttlMs?: number;
  /** At most this many deliveries remembered; the oldest go first. */
  maxEntries?: number;
  now?: () => number;
}

type State = { state: "running" | "done"; expires: number };

export class DeliveryLedger {
  private readonly entries = new Map<string, State>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: DeliveryLedgerOptions = {}) {
    this.ttlMs = options.ttlMs ?? 3 * 24 * 3_600_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** True when this delivery is new (the caller handles it); false when it is running or done already. */
  claim(id: string): boolean {
    const now = this.now();
    const entry = this.entries.get(id);
    if (entry && entry.expires > now) return false;
    this.entries.delete(id);
    this.entries.set(id, { state: "running", expires: now + this.ttlMs });
    this.evict(now);
    return true;
  }

  succeeded(id: string): void {
    this.entries.set(id, { state: "done", expires: this.now() + this.ttlMs });
  }

  /** Forgets the delivery: a redelivery is handled again. */
  failed(id: string): void {
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
  if (!ledger.claim(id)) {
    skipped();
    return;
  }
  try {
    if ((await work()) === false) ledger.failed(id);
    else ledger.succeeded(id);
  } catch (error) {
    ledger.failed(id);
    throw error;
  }
}
