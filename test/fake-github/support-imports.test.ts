import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SUPPORT = fileURLToPath(new URL("../support/", import.meta.url));

describe("test/support", () => {
  it("imports nothing from vitest, so the demo can run the fake and the harness under plain tsx", () => {
    const files = readdirSync(SUPPORT, { recursive: true, encoding: "utf8" }).filter((file) =>
      file.endsWith(".ts"),
    );
    expect(files.length).toBeGreaterThan(10);
    const offenders = files.filter((file) =>
      /from\s+["']vitest/.test(readFileSync(join(SUPPORT, file), "utf8")),
    );
    expect(offenders).toEqual([]);
  });
});
