// Logs for a workflow run: plain lines on stdout, with errors and warnings as workflow commands so they
// annotate the run (https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions).
import { pino } from "pino";
import type { Logger } from "probot";
import type { ActionEnv } from "./env.js";
import { escapeCommandData } from "./workflow-commands.js";

type Level = "trace" | "debug" | "info" | "warn" | "error" | "fatal" | "silent";
const LEVELS: readonly Level[] = ["trace", "debug", "info", "warn", "error", "fatal", "silent"];

interface LogLine {
  level: number;
  msg?: string;
  err?: { message?: string };
}

/** One pino JSON line as the runner should see it. */
export function formatForActions(json: string): string {
  const line = JSON.parse(json) as LogLine;
  const text = [line.msg, line.err?.message].filter(Boolean).join(": ");
  if (line.level >= 50) return `::error::${escapeCommandData(text)}`;
  if (line.level >= 40) return `::warning::${escapeCommandData(text)}`;
  if (line.level < 30) return `::debug::${escapeCommandData(text)}`;
  return text;
}

/** LOG_LEVEL if valid; debug when the run was re-run with debug logging (RUNNER_DEBUG=1); else info. */
export function actionLogLevel(env: ActionEnv): Level {
  const wanted = env["LOG_LEVEL"] as Level | undefined;
  if (wanted && LEVELS.includes(wanted)) return wanted;
  return env["RUNNER_DEBUG"] === "1" ? "debug" : "info";
}

export function createActionLog(
  env: ActionEnv,
  write: (line: string) => void = (line) => process.stdout.write(line),
): Logger {
  const destination = {
    write(chunk: string) {
      for (const json of chunk.split("\n")) if (json.trim()) write(`${formatForActions(json)}\n`);
    },
  };
  // Probot bundles its own pino; the logger interface is the same.
  return pino({ level: actionLogLevel(env), name: "plan-sync" }, destination) as unknown as Logger;
}
