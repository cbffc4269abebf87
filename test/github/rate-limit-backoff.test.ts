// The shared back-off holds an account's writes when they leave (after the throttle's pacing); a wait longer than
// a request may take (60 s) answers the write as a rate limit instead, so the sync pauses and gives its place in
// the queue to other installations.
import { Octokit } from "@octokit/rest";
import { describe, expect, it } from "vitest";
import { rateLimitWaitOf, type GitHubClient } from "../../src/github/client.js";
import { createPlanSyncOctokit } from "../../src/github/octokit.js";
import { shareRateLimitBackoff, type RateLimitBackoff } from "../../src/github/rate-limit-backoff.js";
import { InProcessBackoff } from "../../src/runtime/redis/backoff.js";
import { until } from "../support/e2e.js";

/** Answers every request 200, noting `METHOD /path` of each as it leaves. */
function answering(sent: string[]) {
  return async (url: string, init: RequestInit) => {
    sent.push(`${init.method} ${new URL(url).pathname}`);
    return new Response(JSON.stringify({ id: 1, number: 1 }), {
      status: 200,
      headers: { "content-type": "application/json" },
    });
  };
}

function client(sent: string[], backoff: RateLimitBackoff): GitHubClient {
  const Backed = Octokit.plugin(shareRateLimitBackoff);
  return new Backed({
    request: { fetch: answering(sent) },
    rateLimitBackoff: backoff,
  }) as unknown as GitHubClient;
}

/** A back-off another instance met, switched on and off by the test; counts the checks made while it holds. */
class SwitchedBackoff implements RateLimitBackoff {
  holding = false;
  checksWhileHolding = 0;
  async hold(): Promise<void> {}
  async remaining(): Promise<number> {
    if (!this.holding) return 0;
    this.checksWhileHolding++;
    return 20;
  }
}

describe("shareRateLimitBackoff", () => {
  it("a back-off past 60 s fails writes as a rate limit (nothing sent); reads still go", async () => {
    const sent: string[] = [];
    const backoff = new InProcessBackoff();
    const octokit = client(sent, backoff);
    await backoff.hold("acme", 1_800_000);
    const write = octokit.rest.issues.create({ owner: "acme", repo: "gateway", title: "x" });
    const error = await write.then(
      () => null,
      (failure: unknown) => failure,
    );
    expect(rateLimitWaitOf(error)).toBe(1800);
    await octokit.rest.issues.get({ owner: "acme", repo: "gateway", issue_number: 1 });
    expect(sent).toEqual(["GET /repos/acme/gateway/issues/1"]);
  });

  it("a short back-off is waited out, then the write goes; another account's writes never wait", async () => {
    const sent: string[] = [];
    const backoff = new InProcessBackoff();
    const octokit = client(sent, backoff);
    await backoff.hold("other", 1_800_000);
    await backoff.hold("acme", 20);
    await octokit.rest.issues.create({ owner: "acme", repo: "gateway", title: "x" });
    expect(sent).toEqual(["POST /repos/acme/gateway/issues"]);
    expect(await backoff.remaining("acme")).toBe(0);
  });

  it("records the wait a 403 asks for against the repository's owner", async () => {
    const backoff = new InProcessBackoff();
    const Backed = Octokit.plugin(shareRateLimitBackoff);
    const limited = async () =>
      new Response(JSON.stringify({ message: "You have exceeded a secondary rate limit." }), {
        status: 403,
        headers: { "content-type": "application/json", "retry-after": "30" },
      });
    const octokit = new Backed({
      request: { fetch: limited },
      retry: { enabled: false },
      rateLimitBackoff: backoff,
    });
    await expect(
      octokit.rest.issues.create({ owner: "acme", repo: "gateway", title: "x" }),
    ).rejects.toThrow();
    expect(await backoff.remaining("acme")).toBeGreaterThan(29_000);
    expect(await backoff.remaining("other")).toBe(0);
  });

  it("a write waiting for its turn in the throttle's pacing is held by a back-off met meanwhile (issue #13)", async () => {
    const sent: string[] = [];
    const backoff = new SwitchedBackoff();
    // The production class, its throttling on: writes of one installation leave at least 1 s apart.
    const PlanSyncOctokit = createPlanSyncOctokit({ rateLimitBackoff: backoff });
    const octokit = new PlanSyncOctokit({
      auth: { token: "test" },
      request: { fetch: answering(sent) },
      throttle: { id: `pacing-${Date.now()}` },
    });
    const run = (name: string) => ({ owner: "acme", repo: "gateway", name, head_sha: "a".repeat(40) });
    await octokit.rest.checks.create(run("first"));
    const second = octokit.rest.checks.create(run("second"));
    // The second write has started and waits its turn; another instance meets a limit meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 200));
    backoff.holding = true;
    await until(() => backoff.checksWhileHolding > 0 || sent.length > 1, {
      what: "the second write's turn",
      timeoutMs: 5_000,
    });
    expect(sent).toEqual(["POST /repos/acme/gateway/check-runs"]);
    backoff.holding = false;
    await second;
    expect(sent).toHaveLength(2);
  });
});
