// The shared back-off holds an account's writes; a wait longer than a request may take (60 s) fails the write
// as a rate limit instead, so the sync pauses and gives its place in the queue to other installations.
import { Octokit } from "@octokit/rest";
import { describe, expect, it } from "vitest";
import { InProcessBackoff, shareRateLimitBackoff } from "../../src/runtime/redis/backoff.js";
import { rateLimitWaitOf, type GitHubClient } from "../../src/github/client.js";

function client(sent: string[]): GitHubClient {
  const octokit = new Octokit({
    request: {
      fetch: async (url: string, init: RequestInit) => {
        sent.push(`${init.method} ${new URL(url).pathname}`);
        return new Response(JSON.stringify({ id: 1, number: 1 }), {
          status: 200,
          headers: { "content-type": "application/json" },
        });
      },
    },
  });
  return octokit as unknown as GitHubClient;
}

describe("shareRateLimitBackoff", () => {
  it("a back-off past 60 s fails writes as a rate limit (nothing sent); reads still go", async () => {
    const sent: string[] = [];
    const octokit = client(sent);
    const backoff = new InProcessBackoff();
    shareRateLimitBackoff(octokit, backoff, "acme");
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
    const octokit = client(sent);
    const backoff = new InProcessBackoff();
    shareRateLimitBackoff(octokit, backoff, "acme");
    await backoff.hold("other", 1_800_000);
    await backoff.hold("acme", 20);
    await octokit.rest.issues.create({ owner: "acme", repo: "gateway", title: "x" });
    expect(sent).toEqual(["POST /repos/acme/gateway/issues"]);
    expect(await backoff.remaining("acme")).toBe(0);
  });
});
