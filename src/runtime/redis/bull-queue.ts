// The work queue on BullMQ (https://docs.bullmq.io), when REDIS_URL is set: jobs wait in Redis, survive a
// restart, and any instance's worker runs them.
//   - A delivery's job has the job id `delivery-<X-GitHub-Delivery>`: BullMQ ignores a job whose id it holds,
//     so a delivery is handled once; its record is kept 3 days (GitHub's redelivery window), and removed when its
//     work failed (a redelivery then runs again).
//   - A keyed job (a plan's sync, a PR's preview, a writeback) goes to a list per key, and a `batch` job for the
//     key is added with BullMQ's deduplication on the key and `keepLastIfActive`: at most one batch job per key
//     runs (across every instance) and one waits; the batch takes every job listed for its key when it starts, so
//     those that came while one ran are served by ONE more run. The taken jobs stay under the batch job's id
//     until it ends, so a batch whose worker died (SIGKILL) is taken up again by another worker (stalled-job
//     recovery) with the same jobs.
//   - A batch paused by GitHub's hourly limit is moved to BullMQ's delayed set until the reset: it survives a
//     restart, and what arrives meanwhile joins it.
//   - A job that throws is retried with exponential back-off (3 attempts); a failed job is kept 7 days with its
//     error (`plan-sync:<appId>:jobs:failed`).
import type { Redis } from "ioredis";
import { DelayedError, Queue, Worker, type Job as BullJob } from "bullmq";
import type { DeliveryJob, Job, KeyedJob } from "../../app/jobs.js";
import { keyOf, type JobRunner } from "../../app/work-queue.js";
import type { QueueAdapter } from "../create-app.js";

export const QUEUE_NAME = "jobs";
const DAY_S = 24 * 3_600;
/** A failed job is kept this long, with its error and (for a batch) the jobs it had taken. */
const FAILED_KEPT_S = 7 * DAY_S;

export interface BullWorkQueueOptions {
  connection: Redis;
  /** `plan-sync:<appId>`: BullMQ's keys are `<prefix>:jobs:…`, ours `<prefix>:pending:…`, `<prefix>:taken:…`. */
  prefix: string;
  /** Jobs this instance runs at the same time; default 4. */
  concurrency?: number;
  /** How long a worker's hold on a job lasts without renewal (BullMQ's default 30 s); a dead worker's job is taken up after it. */
  lockDurationMs?: number;
  /** Tries of a job that throws; default 3. */
  attempts?: number;
  log?: { error(fields: object, message: string): void; warn(fields: object, message: string): void };
  /** Told of a job that failed for good. */
  failed?: (job: Job, error: unknown) => void;
}

type BatchData = { key: string; pauses?: number };

// Takes every job listed for the key into the batch's own list (kept when the batch is run again) and answers it.
const TAKE = `
local jobs = redis.call("lrange", KEYS[1], 0, -1)
for _, job in ipairs(jobs) do redis.call("rpush", KEYS[2], job) end
redis.call("del", KEYS[1])
return redis.call("lrange", KEYS[2], 0, -1)`;

export class BullWorkQueue implements QueueAdapter {
  readonly queue: Queue;
  private worker: Worker | null = null;
  /** The worker's own connection (it blocks waiting for jobs), closed with it. */
  private workerConnection: Redis | null = null;
  private readonly attempts: number;

  constructor(private readonly options: BullWorkQueueOptions) {
    this.queue = new Queue(QUEUE_NAME, { connection: options.connection, prefix: options.prefix });
    this.attempts = options.attempts ?? 3;
  }

  async add(job: Job): Promise<void> {
    const retries = { attempts: this.attempts, backoff: { type: "exponential", delay: 5_000 } };
    if (job.kind === "delivery") {
      const jobId = deliveryJobId(job.deliveryId);
      // A delivery whose first handling failed is handled again (its failed record would hold the id).
      const existing = await this.queue.getJob(jobId);
      if (existing && (await existing.isFailed())) await existing.remove();
      await this.queue.add("delivery", job, {
        ...retries,
        jobId,
        removeOnComplete: { age: 3 * DAY_S },
        removeOnFail: { age: FAILED_KEPT_S },
      });
      return;
    }
    const key = keyOf(job);
    await this.options.connection.rpush(this.pendingKey(key), JSON.stringify(job));
    await this.queue.add("batch", { key } satisfies BatchData, {
      ...retries,
      deduplication: { id: key, keepLastIfActive: true },
      removeOnComplete: { age: DAY_S, count: 1_000 },
      removeOnFail: { age: FAILED_KEPT_S },
    });
  }

  async forgetDelivery(deliveryId: string): Promise<void> {
    const job = await this.queue.getJob(deliveryJobId(deliveryId));
    if (job && !(await job.isActive())) await job.remove().catch(() => {});
  }

  start(runner: JobRunner): void {
    this.workerConnection = this.options.connection.duplicate();
    this.workerConnection.on("error", () => {}); // reported by the shared connection's listener
    this.worker = new Worker(QUEUE_NAME, (job, token) => this.process(runner, job, token), {
      connection: this.workerConnection,
      prefix: this.options.prefix,
      concurrency: this.options.concurrency ?? 4,
      ...(this.options.lockDurationMs ? { lockDuration: this.options.lockDurationMs } : {}),
      ...(this.options.lockDurationMs ? { stalledInterval: this.options.lockDurationMs } : {}),
      maxStalledCount: 3,
    });
    this.worker.on("failed", (job, error) => {
      if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
      if (job.name === "delivery") {
        this.options.failed?.(job.data as DeliveryJob, error);
        return;
      }
      this.options.log?.error({ err: error, key: (job.data as BatchData).key }, "plan-sync: job failed");
      // Its taken jobs go when the failed record does (a retry within those days runs them again).
      void this.options.connection
        .expire(this.takenKey(job.id as string), FAILED_KEPT_S)
        .catch((cause: unknown) =>
          this.options.log?.warn(
            { error: String(cause) },
            "plan-sync: could not expire a failed batch's jobs",
          ),
        );
    });
    this.worker.on("error", (error) =>
      this.options.log?.warn({ error: String(error) }, "plan-sync: job worker error"),
    );
  }

  /** Waiting, running, delayed and failed jobs, and the age of the oldest waiting one (for /metrics). */
  async counts(): Promise<{
    waiting: number;
    active: number;
    delayed: number;
    failed: number;
    oldestWaitingMs: number;
  }> {
    const counts = await this.queue.getJobCounts("wait", "active", "delayed", "failed", "prioritized");
    const [oldest] = await this.queue.getJobs(["wait"], 0, 0, true);
    return {
      waiting: (counts["wait"] ?? 0) + (counts["prioritized"] ?? 0),
      active: counts["active"] ?? 0,
      delayed: counts["delayed"] ?? 0,
      failed: counts["failed"] ?? 0,
      oldestWaitingMs: oldest ? Math.max(0, Date.now() - oldest.timestamp) : 0,
    };
  }

  /** Resolves once no job waits, runs or is delayed, on any instance (tests). */
  async idle(): Promise<void> {
    for (;;) {
      const counts = await this.queue.getJobCounts(
        "wait",
        "active",
        "delayed",
        "prioritized",
        "waiting-children",
      );
      if (Object.values(counts).every((count) => count === 0)) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Stops taking jobs and waits for the running ones (SIGTERM); the rest stay queued for other instances. */
  async drain(): Promise<void> {
    await this.worker?.close();
  }

  async close(): Promise<void> {
    await this.worker?.close(true);
    await this.queue.close();
    this.workerConnection?.disconnect();
  }

  private async process(runner: JobRunner, job: BullJob, token: string | undefined): Promise<void> {
    if (job.name === "delivery") return runner.runDelivery(job.data as DeliveryJob);
    const data = job.data as BatchData;
    const taken = this.takenKey(job.id as string);
    const listed = (await this.options.connection.eval(
      TAKE,
      2,
      this.pendingKey(data.key),
      taken,
    )) as string[];
    const jobs = listed.map((text) => JSON.parse(text) as KeyedJob);
    if (jobs.length === 0) return; // another batch served them
    const outcome = await runner.runBatch(jobs, data.pauses ?? 0);
    if (outcome.resumeAt === undefined) {
      await this.options.connection.del(taken);
      return;
    }
    // Only the jobs it did not finish wait for the resume (with those listed for the key meanwhile).
    const rest = outcome.rest.map((one) => JSON.stringify(one));
    const multi = this.options.connection.multi().del(taken);
    await (rest.length > 0 ? multi.rpush(taken, ...rest) : multi).exec();
    await job.updateData({ ...data, pauses: (data.pauses ?? 0) + 1 });
    await job.moveToDelayed(outcome.resumeAt, token);
    throw new DelayedError();
  }

  private pendingKey(key: string): string {
    return `${this.options.prefix}:pending:${key}`;
  }

  private takenKey(jobId: string): string {
    return `${this.options.prefix}:taken:${jobId}`;
  }
}

function deliveryJobId(deliveryId: string): string {
  // BullMQ refuses `:` in a custom id; GitHub's delivery ids are UUIDs.
  return `delivery-${deliveryId.replaceAll(":", "-")}`;
}
