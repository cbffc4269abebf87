// Work that runs after the webhook is answered (SPEC.md §6: "answered at once, its work runs afterwards").
// @octokit/webhooks answers only once every handler has settled, so a handler that syncs a 120-step plan would
// hold GitHub's request for minutes (GitHub gives up after 10 s). Handlers start their job here and return.
// The jobs live in this process only: a restart loses them, and the next push repairs that (SPEC.md §5).

/** What a job that failed is reported to (it must not throw: nobody is left to catch it). */
export type JobFailure = (error: unknown) => void;

export class BackgroundWork {
  private readonly running = new Set<Promise<void>>();

  /**
   * Runs `job` after the caller returns. Its error goes to `failed`, never to the caller or the process (an
   * unhandled rejection would end it).
   */
  start(job: () => Promise<unknown>, failed: JobFailure): void {
    const run = Promise.resolve()
      .then(job)
      .then(
        () => {},
        (error: unknown) => report(failed, error),
      )
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }

  /** Jobs started and not yet settled. */
  get size(): number {
    return this.running.size;
  }

  /** Resolves once no job runs, including jobs started by the jobs it waited for (tests, the Action). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}

function report(failed: JobFailure, error: unknown): void {
  try {
    failed(error);
  } catch (reportError) {
    // The logger itself failed: stderr is all that is left, and the process must go on.
    console.error("plan-sync: a background job failed and could not be logged", error, reportError);
  }
}
