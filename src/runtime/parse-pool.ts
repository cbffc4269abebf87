// Plans parsed in worker threads, so no parse stalls the server: webhooks and /healthz are answered meanwhile
// (SPEC.md §6). Each parse has a time limit; past it the worker is terminated and the plan refused with a
// `parse-timeout` diagnostic (nothing is written), and the next parse gets a fresh worker. Parses beyond the pool
// size wait their turn, in order. Small plans (most are a few KiB) have a worker of their own: they never wait
// behind a large parse.
import { Worker, type ResourceLimits } from "node:worker_threads";
import { errorAt } from "../plan/diagnostics.js";
import type { ParseOptions, Plan } from "../plan/model.js";
import { parsePlan } from "../plan/parse.js";
import type { ParseRequest, WorkerMessage } from "./parse-worker.js";

export interface WorkerParserOptions {
  /** Longest a parse may take before its worker is terminated and the plan refused. Default 20 s. */
  timeoutMs?: number;
  /** Worker threads at most; parses beyond them queue. Default 1 (the server has other work for its cores). */
  workers?: number;
  /** An idle worker ends after this long, handing back the memory a large parse left behind. Default 60 s. */
  idleMs?: number;
  /** V8 heap limits of each worker: a plan that needs more ends its worker (refused), not the server. */
  resourceLimits?: ResourceLimits;
  /** Plans smaller than this are parsed on the calling thread. Default 0: none (a few hostile KiB take seconds). */
  inlineBelowBytes?: number;
  /** Plans smaller than this go to a worker of their own (0: no such lane). Default 8 KiB. */
  smallBelowBytes?: number;
  /** The time limit of a small plan's parse. Default: `timeoutMs` (a loaded machine slows even small ones). */
  smallTimeoutMs?: number;
}

interface Job {
  request: ParseRequest;
  resolve: (plan: Plan) => void;
}

interface ParseThread {
  worker: Worker;
  /** Its modules are loaded: a job's time limit starts when it is posted to a ready worker. */
  ready: boolean;
  job: Job | null;
  timer: NodeJS.Timeout | null;
}

export class WorkerParser {
  private readonly timeoutMs: number;
  private readonly size: number;
  private readonly idleMs: number;
  private readonly resourceLimits: ResourceLimits | undefined;
  private readonly inlineBelowBytes: number;
  private readonly smallBelowBytes: number;
  /** The lane of small plans, a pool of one worker. */
  private readonly small: WorkerParser | null;
  private readonly threads = new Set<ParseThread>();
  private readonly queue: Job[] = [];
  private closed = false;

  constructor(options: WorkerParserOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 20_000;
    this.size = Math.max(1, options.workers ?? 1);
    this.idleMs = options.idleMs ?? 60_000;
    this.resourceLimits = options.resourceLimits;
    this.inlineBelowBytes = options.inlineBelowBytes ?? 0;
    this.smallBelowBytes = options.smallBelowBytes ?? 8 * 1024;
    this.small =
      this.smallBelowBytes > this.inlineBelowBytes
        ? new WorkerParser({
            ...options,
            workers: 1,
            timeoutMs: options.smallTimeoutMs ?? this.timeoutMs,
            smallBelowBytes: 0,
          })
        : null;
  }

  /** `AppDeps.parsePlan`: never rejects; a parse that runs out of time or kills its worker answers a refused plan. */
  readonly parse = (source: string, options: ParseOptions): Promise<Plan> => {
    if (this.closed) return Promise.reject(new Error("the parse pool is closed"));
    const bytes = Buffer.byteLength(source, "utf8");
    if (bytes < this.inlineBelowBytes) return Promise.resolve(parsePlan(source, options));
    if (this.small && bytes < this.smallBelowBytes) return this.small.parse(source, options);
    return new Promise((resolve) => {
      this.queue.push({ request: { source, options }, resolve });
      this.dispatch();
    });
  };

  /** Parses waiting for a worker (not counting those being parsed). */
  get waiting(): number {
    return this.queue.length + (this.small?.waiting ?? 0);
  }

  /** Worker threads alive now (the small plans' one included). */
  get workers(): number {
    return this.threads.size + (this.small?.workers ?? 0);
  }

  /** Ends every worker; parses in progress or waiting are refused. */
  async close(): Promise<void> {
    this.closed = true;
    await this.small?.close();
    for (const job of this.queue.splice(0)) job.resolve(unreadPlan(job.request, "plan-sync was stopping"));
    await Promise.all([...this.threads].map((thread) => this.retire(thread, "plan-sync was stopping")));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const thread = [...this.threads].find((candidate) => candidate.job === null) ?? this.spawn();
      if (!thread) return;
      thread.job = this.queue.shift() ?? null;
      if (thread.timer) clearTimeout(thread.timer);
      thread.timer = null;
      thread.worker.ref(); // a parse in progress keeps the process alive; an idle pool never does
      if (thread.ready) this.start(thread);
    }
  }

  private spawn(): ParseThread | undefined {
    if (this.threads.size >= this.size) return undefined;
    const entry = workerEntry();
    const worker = new Worker(entry.url, {
      ...entry.options,
      ...(this.resourceLimits ? { resourceLimits: this.resourceLimits } : {}),
    });
    const thread: ParseThread = { worker, ready: false, job: null, timer: null };
    this.threads.add(thread);
    worker.on("message", (message: WorkerMessage) => this.onMessage(thread, message));
    worker.on("error", (error) => void this.retire(thread, `its worker failed (${error.message})`));
    worker.on("exit", (code) => void this.retire(thread, `its worker stopped (exit code ${code})`));
    return thread;
  }

  private start(thread: ParseThread): void {
    if (!thread.job) return;
    try {
      thread.worker.postMessage(thread.job.request);
    } catch (error) {
      // Options structured clone refuses (a function, say) must answer this parse, not throw in an event handler.
      void this.retire(thread, `it could not be sent to a worker (${(error as Error).message})`);
      return;
    }
    const limit = `${this.timeoutMs / 1000} s`;
    thread.timer = setTimeout(
      () => void this.retire(thread, `it took longer than the ${limit} limit`),
      this.timeoutMs,
    );
  }

  private onMessage(thread: ParseThread, message: WorkerMessage): void {
    if (!this.threads.has(thread)) return;
    if (message.kind === "ready") {
      thread.ready = true;
      this.start(thread);
      return;
    }
    const job = thread.job;
    if (thread.timer) clearTimeout(thread.timer);
    thread.job = null;
    thread.timer = null;
    if (job)
      job.resolve(
        message.kind === "parsed"
          ? message.plan
          : unreadPlan(job.request, `its result could not be passed back (${message.reason})`),
      );
    thread.worker.unref();
    this.dispatch();
    if (thread.job === null && this.idleMs > 0) {
      thread.timer = setTimeout(() => void this.retire(thread, null), this.idleMs);
      thread.timer.unref();
    }
  }

  /**
   * Takes a worker out of the pool (time limit, crash, idle, close) and terminates it; its job, if any, is
   * answered with a refused plan saying why. Later events of that worker are ignored.
   */
  private async retire(thread: ParseThread, why: string | null): Promise<void> {
    if (!this.threads.delete(thread)) return;
    if (thread.timer) clearTimeout(thread.timer);
    if (thread.job) thread.job.resolve(unreadPlan(thread.job.request, why ?? "its worker ended"));
    thread.job = null;
    if (!this.closed) this.dispatch();
    await thread.worker.terminate();
  }
}

export function createWorkerParser(options: WorkerParserOptions = {}): WorkerParser {
  return new WorkerParser(options);
}

/**
 * The compiled worker next to this file (dist/runtime/parse-worker.js). Under tsx or vitest this file is TypeScript
 * and so is the worker: it is loaded through tsx's API (a dev dependency, resolved from here, not from the cwd);
 * `execArgv: ["--import", "tsx"]` does not reach a worker's entry on Node 20.
 */
function workerEntry(): { url: URL | string; options: { eval?: boolean } } {
  const here = import.meta.url;
  if (!new URL(here).pathname.endsWith(".ts"))
    return { url: new URL("./parse-worker.js", here), options: {} };
  const tsx = JSON.stringify(import.meta.resolve("tsx/esm/api"));
  const entry = JSON.stringify(new URL("./parse-worker.ts", here).href);
  return {
    url: `import(${tsx}).then(({ tsImport }) => tsImport(${entry}, ${entry}))`,
    options: { eval: true },
  };
}

/** The plan of a file that could not be read: nothing in it, one error saying why and what to do. */
function unreadPlan(request: ParseRequest, why: string): Plan {
  const { path } = request.options;
  const message =
    `plan-sync stopped reading this file: ${why}. Split it into smaller plans or simplify its markdown ` +
    `(very long tables, code blocks or lists), then push again. Nothing is applied.`;
  return { ...parsePlan("", { path }), format: "unknown", diagnostics: [errorAt("parse-timeout", message)] };
}
