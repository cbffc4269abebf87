import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { Octokit } from "@octokit/rest";
import { ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { owner, repo, REPO, useFakeRepo } from "./fake-repo.js";
import { octokitAs, statusOf } from "../support/octokit.js";

const fake = useFakeRepo();

describe("check runs", () => {
  it("keeps every annotation across create and updates; a conclusion completes the run", async () => {
    const installation = await installationOctokit();
    const head_sha = fake().headOf(REPO, "main");
    const annotations = (n: number, from = 1) =>
      Array.from({ length: n }, (_, i) => ({
        path: "plans/a.md",
        start_line: from + i,
        end_line: from + i,
        annotation_level: "warning" as const,
        message: `m${from + i}`,
      }));
    const { data: run } = await installation.rest.checks.create({
      owner,
      repo,
      name: "plan-sync",
      head_sha,
      status: "in_progress",
      output: { title: "t", summary: "s", annotations: annotations(50) },
    });
    await installation.rest.checks.update({
      owner,
      repo,
      check_run_id: run.id,
      conclusion: "failure",
      output: { title: "2 errors", summary: "s2", annotations: annotations(30, 51) },
    });

    const [stored] = fake().checkRuns(REPO);
    expect(stored?.annotations.map((a) => a.start_line)).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
    expect(stored).toMatchObject({
      status: "completed",
      conclusion: "failure",
      output: { title: "2 errors", summary: "s2" },
      app: { slug: "plan-sync" },
    });
    expect(stored?.bodies).toHaveLength(2);
    const { data: listed } = await installation.rest.checks.listForRef({
      owner,
      repo,
      ref: "main",
      check_name: "plan-sync",
    });
    expect(listed.check_runs.map((r) => [r.id, r.output.annotations_count])).toEqual([[run.id, 80]]);
    expect(
      await statusOf(
        installation.rest.checks.create({ owner, repo, name: "plan-sync", head_sha: "f".repeat(40) }),
      ),
    ).toBe(422);
  });

  it("is refused to a person's token: check runs are written by apps", async () => {
    expect(
      await statusOf(
        octokitAs(fake()).checks.create({ owner, repo, name: "x", head_sha: fake().headOf(REPO, "main") }),
      ),
    ).toBe(403);
  });
});

describe("app authentication", () => {
  it("mints installation tokens for a verified JWT; a token reaches only its installation's repositories", async () => {
    const installation = await installationOctokit();
    fake().addRepo({ owner: "elsewhere", name: "private", installationId: null });
    expect((await installation.rest.repos.get({ owner, repo })).data.full_name).toBe(REPO);
    expect(await statusOf(installation.rest.repos.get({ owner: "elsewhere", repo: "private" }))).toBe(404);
    const { data } = await installation.rest.apps.listReposAccessibleToInstallation();
    expect(data.repositories.map((r) => r.full_name)).toEqual([REPO]);
    expect(
      fake()
        .log.requests({ operationId: "apps/create-installation-access-token" })
        .map((r) => [r.status, r.actor]),
    ).toEqual([[201, "app:plan-sync"]]);
  });

  it("refuses a JWT signed with another key, and an unknown token", async () => {
    await installationOctokit();
    const forged = appOctokit(rsaKeys().privateKey);
    expect(await statusOf(forged.rest.apps.getAuthenticated())).toBe(401);
    const stranger = new Octokit({ baseUrl: fake().url, auth: "ghs_not-a-token", log: quiet });
    expect(await statusOf(stranger.repos.get({ owner, repo }))).toBe(401);
  });
});

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

function rsaKeys() {
  return generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
}

/** Probot's own Octokit authenticating as app 4242 (as an installation when given one), throttling off. */
function appOctokit(privateKey: string, installationId?: number) {
  return new ProbotOctokit({
    baseUrl: fake().url,
    auth: { appId: 4242, privateKey, ...(installationId ? { installationId } : {}) },
    throttle: { enabled: false },
    log: quiet,
  });
}

async function installationOctokit() {
  const { privateKey, publicKey } = rsaKeys();
  fake().addApp({ id: 4242, slug: "plan-sync", publicKey: createPublicKey(publicKey) });
  fake().addInstallation({ id: 9, appId: 4242, account: owner });
  fake().store.repo(owner, repo).installationId = 9;
  return appOctokit(privateKey, 9);
}
