// Issue #18, item 4: a delivery the app does not handle (an unknown event name, a payload without `repository`)
// is answered 2xx with nothing done, never 500.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningApp } from "../support/e2e.js";
import { closeChecked, REPO, startScenario, writes } from "./scenario.js";

let app: RunningApp;
beforeEach(async () => {
  app = await startScenario();
});
afterEach(() => closeChecked(app));

describe("deliveries the app does not handle", () => {
  it.each([
    ["an unknown event name", "not_an_event", { action: "created" }],
    ["an empty event name", "", {}],
    ["an event named like an object property", "constructor", { action: "created" }],
    ["an event named __proto__", "__proto__", { action: "created" }],
    ["an event named toString", "toString", {}],
    ["an action named like an object property", "push", { action: "constructor" }],
    ["an event the app does not subscribe to", "star", { action: "created" }],
    ["a push without repository", "push", { ref: "refs/heads/main", before: "0", after: "1", commits: [] }],
    ["a pull_request without repository", "pull_request", { action: "opened", number: 1 }],
    ["an issues event without repository", "issues", { action: "closed", issue: { number: 1 } }],
    ["an installation event without installation", "installation", { action: "created" }],
    ["a payload that is a list", "push", [1, 2, 3]],
    ["a payload that is null", "push", null],
    ["a payload that is a string", "issues", "closed"],
  ])("%s: answered 2xx, nothing read or written", async (_, name, payload) => {
    const status = await app.sendWebhook(name, payload as object);
    expect(status).toBeGreaterThanOrEqual(200);
    expect(status).toBeLessThan(500);
    expect(writes(app)).toEqual([]);
    expect(app.fake.log.requests().filter((request) => request.method === "GET")).toEqual([]);
  });

  it("a delivery with a forged signature is still refused with 400", async () => {
    expect(await app.sendWebhook("__proto__", {}, { secret: "not-the-secret" })).toBe(400);
    expect(await app.sendWebhook("push", app.payloads.push({ repo: REPO }), { secret: "wrong" })).toBe(400);
  });

  it("a push without its commits list or ref is answered 2xx and writes nothing", async () => {
    const payload = app.payloads.push({ repo: REPO });
    delete (payload as Record<string, unknown>)["commits"];
    delete (payload as Record<string, unknown>)["ref"];
    const status = await app.sendWebhook("push", payload);
    expect(status).toBeLessThan(500);
    expect(writes(app)).toEqual([]);
  });
});
