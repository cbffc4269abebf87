// The server's logger: Probot's own (pino through @probot/pino: JSON or pretty lines, Sentry for errors), read from
// the same environment variables, plus redaction. Probot's HTTP access log (pino-http) writes every request header
// as sent, so an `Authorization` or `Cookie` a proxy or a client adds would land in the logs at `info`.
import { getTransformStream } from "@probot/pino";
import { destination as fileDestination, pino } from "pino";
import type { Logger } from "probot";

/** Where credentials can appear in what Probot, pino-http and Octokit log; replaced by `[REDACTED]`. */
export const REDACTED_PATHS = [
  // pino-http: the request and response of every HTTP request the server answers.
  "req.headers.authorization",
  'req.headers["proxy-authorization"]',
  "req.headers.cookie",
  'res.headers["set-cookie"]',
  // Octokit's RequestError (logged by Probot when a handler throws): Octokit masks the token after the scheme
  // already; the whole value goes, for any error class that does not.
  "err.request.headers.authorization",
  "err.aggregateErrors[*].request.headers.authorization",
] as const;

export interface LoggerOptions {
  /** LOG_LEVEL, LOG_FORMAT, LOG_LEVEL_IN_STRING, LOG_MESSAGE_KEY, SENTRY_DSN and NODE_ENV, as Probot reads them. */
  env?: NodeJS.ProcessEnv;
  /** Default: standard output. */
  destination?: NodeJS.WritableStream;
}

/** What `probot run` would build from the environment, with REDACTED_PATHS masked. */
export async function createLogger({ env = process.env, destination }: LoggerOptions = {}): Promise<Logger> {
  const transform = await getTransformStream({
    logFormat: logFormatOf(env),
    logLevelInString: env["LOG_LEVEL_IN_STRING"] === "true",
    ...(env["SENTRY_DSN"] ? { sentryDsn: env["SENTRY_DSN"] } : {}),
  });
  // Standard output as Probot writes it: sonic-boom, whose types do not claim the stream interface it has.
  transform.pipe(destination ?? (fileDestination(1) as unknown as NodeJS.WritableStream));
  const logger = pino(
    {
      level: env["LOG_LEVEL"] || "info",
      name: "probot",
      messageKey: env["LOG_MESSAGE_KEY"] || "msg",
      redact: { paths: [...REDACTED_PATHS], censor: "[REDACTED]" },
    },
    transform,
  );
  // Probot bundles its own pino (a newer major); the logger interface it uses is the same.
  return logger as unknown as Logger;
}

/** Probot's rule: LOG_FORMAT wins (anything but `pretty` is JSON); unset, JSON in production and pretty elsewhere. */
function logFormatOf(env: NodeJS.ProcessEnv): "json" | "pretty" {
  const format = env["LOG_FORMAT"];
  if (format) return format === "pretty" ? "pretty" : "json";
  return env["NODE_ENV"] === "production" ? "json" : "pretty";
}
