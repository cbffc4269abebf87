import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Octokit } from "@octokit/rest";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createHealthHandler, type HealthOptions } from "../../src/runtime/health.js";
import { observeRequests, type GitHubRequest } from "../../src/github/api-calls.js";
import { createMetrics, createMetricsHandler, routeLabel, type Metrics } from "../../src/runtime/metrics.js";
import { FakeGitHub } from "../support/fake-github/index.js";

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/** Handlers tried in order, then 404: the way Probot 14's server runs `addHandler` handlers. */
async function serve(handlers: Handler[]): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    for (const handler of handlers) if (await handler(req, res)) return;
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function get(url: string, method = "GET") {
  const response = await fetch(url, { method });
  return { status: response.status, type: response.headers.get("content-type"), body: await response.text() };
}

describe("/healthz", () => {
  let running: { url: string; close(): Promise<void> } | undefined;
  afterEach(() => running?.close());

  const start = async (options?: HealthOptions) => {
    running = await serve([createHealthHandler(options)]);
    return running.url;
  };

  it("answers 200 {status: ok} with no checks", async () => {
    const url = await start();
    expect(await get(`${url}/healthz`)).toEqual({
      status: 200,
      type: "application/json; charset=utf-8",
      body: '{"status":"ok"}',
    });
    expect(await get(`${url}/healthz?probe=liveness`)).toMatchObject({
      status: 200,
      body: '{"status":"ok"}',
    });
    expect(await get(`${url}/healthz`, "HEAD")).toMatchObject({ status: 200, body: "" });
  });

  it("answers 503 naming each failed check, and 200 when all pass", async () => {
    const url = await start({
      checks: {
        redis: () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:6379")),
        queue: () => {
          throw new Error("queue closed");
        },
        config: () => "fine",
        hung: () => new Promise(() => {}),
      },
      timeoutMs: 50,
    });
    const answer = await get(`${url}/healthz`);
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.body)).toEqual({
      status: "unavailable",
      failed: {
        redis: "connect ECONNREFUSED 127.0.0.1:6379",
        queue: "queue closed",
        hung: "no answer within 50 ms",
      },
    });
  });

  it("refuses other methods and leaves other paths to the next handler", async () => {
    const url = await start();
    expect(await get(`${url}/healthz`, "POST")).toMatchObject({ status: 405, body: "" });
    expect(await get(`${url}/healthz/extra`)).toMatchObject({ status: 404 });
    expect(await get(`${url}/`)).toMatchObject({ status: 404 });
  });
});

describe("/metrics", () => {
  let running: { url: string; close(): Promise<void> } | undefined;
  afterEach(() => running?.close());

  const lines = (text: string, prefix: string) =>
    text.split("\n").filter((line) => line.startsWith(prefix) && !line.startsWith("#"));

  it("serves every plan-sync metric in Prometheus text format", async () => {
    const metrics = createMetrics();
    metrics.observeSync("success", 0.3);
    metrics.observeSync("success", 4);
    metrics.observeSync("failure", 0.02);
    metrics.observeGitHubRequest({ method: "GET", url: "/repos/{owner}/{repo}/issues", status: 200 });
    metrics.observeGitHubRequest({ method: "GET", url: "/repos/{owner}/{repo}/issues", status: 200 });
    metrics.observeGitHubRequest({ method: "post", url: "/repos/{owner}/{repo}/issues", status: 403 });
    metrics.countWritesAvoided(7);
    metrics.countWritesAvoided(0);
    metrics.countRateLimitWait("secondary");
    running = await serve([createMetricsHandler(metrics)]);

    const answer = await get(`${running.url}/metrics`);
    expect(answer.status).toBe(200);
    expect(answer.type).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(lines(answer.body, "plan_sync_syncs_total")).toEqual([
      'plan_sync_syncs_total{outcome="success"} 2',
      'plan_sync_syncs_total{outcome="failure"} 1',
      'plan_sync_syncs_total{outcome="error"} 0',
      'plan_sync_syncs_total{outcome="superseded"} 0',
      'plan_sync_syncs_total{outcome="partial"} 0',
    ]);
    expect(lines(answer.body, "plan_sync_github_requests_total")).toEqual([
      'plan_sync_github_requests_total{route="GET /repos/{owner}/{repo}/issues",status="200"} 2',
      'plan_sync_github_requests_total{route="POST /repos/{owner}/{repo}/issues",status="403"} 1',
    ]);
    expect(lines(answer.body, "plan_sync_writes_avoided_total")).toEqual([
      "plan_sync_writes_avoided_total 7",
    ]);
    expect(lines(answer.body, "plan_sync_rate_limit_waits_total")).toEqual([
      'plan_sync_rate_limit_waits_total{kind="primary"} 0',
      'plan_sync_rate_limit_waits_total{kind="secondary"} 1',
    ]);
    expect(lines(answer.body, 'plan_sync_sync_duration_seconds_bucket{le="0.5",outcome="success"}')).toEqual([
      'plan_sync_sync_duration_seconds_bucket{le="0.5",outcome="success"} 1',
    ]);
    expect(lines(answer.body, 'plan_sync_sync_duration_seconds_bucket{le="5",outcome="success"}')).toEqual([
      'plan_sync_sync_duration_seconds_bucket{le="5",outcome="success"} 2',
    ]);
    expect(lines(answer.body, "plan_sync_sync_duration_seconds_sum")).toEqual([
      'plan_sync_sync_duration_seconds_sum{outcome="success"} 4.3',
      'plan_sync_sync_duration_seconds_sum{outcome="failure"} 0.02',
    ]);
    expect(answer.body).not.toContain("process_cpu");
  });

  it("keeps one registry per instance: counts never leak between apps", async () => {
    const first = createMetrics();
    const second = createMetrics();
    first.countWritesAvoided(3);
    const [a, b] = await Promise.all([first.registry.metrics(), second.registry.metrics()]);
    expect(lines(a, "plan_sync_writes_avoided_total")).toEqual(["plan_sync_writes_avoided_total 3"]);
    expect(lines(b, "plan_sync_writes_avoided_total")).toEqual(["plan_sync_writes_avoided_total 0"]);
  });

  it("adds Node's process metrics only when asked", async () => {
    const text = await createMetrics({ processMetrics: true }).registry.metrics();
    expect(text).toContain("# TYPE process_cpu_user_seconds_total counter");
    expect(text).toContain("# TYPE nodejs_eventloop_lag_seconds gauge");
  });

  it("refuses other methods and leaves other paths to the next handler", async () => {
    running = await serve([createMetricsHandler(createMetrics())]);
    expect(await get(`${running.url}/metrics`, "DELETE")).toMatchObject({ status: 405 });
    expect(await get(`${running.url}/metrics/x`)).toMatchObject({ status: 404 });
  });
});

describe("routeLabel", () => {
  it.each([
    ["get", "/repos/{owner}/{repo}/issues", "GET /repos/{owner}/{repo}/issues"],
    ["GET", "/repos/acme/roadmap/issues", "GET /repos/{owner}/{repo}/issues"],
    [
      "GET",
      "https://api.github.com/repositories/123456/issues?page=2",
      "GET /repositories/{repository_id}/issues",
    ],
    [
      "GET",
      "https://ghe.example.com/api/v3/repositories/9/issues/12/sub_issues?page=3",
      "GET /repositories/{repository_id}/issues/{issue_number}/sub_issues",
    ],
    [
      "GET",
      "/repos/a/b/issues/7/comments?per_page=100",
      "GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
    ],
    [
      "GET",
      "/repos/a/b/check-runs/55/annotations",
      "GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations",
    ],
    ["GET", "/repos/a/b/contents/plans/q1/roadmap.md", "GET /repos/{owner}/{repo}/contents/{path}"],
    ["GET", "/repos/a/b/git/ref/heads/feature/x", "GET /repos/{owner}/{repo}/git/ref/{ref}"],
    ["GET", "/repos/a/b/labels/good%20first%20issue", "GET /repos/{owner}/{repo}/labels/{name}"],
    [
      "GET",
      "/repos/a/b/commits/0123456789abcdef0123456789abcdef01234567",
      "GET /repos/{owner}/{repo}/commits/{ref}",
    ],
    [
      "GET",
      "/repos/a/b/git/trees/0123456789abcdef0123456789abcdef01234567",
      "GET /repos/{owner}/{repo}/git/trees/{sha}",
    ],
    ["GET", "/orgs/acme/installation", "GET /orgs/{org}/installation"],
    ["GET", "/users/octocat/installation", "GET /users/{username}/installation"],
    [
      "POST",
      "/app/installations/77/access_tokens",
      "POST /app/installations/{installation_id}/access_tokens",
    ],
    ["POST", "/graphql", "POST /graphql"],
    ["GET", "https://api.github.com", "GET /"],
  ])("%s %s → %s", (method, url, label) => {
    expect(routeLabel(method, url)).toBe(label);
  });
});

/** A client whose every request is counted into `metrics`, as the app's Octokit class does (src/github/octokit.ts). */
function instrumented(metrics: Metrics, options: ConstructorParameters<typeof Octokit>[0]) {
  const Observed = Octokit.plugin(observeRequests);
  return new Observed({
    ...options,
    observeRequests: [(request: GitHubRequest) => metrics.observeGitHubRequest(request)],
  });
}

describe("GitHub requests counted into the metrics", () => {
  let fake: FakeGitHub;
  beforeAll(async () => {
    fake = await FakeGitHub.start();
    fake.addRepo({ owner: "acme", name: "roadmap" });
  });
  afterAll(() => fake.close());

  const requestLines = async (metrics: Metrics) =>
    (await metrics.registry.metrics())
      .split("\n")
      .filter((line) => line.startsWith("plan_sync_github_requests_total{"));

  it("counts each request by route template and status, errors and pages included", async () => {
    const metrics = createMetrics();
    const octokit = instrumented(metrics, {
      baseUrl: fake.url,
      auth: fake.userToken("octocat"),
      retry: { enabled: false },
    });

    await octokit.rest.repos.get({ owner: "acme", repo: "roadmap" });
    await octokit.rest.issues.create({ owner: "acme", repo: "roadmap", title: "one" });
    await expect(
      octokit.rest.issues.get({ owner: "acme", repo: "roadmap", issue_number: 99 }),
    ).rejects.toMatchObject({
      status: 404,
    });
    await octokit.paginate(octokit.rest.issues.listForRepo, {
      owner: "acme",
      repo: "roadmap",
      per_page: 100,
    });

    expect(await requestLines(metrics)).toEqual([
      'plan_sync_github_requests_total{route="GET /repos/{owner}/{repo}",status="200"} 1',
      'plan_sync_github_requests_total{route="POST /repos/{owner}/{repo}/issues",status="201"} 1',
      'plan_sync_github_requests_total{route="GET /repos/{owner}/{repo}/issues/{issue_number}",status="404"} 1',
      'plan_sync_github_requests_total{route="GET /repos/{owner}/{repo}/issues",status="200"} 1',
    ]);
  });

  it("counts a request that got no answer as status 0", async () => {
    const closed = await serve([]);
    await closed.close();
    const metrics = createMetrics();
    const octokit = instrumented(metrics, { baseUrl: closed.url, retry: { enabled: false } });
    await expect(octokit.request("GET /rate_limit")).rejects.toThrow();
    expect(await requestLines(metrics)).toEqual([
      'plan_sync_github_requests_total{route="GET /rate_limit",status="0"} 1',
    ]);
  });
});
