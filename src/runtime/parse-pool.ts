// Plans parsed in worker threads, so no parse stalls the server: webhooks and /healthz are answered meanwhile
// (SPEC.md §6). Each parse has a time limit; past it the worker is terminated and the plan refused with a
// `parse-timeout` diagnostic (nothing is written), and the next parse gets a fresh worker. Parses beyond the pool
// size wait their turn, in order. Small plans (most are a few KiB) have a worker of their own: they never wait
// behind a large parse. Each worker tells, in memory shared with the pool, which stage and line its parse has
// reached, so a refusal can point at the part of the file that was being read.
import { Worker, type ResourceLimits } from "node:worker_threads";
import { errorAt } from "../plan/diagnostics.js";
import type { Diagnostic, ParseOptions, Plan } from "../plan/model.js";
import { parsePlan } from "../plan/parse.js";
import { PARSE_STAGES, type ParseStage } from "../plan/parse-progress.js";
import type { ParseRequest, WorkerMessage } from "./parse-worker.js";

/** A parse's time limit unless told otherwise (the server: PLAN_SYNC_PARSE_TIMEOUT_MS). */
export const DEFAULT_PARSE_TIMEOUT_MS = 20_000;

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
  /** [index in PARSE_STAGES, 1-based line]: where its parse is, written by the worker. */
  progress: Int32Array;
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
    this.timeoutMs = options.timeoutMs ?? DEFAULT_PARSE_TIMEOUT_MS;
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
    for (const job of this.queue.splice(0))
      job.resolve(unreadPlan(job.request, "plan-sync was stopping", null));
    await Promise.all(
      [...this.threads].map((thread) => this.retire(thread, "plan-sync was stopping", false)),
    );
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
    const progress = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
    const worker = new Worker(entry.url, {
      ...entry.options,
      workerData: { progress },
      ...(this.resourceLimits ? { resourceLimits: this.resourceLimits } : {}),
    });
    const thread: ParseThread = { worker, progress, ready: false, job: null, timer: null };
    this.threads.add(thread);
    worker.on("message", (message: WorkerMessage) => this.onMessage(thread, message));
    worker.on("error", (error) => void this.retire(thread, `its worker failed (${error.message})`, true));
    worker.on("exit", (code) => void this.retire(thread, `its worker stopped (exit code ${code})`, true));
    return thread;
  }

  private start(thread: ParseThread): void {
    if (!thread.job) return;
    Atomics.store(thread.progress, 0, 0);
    Atomics.store(thread.progress, 1, 0);
    try {
      thread.worker.postMessage(thread.job.request);
    } catch (error) {
      // Options structured clone refuses (a function, say) must answer this parse, not throw in an event handler.
      void this.retire(thread, `it could not be sent to a worker (${(error as Error).message})`, false);
      return;
    }
    const limit = `${this.timeoutMs / 1000} s`;
    thread.timer = setTimeout(
      () => void this.retire(thread, `it took longer than the ${limit} limit`, true),
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
          : unreadPlan(job.request, `its result could not be passed back (${message.reason})`, null),
      );
    thread.worker.unref();
    this.dispatch();
    if (thread.job === null && this.idleMs > 0) {
      thread.timer = setTimeout(() => void this.retire(thread, null, false), this.idleMs);
      thread.timer.unref();
    }
  }

  /**
   * Takes a worker out of the pool (time limit, crash, idle, close) and terminates it; its job, if any, is
   * answered with a refused plan saying why, and, when the parse itself was stopped (`stopped`), where it was.
   * Later events of that worker are ignored.
   */
  private async retire(thread: ParseThread, why: string | null, stopped: boolean): Promise<void> {
    if (!this.threads.delete(thread)) return;
    if (thread.timer) clearTimeout(thread.timer);
    const job = thread.job;
    if (job) {
      const where = stopped ? reachedIn(thread.progress) : null;
      job.resolve(unreadPlan(job.request, why ?? "its worker ended", where));
    }
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

/** Where a stopped parse was: its stage and the line it had reached (0: none yet). */
interface Reached {
  stage: ParseStage;
  line: number;
}

function reachedIn(progress: Int32Array): Reached {
  const stage = PARSE_STAGES[Atomics.load(progress, 0)] ?? "starting";
  return { stage, line: Atomics.load(progress, 1) };
}

/** What the parse was doing, in words that end "… at line N". */
const DOING: Record<ParseStage, string> = {
  starting: "starting",
  "front matter": "reading the front matter",
  "markdown blocks": "reading the markdown blocks",
  "inline text": "reading the inline text",
  "markdown tree": "building the markdown tree",
  steps: "looking for steps",
  checks: "checking the steps",
};

/** The first characters of a line, to quote in a message (backticks would end the quote). */
function lineExcerpt(source: string, line: number): string {
  const text = source.replace(/\r\n?/g, "\n");
  let start = 0;
  for (let n = 1; n < line && start !== -1; n += 1) {
    const next = text.indexOf("\n", start);
    start = next === -1 ? -1 : next + 1;
  }
  if (start === -1) return "";
  const end = text.indexOf("\n", start);
  const excerpt = text
    .slice(start, end === -1 ? text.length : end)
    .trim()
    .replaceAll("`", "'");
  return excerpt.length > 60 ? `${excerpt.slice(0, 60)}…` : excerpt;
}

/** The error of a refused plan: why, where the parse was if it was stopped there, and what to do. */
function refusal(source: string, why: string, where: Reached | null): Diagnostic {
  const advice =
    "Split it into smaller plans or simplify its markdown (very long tables, code blocks or lists)";
  const done = "then push again. Nothing is applied.";
  if (!where || where.stage === "starting")
    return errorAt("parse-timeout", `plan-sync stopped reading this file: ${why}. ${advice}, ${done}`);
  if (where.line < 1) {
    const message = `plan-sync stopped reading this file: ${why}, while ${DOING[where.stage]}. ${advice}, ${done}`;
    return errorAt("parse-timeout", message);
  }
  const excerpt = lineExcerpt(source, where.line);
  const quoted = excerpt === "" ? "" : ` (\`${excerpt}\`)`;
  const message =
    `plan-sync stopped reading this file: ${why}, while ${DOING[where.stage]} at line ${where.line}${quoted}. ` +
    `${advice}, starting around that line, ${done}`;
  return errorAt("parse-timeout", message, where.line, 1);
}

/** The plan of a file that could not be read: nothing in it, one error saying why and what to do. */
function unreadPlan(request: ParseRequest, why: string, where: Reached | null): Plan {
  const { path } = request.options;
  const diagnostics = [refusal(request.source, why, where)];
  return { ...parsePlan("", { path }), format: "unknown", diagnostics };
}
