// The one Octokit class plan-sync runs with: Probot's, plus rate limits waited out (throttle.ts) and the plugins
// that make every client of the class alike — API calls observed (api-calls.ts), the shared rate-limit back-off
// (rate-limit-backoff.ts), the bot's identity (bot-identity.ts). Their options are given once, when the class is
// built; Probot builds a client of it per event and per installation, and each gets them.
import { ProbotOctokit } from "probot";
import { observeRequests, type RequestObserver } from "./api-calls.js";
import { BotIdentity, botIdentity } from "./bot-identity.js";
import { shareRateLimitBackoff, type RateLimitBackoff } from "./rate-limit-backoff.js";
import { withRetryingThrottle, type ThrottleOptions } from "./throttle.js";

type OctokitOptions = NonNullable<ConstructorParameters<typeof ProbotOctokit>[0]>;

export interface PlanSyncOctokitOptions {
  throttle?: ThrottleOptions;
  /** Each hears of every request a client makes (an ApiCallCounter's `observe`, metrics). */
  observeRequests?: readonly RequestObserver[];
  /** Rate-limit back-offs by account; default none (each request waits out only its own limit). */
  rateLimitBackoff?: RateLimitBackoff;
  /** Known bot logins (skips GET /app), e.g. `["plan-sync[bot]"]`. */
  botLogins?: readonly string[];
}

/**
 * Built once per process (or per app in tests). Plugins added here wrap outside Probot's: a request is observed
 * once whatever the throttle and retry plugins do under it; the back-off acts in the fetch under all of them.
 */
export function createPlanSyncOctokit(options: PlanSyncOctokitOptions = {}) {
  const shared = {
    observeRequests: options.observeRequests ?? [],
    ...(options.rateLimitBackoff ? { rateLimitBackoff: options.rateLimitBackoff } : {}),
    botIdentity: new BotIdentity(options.botLogins),
  };
  return ProbotOctokit.plugin(shareRateLimitBackoff, observeRequests, botIdentity).defaults(
    (instance: OctokitOptions) => ({ ...withRetryingThrottle(instance, options.throttle), ...shared }),
  );
}

export type PlanSyncOctokit = ReturnType<typeof createPlanSyncOctokit>;
export type PlanSyncClient = InstanceType<PlanSyncOctokit>;

/**
 * `octokit` as a client of a plan-sync class. A client Probot built from another class has none of the plugins:
 * its writes would ignore other instances' back-offs and its requests go uncounted, so it is refused.
 */
export function planSyncClient<T extends object>(octokit: T): T & Pick<PlanSyncClient, "botLogins"> {
  if (typeof (octokit as { botLogins?: unknown }).botLogins !== "function")
    throw new Error(
      "this Octokit client was not built from plan-sync's class: give Probot `Octokit: app.Octokit` " +
        "(the class createApp returns, or createPlanSyncOctokit(...) from src/github/octokit.ts)",
    );
  return octokit as T & Pick<PlanSyncClient, "botLogins">;
}
