// The work queue itself, with no GitHub behind it (the runner does nothing): how many jobs a second go through
// BullMQ with two instances sharing one redis-server, and what BullMQ adds to each job's wait against the
// in-process queue (from `add` to the worker starting it, one job at a time, so no job waits for another).
// `npx tsx bench/queue.ts`, or through bench/index.ts. Needs redis-server (apt-get install redis-server).
import { pathToFileURL } from "node:url";
import { Redis } from "ioredis";
import type { KeyedJob, WriteBackJob } from "../src/app/jobs.js";
import type { JobRunner } from "../src/app/work-queue.js";
import { InProcessWorkQueue } from "../src/runtime/in-process-queue.js";
import { BullWorkQueue } from "../src/runtime/redis/bull-queue.js";
import { redisServerBinary, startRedis } from "../test/support/redis.js";

const THROUGHPUT_JOBS = 2_000;
const LATENCY_JOBS = 200;
const PREFIX = "plan-sync:bench";

const jobOf = (index: number): WriteBackJob => ({
  kind: "write-back",
  installationId: 1,
  deliveryId: `d-${index}`,
  repo: { owner: "bench", repo: "queue", branch: "main", host: "github.com" },
  path: `plans/p${index}.md`,
  botLogins: [],
  items: [],
  config: { max_items: 500, draft: "preview" },
});

/** A runner that notes when each job started and does nothing else. */
function notingRunner(started: Map<string, number>): JobRunner {
  return {
    runDelivery: async () => {},
    runBatch: async (jobs: KeyedJob[]) => {
      for (const job of jobs) started.set(job.deliveryId, performance.now());
      return {};
    },
  };
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 2));
}

/** Median wait from `add` to the start, ms, adding the next job only once the last one started. */
async function latency(
  add: (job: WriteBackJob) => Promise<void>,
  started: Map<string, number>,
): Promise<number> {
  const waits: number[] = [];
  for (let index = 0; index < LATENCY_JOBS; index++) {
    const job = jobOf(1_000_000 + index);
    const sent = performance.now();
    await add(job);
    await until(() => started.has(job.deliveryId));
    waits.push((started.get(job.deliveryId) as number) - sent);
  }
  waits.sort((a, b) => a - b);
  return waits[Math.floor(waits.length / 2)] as number;
}

export async function run(): Promise<void> {
  const binary = redisServerBinary();
  if (!binary) {
    console.log("queue: SKIPPED (no redis-server binary)");
    return;
  }
  const server = await startRedis(binary);
  const connections: Redis[] = [];
  const queues: BullWorkQueue[] = [];
  try {
    const started = new Map<string, number>();
    for (let instance = 0; instance < 2; instance++) {
      const connection = new Redis(server.url, { maxRetriesPerRequest: null });
      connections.push(connection);
      const queue = new BullWorkQueue({ connection, prefix: PREFIX, concurrency: 4 });
      queue.start(notingRunner(started));
      queues.push(queue);
    }
    const [a, b] = queues as [BullWorkQueue, BullWorkQueue];
    const begin = performance.now();
    await Promise.all(
      Array.from({ length: THROUGHPUT_JOBS }, (_, index) => (index % 2 === 0 ? a : b).add(jobOf(index))),
    );
    await until(() => started.size >= THROUGHPUT_JOBS);
    const seconds = (performance.now() - begin) / 1000;
    const bullLatency = await latency((job) => a.add(job), started);

    const local = new Map<string, number>();
    const inProcess = new InProcessWorkQueue();
    inProcess.start(notingRunner(local));
    const localLatency = await latency((job) => inProcess.add(job), local);

    console.log(
      `queue: BullMQ, two instances (4 jobs at once each), one redis-server: ${THROUGHPUT_JOBS} jobs in ${seconds.toFixed(2)} s = ${Math.round(THROUGHPUT_JOBS / seconds)} jobs/s`,
    );
    console.log(
      `queue: wait from add to start, median of ${LATENCY_JOBS}: BullMQ ${bullLatency.toFixed(2)} ms, in process ${localLatency.toFixed(3)} ms: BullMQ adds ${(bullLatency - localLatency).toFixed(2)} ms per job`,
    );
  } finally {
    for (const queue of queues) await queue.close();
    for (const connection of connections) connection.disconnect();
    await server.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await run();
