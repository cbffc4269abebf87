// What the handlers and workflows ask of the queue their jobs (src/app/jobs.ts) go to, and the keys jobs run
// under (SPEC.md §6). Jobs of one key run one at a time: two syncs of the same plan at once would both see an
// item without an issue and both create it. The jobs of a key that arrive while one of its runs goes on wait,
// and are handed over TOGETHER to one more run (a sync reads the plan and the issues afresh, so one run of the
// latest state does the work of all of them). Two adapters implement it (src/runtime/): in process, and BullMQ
// when REDIS_URL is set (then across every instance, and the jobs survive a restart).
import type { DeliveryJob, Job, KeyedJob } from "./jobs.js";

export interface WorkQueue {
  /**
   * Adds a delivery's job; a delivery id seen before (being handled, or handled) is ignored. Keyed jobs wait
   * behind the run of their key, if one goes on.
   */
  add(job: Job): Promise<void>;
  /** The delivery's work failed: a redelivery of it (same X-GitHub-Delivery) runs again. */
  forgetDelivery(deliveryId: string): Promise<void>;
}

/** What runs the jobs (src/runtime/job-worker.ts); the adapters call it. */
export interface JobRunner {
  runDelivery(job: DeliveryJob): Promise<void>;
  /**
   * Runs the jobs of one key that waited together, oldest first. `pauses`: how often this batch was paused
   * already. Answers `resumeAt` (ms since the epoch) when GitHub's rate limit stopped it: `rest` (the jobs it
   * did not finish) is to run again then, with the jobs that came meanwhile, its key held until it has.
   */
  runBatch(jobs: KeyedJob[], pauses: number): Promise<BatchOutcome>;
}

export type BatchOutcome = { resumeAt?: undefined } | { resumeAt: number; rest: KeyedJob[] };

/**
 * The key a job runs under; a delivery's job runs under its delivery id (nothing coalesces with it). A
 * repository's plans sync one at a time, in the order their jobs came (a push's plans in its order, as its check
 * run lists them), and their writes go one at a time anyway (GitHub's limits are the installation's).
 */
export function keyOf(job: Job): string {
  switch (job.kind) {
    case "delivery":
      return `delivery:${job.deliveryId}`;
    case "sync-plan":
      return plansKey(job.repo.owner, job.repo.repo);
    case "pull-request":
      return pullRequestKey(job.repo.owner, job.repo.repo, job.number);
    case "write-back":
      return `${planKey(job.repo.owner, job.repo.repo, job.path)}#writeback`;
  }
}

/** The key of a repository's plan syncs. */
export function plansKey(owner: string, repo: string): string {
  return `${owner}/${repo}:plans`;
}

/** The key of one plan of one repository: the jobs of a batch that serve it together. */
export function planKey(owner: string, repo: string, path: string): string {
  return `${owner}/${repo}:${path}`;
}

/** The key of one pull request: its events are handled one at a time (one status comment, never two). */
export function pullRequestKey(owner: string, repo: string, number: number): string {
  return `${owner}/${repo}#${number}`;
}
