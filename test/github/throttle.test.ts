// Pacing per installation: the client Probot builds for an event has no throttle id of its own, so without one
// every installation's writes would wait in one shared queue ("no-id"), across instances when Redis is on.
import { describe, expect, it } from "vitest";
import { Probot, ProbotOctokit } from "probot";
import { rateLimitWaitOf, type GitHubClient } from "../../src/github/client.js";
import { IssueLinks } from "../../src/github/issue-links.js";
import { readIssueStates } from "../../src/github/issue-states.js";
import { withRetryingThrottle } from "../../src/github/throttle.js";
import { generateAppKeys } from "../support/e2e.js";

type OctokitOptions = NonNullable<ConstructorParameters<typeof ProbotOctokit>[0]>;

describe("withRetryingThrottle", () => {
  it.each([
    [{ auth: { installationId: 99 }, throttle: { enabled: true } }, "99"],
    [{ auth: { installationId: "7" }, throttle: { enabled: true } }, "7"],
    [{ auth: { installationId: 99 }, throttle: { enabled: true, id: "set-by-probot" } }, "set-by-probot"],
    [{ auth: {}, throttle: { enabled: true } }, undefined],
    [{ throttle: { enabled: true } }, undefined],
  ])("%j → throttle id %s", (options, id) => {
    const throttle = withRetryingThrottle(options as OctokitOptions).throttle as Record<string, unknown>;
    expect(throttle["id"]).toBe(id);
    expect(throttle["enabled"]).toBe(true);
    expect(typeof throttle["onSecondaryRateLimit"]).toBe("function");
  });

  it("the client Probot builds for an event is paced under its installation's id", async () => {
    const { privateKey } = generateAppKeys();
    const received: Array<{ auth?: unknown; id?: unknown }> = [];
    const Octokit = ProbotOctokit.defaults((options: OctokitOptions) => {
      const out = withRetryingThrottle(options);
      received.push({ auth: options.auth, id: (out.throttle as { id?: unknown } | undefined)?.id });
      return out;
    });
    const probot = new Probot({ appId: 1, privateKey, secret: "s", Octokit, logLevel: "fatal" });
    let handled = false;
    probot.on("issues.opened", () => {
      handled = true;
    });
    await probot.receive({
      id: "1",
      name: "issues",
      payload: { action: "opened", installation: { id: 4711 } } as never,
    });
    expect(handled).toBe(true);
    expect(received.at(-1)).toMatchObject({ auth: { installationId: 4711 }, id: "4711" });
  });
});

describe("rateLimitWaitOf", () => {
  const now = new Date("2026-11-25T10:00:00Z");
  const limited = (status: number, headers: Record<string, string>) =>
    Object.assign(new Error("limited"), { status, response: { headers } });
  it.each([
    ["403 with retry-after", limited(403, { "retry-after": "1800" }), 1800],
    ["429 with retry-after", limited(429, { "retry-after": "2" }), 2],
    [
      "403 with the primary quota spent",
      limited(403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(now.getTime() / 1000 + 600) }),
      600,
    ],
    ["403 without a limit (no permission)", limited(403, {}), null],
    [
      "403 with the secondary-limit message and no retry-after",
      Object.assign(new Error("You have exceeded a secondary rate limit."), {
        status: 403,
        response: { headers: {} },
      }),
      60,
    ],
    ["500", limited(500, { "retry-after": "5" }), null],
    ["not a GitHub answer", new Error("socket hang up"), null],
  ])("%s → %s", (_what, error, seconds) => {
    expect(rateLimitWaitOf(error, now)).toBe(seconds);
  });
});

describe("a rate limit met by a link or a state read is not taken for an unreachable issue", () => {
  const limit = Object.assign(new Error("You have exceeded a secondary rate limit."), {
    status: 403,
    response: { headers: { "retry-after": "120" } },
  });
  const gone = Object.assign(new Error("Not Found"), { status: 404, response: { headers: {} } });
  const octokit = (error: Error) =>
    ({
      rest: {
        issues: {
          get: async () => Promise.reject(error),
          addBlockedByDependency: async () => Promise.reject(error),
        },
      },
    }) as unknown as GitHubClient;
  const issue = { item: "step:1", owner: "acme", repo: "gateway", number: 2, id: 12 };
  const blocker = { item: null, owner: "acme", repo: "gateway", number: 41, id: 41 };

  it("a link write answered with a limit throws (the sync pauses); a 404 is unreachable", async () => {
    await expect(new IssueLinks(octokit(limit)).addBlockedBy(issue, blocker)).rejects.toBe(limit);
    expect(await new IssueLinks(octokit(gone)).addBlockedBy(issue, blocker)).toBe("unreachable");
  });

  it("an id lookup answered with a limit throws; a 404 is no id", async () => {
    const unknown = { ...blocker, id: null };
    await expect(new IssueLinks(octokit(limit)).idOf(unknown)).rejects.toBe(limit);
    expect(await new IssueLinks(octokit(gone)).idOf(unknown)).toBeNull();
  });

  it("a referenced issue's state answered with a limit throws; a 404 leaves it out", async () => {
    const keys = new Map([["acme/infra#7", { owner: "acme", repo: "infra", number: 7 }]]);
    await expect(readIssueStates(octokit(limit), keys)).rejects.toBe(limit);
    expect(await readIssueStates(octokit(gone), keys)).toEqual({});
  });
});
