import { describe, expect, it } from "vitest";
import { DeliveryLedger, oncePerDelivery } from "../../src/app/dedupe.js";

describe("DeliveryLedger", () => {
  it("refuses a delivery running or done, takes it again once expired or failed", () => {
    let now = 0;
    const ledger = new DeliveryLedger({ ttlMs: 1000, now: () => now });
    expect(ledger.claim("a")).toBe(true);
    expect(ledger.claim("a")).toBe(false);
    ledger.succeeded("a");
    now = 999;
    expect(ledger.claim("a")).toBe(false);
    now = 2000;
    expect(ledger.claim("a")).toBe(true);
    ledger.failed("a");
    expect(ledger.claim("a")).toBe(true);
  });

  it("keeps at most maxEntries, forgetting the oldest", () => {
    const ledger = new DeliveryLedger({ maxEntries: 2 });
    for (const id of ["a", "b", "c"]) ledger.claim(id);
    expect(ledger.size).toBe(2);
    expect([ledger.claim("b"), ledger.claim("c"), ledger.claim("a")]).toEqual([false, false, true]);
  });
});

describe("oncePerDelivery", () => {
  it.each([
    ["succeeds", async () => true, false],
    ["answers nothing", async () => {}, false],
    ["reports a failure (false)", async () => false, true],
  ])("a delivery whose work %s is run again: %s", async (_what, work, again) => {
    const ledger = new DeliveryLedger();
    await oncePerDelivery(ledger, "d", work);
    let ran = false;
    await oncePerDelivery(ledger, "d", async () => {
      ran = true;
    });
    expect(ran).toBe(again);
  });

  it("a delivery whose work throws is forgotten, and the error passes through", async () => {
    const ledger = new DeliveryLedger();
    await expect(oncePerDelivery(ledger, "d", () => Promise.reject(new Error("boom")))).rejects.toThrow(
      "boom",
    );
    expect(ledger.claim("d")).toBe(true);
  });

  it("a delivery claimed already is skipped, and said so", async () => {
    const ledger = new DeliveryLedger();
    ledger.claim("d");
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
