// Work for one (repository, plan) runs one at a time in this process: two deliveries syncing the same plan at
// once would both see an item without an issue and both create it. The second waits, then reads the issues
// afresh (syncPlan lists them inside the lock), so it finds what the first created.

export class PlanLocks {
  /** Per key, the promise that settles when the last queued holder is done. */
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => held);
    this.tails.set(key, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Keys held or waited for (tests: empty once every sync is done). */
  get size(): number {
    return this.tails.size;
  }
}

/** The key of one plan of one repository. */
export function planKey(owner: string, repo: string, path: string): string {
  return `${owner}/${repo}:${path}`;
}
