import { ApiError } from "./api-error.js";

/** What a fault rule can look at to decide whether it applies. */
export interface FaultRequest {
  method: string;
  /** The route template, e.g. `/repos/{owner}/{repo}/issues`. */
  route: string;
  operationId: string;
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body: Record<string, unknown>;
}

export interface FaultRule {
  /** `POST /repos/{owner}/{repo}/issues`, an operationId (`issues/create`), or `*` for every route. */
  route: string;
  status: number;
  /** How many matching requests get the fault; default 1, `Infinity` for all. */
  times?: number;
  /** Make the change first, then answer the error: GitHub committed it but the client sees a failure. */
  afterCommit?: boolean;
  /** Chance that a matching request gets the fault, drawn from the fake's seeded RNG; default 1. */
  probability?: number;
  /** Seconds, sent as `retry-after`. */
  retryAfter?: number;
  message?: string;
  /** Narrow the rule further, e.g. to one issue title. */
  when?: (request: FaultRequest) => boolean;
}

export interface FaultHandle {
  /** How many requests this rule has answered so far. */
  readonly fired: number;
  remove(): void;
}

export interface WriteBudget {
  perMinute: number;
  perHour: number;
  /** 403 (GitHub's usual answer) or 429. */
  status?: 403 | 429;
  /** Length of the "minute" in ms (default 60 000; the hour is 60 of them): tests scale time down. */
  minuteMs?: number;
}

// https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits
const SECONDARY_LIMIT_MESSAGE =
  "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.";

export function secondaryRateLimitRule(
  route: string,
  options: { status?: 403 | 429; retryAfter?: number; times?: number; afterCommit?: boolean } = {},
): FaultRule {
  return {
    route,
    status: options.status ?? 403,
    retryAfter: options.retryAfter ?? 60,
    times: options.times ?? 1,
    afterCommit: options.afterCommit ?? false,
    message: SECONDARY_LIMIT_MESSAGE,
  };
}

interface ActiveRule {
  rule: FaultRule;
  fired: number;
}

/** Injected failures, the content-creation budget and latency. Deterministic for a given seed and clock. */
export class Faults {
  private rules: ActiveRule[] = [];
  private budget: WriteBudget | null = null;
  private readonly writes = new Map<string, number[]>();
  private readonly random: () => number;
  latencyMs: number | ((request: FaultRequest) => number) = 0;

  constructor(
    seed: number,
    private readonly clock: () => number,
  ) {
    this.random = mulberry32(seed);
  }

  add(rule: FaultRule): FaultHandle {
    const active: ActiveRule = { rule, fired: 0 };
    this.rules.push(active);
    return {
      get fired() {
        return active.fired;
      },
      remove: () => {
        this.rules = this.rules.filter((entry) => entry !== active);
      },
    };
  }

  secondaryRateLimit(route: string, options?: Parameters<typeof secondaryRateLimitRule>[1]): FaultHandle {
    return this.add(secondaryRateLimitRule(route, options));
  }

  /** Past the budget, writes get a secondary rate limit answer, per installation or person. null turns it off. */
  writeBudget(budget: WriteBudget | null) {
    this.budget = budget;
    this.writes.clear();
  }

  clear() {
    this.rules = [];
    this.budget = null;
    this.writes.clear();
    this.latencyMs = 0;
  }

  latencyFor(request: FaultRequest): number {
    return typeof this.latencyMs === "function" ? this.latencyMs(request) : this.latencyMs;
  }

  /** The rule that applies to this request in this phase, if any; counts it as fired. */
  take(request: FaultRequest, phase: "before" | "afterCommit"): ApiError | null {
    for (const active of this.rules) {
      const { rule } = active;
      if (Boolean(rule.afterCommit) !== (phase === "afterCommit")) continue;
      if (active.fired >= (rule.times ?? 1)) continue;
      if (!routeMatches(rule.route, request)) continue;
      if (rule.when && !rule.when(request)) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      active.fired++;
      const headers: Record<string, string> =
        rule.retryAfter === undefined ? {} : { "retry-after": String(rule.retryAfter) };
      return new ApiError(rule.status, rule.message ?? defaultMessage(rule.status), undefined, headers);
    }
    return null;
  }

  /** Counts a write against the budget of `who`; the error to answer when it is spent. */
  spendWrite(who: string): ApiError | null {
    if (!this.budget) return null;
    const now = this.clock();
    const minute = this.budget.minuteMs ?? 60_000;
    const hour = minute * 60;
    const recent = (this.writes.get(who) ?? []).filter((at) => at > now - hour);
    const lastMinute = recent.filter((at) => at > now - minute);
    const limit =
      lastMinute.length >= this.budget.perMinute
        ? (lastMinute[0] as number) + minute
        : recent.length >= this.budget.perHour
          ? (recent[0] as number) + hour
          : null;
    if (limit !== null) {
      const retryAfter = String(Math.max(1, Math.ceil((limit - now) / 1000)));
      return new ApiError(this.budget.status ?? 403, SECONDARY_LIMIT_MESSAGE, undefined, {
        "retry-after": retryAfter,
      });
    }
    this.writes.set(who, [...recent, now]);
    return null;
  }
}

function routeMatches(pattern: string, request: FaultRequest): boolean {
  return (
    pattern === "*" || pattern === request.operationId || pattern === `${request.method} ${request.route}`
  );
}

function defaultMessage(status: number): string {
  if (status === 502) return "Server Error";
  if (status === 503) return "Service Unavailable";
  if (status >= 500) return "Internal Server Error";
  return `Injected fault ${status}`;
}

/** A small seeded PRNG, so a flaky-network test fails the same way every run. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
