import { describe, expect, it } from "vitest";
import {
  InProcessDeliveryLedger,
  oncePerDelivery,
  type DeliveryLedger,
} from "../../src/runtime/deliveries.js";

describe("InProcessDeliveryLedger", () => {
  it("refuses a delivery running or done, takes it again once expired or failed", async () => {
    let now = 0;
    const ledger = new InProcessDeliveryLedger({ ttlMs: 1000, runningTtlMs: 100, now: () => now });
    expect(await ledger.claim("a")).toBe(true);
    expect(await ledger.claim("a")).toBe(false);
    await ledger.succeeded("a");
    now = 999;
    expect(await ledger.claim("a")).toBe(false);
    now = 2000;
    expect(await ledger.claim("a")).toBe(true);
    await ledger.failed("a");
    expect(await ledger.claim("a")).toBe(true);
  });

  it("a claim still running past its expiry (the handler died) is taken again", async () => {
    let now = 0;
    const ledger = new InProcessDeliveryLedger({ ttlMs: 1000, runningTtlMs: 100, now: () => now });
    expect(await ledger.claim("a")).toBe(true);
    now = 99;
    expect(await ledger.claim("a")).toBe(false);
    now = 100;
    expect(await ledger.claim("a")).toBe(true);
  });

  it("keeps at most maxEntries, forgetting the oldest", async () => {
    const ledger = new InProcessDeliveryLedger({ maxEntries: 2 });
    for (const id of ["a", "b", "c"]) await ledger.claim(id);
    expect(ledger.size).toBe(2);
    expect([await ledger.claim("b"), await ledger.claim("c"), await ledger.claim("a")]).toEqual([
      false,
      false,
      true,
    ]);
  });
});

describe("oncePerDelivery", () => {
  it.each([
    ["succeeds", async () => true, false],
    ["answers nothing", async () => {}, false],
    ["reports a failure (false)", async () => false, true],
  ])("a delivery whose work %s is run again: %s", async (_what, work, again) => {
    const ledger = new InProcessDeliveryLedger();
    await oncePerDelivery(ledger, "d", work);
    let ran = false;
    await oncePerDelivery(ledger, "d", async () => {
      ran = true;
    });
    expect(ran).toBe(again);
  });

  it("a delivery whose work throws is forgotten, and the error passes through", async () => {
    const ledger = new InProcessDeliveryLedger();
    await expect(oncePerDelivery(ledger, "d", () => Promise.reject(new Error("boom")))).rejects.toThrow(
      "boom",
    );
    expect(await ledger.claim("d")).toBe(true);
  });

  it("the work's error passes through even when the ledger cannot release the claim", async () => {
    const ledger: DeliveryLedger = {
      claim: async () => true,
      succeeded: async () => {},
      failed: () => Promise.reject(new Error("ledger unreachable")),
    };
    await expect(oncePerDelivery(ledger, "d", () => Promise.reject(new Error("boom")))).rejects.toThrow(
      "boom",
    );
  });

  it("a delivery claimed already is skipped, and said so", async () => {
    const ledger = new InProcessDeliveryLedger();
    await ledger.claim("d");
    const skipped: string[] = [];
    await oncePerDelivery(
      ledger,
      "d",
      () => Promise.reject(new Error("not run")),
      () => skipped.push("d"),
    );
    expect(skipped).toEqual(["d"]);
  });
});
