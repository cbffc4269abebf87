// Stopping the server (`docker stop` sends SIGTERM, then SIGKILL after its grace period): the instance stops
// taking jobs and the running ones get a few seconds to finish. With BullMQ the rest stays queued for the other
// instances (a job cut off is taken up again once its lock expires); in process, whatever still runs then (a
// sync paused by a rate limit can wait for most of an hour) has its check run concluded `neutral` with the
// reason, so no run stays "in progress" forever. Then Redis is closed and the process stops as the signal asks.
import type { CheckOutcome, GitHubLayer } from "../github/index.js";

/** How long work may run on after SIGTERM (Docker waits 10 s before SIGKILL). */
const SHUTDOWN_GRACE_MS = 8_000;

export const INTERRUPTED: CheckOutcome = {
  conclusion: "neutral",
  title: "Interrupted: plan-sync was restarted",
  summary:
    "plan-sync stopped before this run finished (a deploy or a restart). Nothing is half-written that the next " +
    "sync cannot finish: the next push to the branch syncs its plans again from the branch head.",
  annotations: [],
};

/** The check runs this process started and has not completed yet. */
export class OpenCheckRuns {
  private readonly runs = new Map<number, GitHubLayer>();

  /** Tracks a run until `close(id)` (when the run is completed). */
  open(github: GitHubLayer, id: number): void {
    this.runs.set(id, github);
  }

  close(id: number): void {
    this.runs.delete(id);
  }

  get size(): number {
    return this.runs.size;
  }

  /** Completes every run still open with `outcome`; a run GitHub refuses to complete is skipped. */
  async concludeAll(outcome: CheckOutcome): Promise<number> {
    const open = [...this.runs.entries()];
    this.runs.clear();
    const done = await Promise.allSettled(open.map(([id, github]) => github.completeCheckRun(id, outcome)));
    return done.filter((result) => result.status === "fulfilled").length;
  }
}

export interface Shutdown {
  /** Stops taking jobs and resolves once the running ones have finished (their jobs stay queued otherwise). */
  drain: () => Promise<void>;
  /** In process: the runs still open past the grace are concluded as interrupted (their jobs are lost). */
  openRuns?: OpenCheckRuns;
  /** Closes what the instances share (Redis); runs last. */
  close: () => Promise<void>;
  graceMs?: number;
  log: { info: (fields: object, message: string) => void };
}

/** The stop sequence: drain for `graceMs`, conclude the runs left open as interrupted, close. */
export async function shutDown(shutdown: Shutdown): Promise<void> {
  const grace = shutdown.graceMs ?? SHUTDOWN_GRACE_MS;
  let timer: NodeJS.Timeout | undefined;
  const drained = await Promise.race([
    shutdown.drain().then(() => true),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), grace))),
  ]);
  clearTimeout(timer);
  const interrupted = drained || !shutdown.openRuns ? 0 : await shutdown.openRuns.concludeAll(INTERRUPTED);
  shutdown.log.info({ drained, interrupted }, "plan-sync: stopping");
  await shutdown.close();
}

/**
 * Runs the stop sequence on SIGTERM, then raises it again so the process stops as asked. (SIGINT, Ctrl-C in
 * development, is Probot's own: it stops the server and exits at once.)
 */
export function stopOnSigterm(shutdown: Shutdown): void {
  process.once("SIGTERM", () => {
    void shutDown(shutdown).finally(() => process.kill(process.pid, "SIGTERM"));
  });
}
