// A pino logger whose JSON lines a test reads back (pino writes to a plain stream synchronously, so a line logged
// before an `await` is there after it).
import { Writable } from "node:stream";
import { pino } from "pino";
import type { Logger } from "probot";

export type LogLine = Record<string, unknown> & { level: number; msg: string };

export class LogCapture {
  private readonly raw: string[] = [];
  private pending = "";
  /** Probot's and the app's logger (Probot bundles its own pino; the interface is the same). */
  readonly log: Logger;

  constructor(level: "debug" | "info" = "info") {
    const stream = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        const parts = (this.pending + chunk.toString("utf8")).split("\n");
        this.pending = parts.pop() ?? "";
        this.raw.push(...parts.filter((line) => line.trim() !== ""));
        done();
      },
    });
    this.log = pino({ level, name: "probot" }, stream) as unknown as Logger;
  }

  get lines(): LogLine[] {
    return this.raw.map((line) => JSON.parse(line) as LogLine);
  }

  /** Lines with this message (exact). */
  withMessage(msg: string): LogLine[] {
    return this.lines.filter((line) => line.msg === msg);
  }
}
