// The entry of a parse worker thread (see parse-pool.ts): parses the plans it is sent, one at a time, off the
// server's event loop, and posts each Plan back. Plans are plain data, so they cross by structured clone.
import { parentPort } from "node:worker_threads";
import type { ParseOptions, Plan } from "../plan/model.js";
import { parsePlan } from "../plan/parse.js";

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

port.on("message", (request: ParseRequest) => {
  const plan = parsePlan(request.source, request.options);
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
