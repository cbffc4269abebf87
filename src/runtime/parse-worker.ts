// The entry of a parse worker thread (see parse-pool.ts): parses the plans it is sent, one at a time, off the
// server's event loop, and posts each Plan back. Plans are plain data, so they cross by structured clone.
import { parentPort, workerData } from "node:worker_threads";
import type { ParseOptions, Plan } from "../plan/model.js";
import { parsePlan } from "../plan/parse.js";
import { PARSE_STAGES, type ParseProgress, type ParseStage } from "../plan/parse-progress.js";

/** What the pool sends: one plan to parse. */
export interface ParseRequest {
  source: string;
  options: ParseOptions;
}

/** What the worker posts: once `ready` when loaded, then one `parsed` (or `failed`) per request. */
export type WorkerMessage =
  { kind: "ready" } | { kind: "parsed"; plan: Plan } | { kind: "failed"; reason: string };

const port = parentPort;
if (!port) throw new Error("parse-worker.js runs as a worker thread of the parse pool");
/** Where the parse is, in memory shared with the pool: [index in PARSE_STAGES, 1-based line of the file]. The
 *  pool reads it when it stops a parse: a worker busy parsing cannot answer a message. */
const shared = (workerData as { progress?: Int32Array } | null)?.progress;
const stageIndex = new Map<ParseStage, number>(PARSE_STAGES.map((stage, index) => [stage, index]));
const progress: ParseProgress | undefined = shared && {
  stage: (stage) => {
    Atomics.store(shared, 0, stageIndex.get(stage) ?? 0);
    Atomics.store(shared, 1, 0);
  },
  line: (line) => void Atomics.store(shared, 1, line),
};

port.on("message", (request: ParseRequest) => {
  const plan = parsePlan(request.source, { ...request.options, ...(progress ? { progress } : {}) });
  try {
    port.postMessage({ kind: "parsed", plan } satisfies WorkerMessage);
  } catch (error) {
    // A value structured clone refuses (none today: front matter is YAML's core schema) must not kill the thread.
    const reason = error instanceof Error ? error.message : String(error);
    port.postMessage({ kind: "failed", reason } satisfies WorkerMessage);
  }
});
// Module loading (remark, micromark) is not parse time: the pool starts the clock after this.
port.postMessage({ kind: "ready" } satisfies WorkerMessage);
