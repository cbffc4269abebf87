// Docker cannot run here, so this builds the image's runtime layout in a temp dir (production dependencies,
// compiled dist/, app.yml), starts it with the Dockerfile's own CMD and ENV, and talks to it over HTTP.
// Slow (npm ci + tsc): one start only.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { copyFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signWebhook, until, WEBHOOK_PATH } from "../support/e2e.js";

const root = join(import.meta.dirname, "..", "..");
const exec = promisify(execFile);

/** The instructions of the Dockerfile's last stage (the image), continuation lines joined. */
function runtimeStage(dockerfile: string): { instruction: string; args: string }[] {
  const joined = dockerfile.replace(/\\\n\s*/g, " ");
  const lines = joined.split("\n").filter((line) => line.trim() && !line.trim().startsWith("#"));
  const parsed = lines.map((line) => {
    const [instruction = "", ...rest] = line.trim().split(/\s+/);
    return { instruction: instruction.toUpperCase(), args: rest.join(" ") };
  });
  const lastFrom = parsed.map((entry) => entry.instruction).lastIndexOf("FROM");
  return parsed.slice(lastFrom);
}

/** `ENV A=1 B=2` → { A: "1", B: "2" } (values without spaces, as ours are). */
function envOf(stage: { instruction: string; args: string }[]): Record<string, string> {
  const pairs = stage
    .filter((entry) => entry.instruction === "ENV")
    .flatMap((entry) => entry.args.split(/\s+/));
  return Object.fromEntries(pairs.map((pair) => pair.split("=", 2) as [string, string]));
}

function execForm(stage: { instruction: string; args: string }[], instruction: string): string[] {
  const entry = stage.find((candidate) => candidate.instruction === instruction);
  if (!entry) throw new Error(`no ${instruction} in the Dockerfile's runtime stage`);
  return JSON.parse(entry.args.replace(/^.*?CMD\s+/, "")) as string[];
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("the Dockerfile", () => {
  it("builds in two stages on Node's slim image and runs as a non-root user with JSON logs", async () => {
    const dockerfile = await readFile(join(root, "Dockerfile"), "utf8");
    const stage = runtimeStage(dockerfile);
    const froms = dockerfile.match(/^FROM .*$/gm);
    expect(froms).toEqual([
      "FROM node:${NODE_VERSION}-slim AS build",
      "FROM node:${NODE_VERSION}-slim AS runtime",
    ]);
    expect(dockerfile).toMatch(/^ARG NODE_VERSION=24$/m);
    expect(dockerfile).toMatch(/^RUN npm ci --no-audit --no-fund$/m);
    expect(dockerfile).toMatch(/^RUN npm run build$/m);
    // What `npm run build` runs from scripts/ is copied into the build stage.
    const { scripts } = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    for (const script of scripts["build"]?.match(/scripts\/[\w.-]+/g) ?? [])
      expect(dockerfile).toContain(`COPY ${script} ./scripts/`);
    expect(stage.filter((entry) => entry.instruction === "RUN").map((entry) => entry.args)).toContain(
      "npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force",
    );
    expect(stage.filter((entry) => entry.instruction === "COPY").map((entry) => entry.args)).toEqual([
      "package.json package-lock.json ./",
      "app.yml ./",
      "--from=build /app/dist ./dist",
    ]);
    expect(envOf(stage)).toEqual({
      NODE_ENV: "production",
      HOST: "0.0.0.0",
      PORT: "3000",
      LOG_FORMAT: "json",
      LOG_LEVEL: "info",
    });
    expect(stage.filter((entry) => ["USER", "EXPOSE"].includes(entry.instruction))).toEqual([
      { instruction: "USER", args: "node" },
      { instruction: "EXPOSE", args: "3000" },
    ]);
    expect(execForm(stage, "HEALTHCHECK").join(" ")).toContain("/healthz");
  });

  it("keeps secrets and local state out of the build context", async () => {
    const ignore = (await readFile(join(root, ".dockerignore"), "utf8"))
      .split("\n")
      .filter((l) => l && !l.startsWith("#"));
    expect(ignore).toEqual([
      "*",
      "!package.json",
      "!package-lock.json",
      "!tsconfig.json",
      "!tsconfig.build.json",
      "!scripts/bundle-cli.ts",
      "!app.yml",
      "!src/",
    ]);
  });
});

describe("the production layout, started as the image starts it", () => {
  let dir: string;
  let child: ChildProcess | undefined;
  let url: string;
  let port: number;
  let stdout = "";
  let stderr = "";
  let env: Record<string, string>;
  const secret = "layout-webhook-secret";

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "plan-sync-layout-"));
    for (const file of ["package.json", "package-lock.json", "app.yml"])
      await copyFile(join(root, file), join(dir, file));
    // What the two stages do: production dependencies from the lockfile (offline when the npm cache has
    // them), and the compiled app. tsc failing fails `npm run build` in the image too.
    const [install, build] = await Promise.allSettled([
      exec("npm", ["ci", "--omit=dev", "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund"], {
        cwd: dir,
      }),
      exec(
        process.execPath,
        [
          join(root, "node_modules/typescript/bin/tsc"),
          "-p",
          "tsconfig.build.json",
          "--outDir",
          join(dir, "dist"),
        ],
        {
          cwd: root,
        },
      ),
    ]);
    if (install.status === "rejected") throw new Error(`npm ci --omit=dev failed: ${String(install.reason)}`);
    if (build.status === "rejected")
      throw new Error(`the build (tsc) failed:\n${(build.reason as { stdout?: string }).stdout ?? ""}`);

    const stage = runtimeStage(await readFile(join(root, "Dockerfile"), "utf8"));
    const [command, ...args] = execForm(stage, "CMD");
    expect(command).toBe("node");
    port = await freePort();
    const { privateKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs1", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    env = {
      PATH: process.env["PATH"] ?? "",
      ...envOf(stage),
      HOST: "127.0.0.1",
      PORT: String(port),
      APP_ID: "4242",
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: secret,
    };
    child = spawn(process.execPath, args, { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    url = `http://127.0.0.1:${port}`;
    await until(async () => (await fetch(`${url}/ping`).catch(() => undefined))?.ok, {
      timeoutMs: 20_000,
      what: "the server to answer /ping",
    }).catch((error: Error) => {
      throw new Error(`${error.message}\nstdout:\n${stdout}\nstderr:\n${stderr}`);
    });
  }, 180_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  });

  it("serves Probot's pages and accepts a webhook signed with WEBHOOK_SECRET, refusing a forged one", async () => {
    const ping = await fetch(`${url}/ping`);
    expect([ping.status, await ping.text()]).toEqual([200, "PONG"]);
    const page = await fetch(`${url}/probot`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("plan-sync");

    const body = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1 });
    const deliver = (signature: string) =>
      fetch(`${url}${WEBHOOK_PATH}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": "ping",
          "x-github-delivery": randomUUID(),
          "x-hub-signature-256": signature,
        },
        body,
      }).then((response) => response.status);
    expect(await deliver(signWebhook(body, secret))).toBe(200);
    expect(await deliver(signWebhook(body, "not-the-secret"))).toBe(400);
  });

  it("answers the image's HEALTHCHECK through /healthz, and serves /metrics", async () => {
    const stage = runtimeStage(await readFile(join(root, "Dockerfile"), "utf8"));
    const [, ...args] = execForm(stage, "HEALTHCHECK");
    const healthcheck = await exec(process.execPath, args, { env }).then(
      () => 0,
      (error: { code: number }) => error.code,
    );
    const health = await fetch(`${url}/healthz`);
    const answer = { status: health.status, body: await health.text(), healthcheck };
    expect(answer).toEqual({ status: 200, body: '{"status":"ok"}', healthcheck: 0 });
    const metrics = await fetch(`${url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain("# TYPE plan_sync_syncs_total counter");
  });

  it("logs one JSON object a line (LOG_FORMAT=json)", () => {
    const lines = stdout.split("\n").filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    const parsed = lines.map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(parsed.map((entry) => entry.msg)).toContain(`Listening on http://127.0.0.1:${port}`);
    expect(stderr).toBe("");
  });
});
