import { describe, expect, it } from "vitest";
import { PlanLocks } from "../../src/app/queue.js";

describe("PlanLocks", () => {
  it("runs the work of one key one at a time, in order, other keys alongside; a failure releases the key", async () => {
    const locks = new PlanLocks();
    const events: string[] = [];
    const step =
      (name: string, fail = false) =>
      async () => {
        events.push(`${name} start`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        events.push(`${name} end`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([
      locks.run("a", step("a1", true)),
      locks.run("a", step("a2")),
      locks.run("b", step("b1")),
    ]);
    expect(results.map((result) => (result.status === "fulfilled" ? result.value : "failed"))).toEqual([
      "failed",
      "a2",
      "b1",
    ]);
    const at = (event: string) => events.indexOf(event);
    // b1 ran alongside a1; a2 only after a1 ended (and failed).
    expect(at("b1 start")).toBeLessThan(at("a1 end"));
    expect(events.filter((event) => event.startsWith("a"))).toEqual([
      "a1 start",
      "a1 end",
      "a2 start",
      "a2 end",
    ]);
    expect(locks.size).toBe(0);
  });
});
