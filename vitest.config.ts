import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    pool: "forks",
    // The end-to-end files mostly wait (timers, loopback HTTP, retry-after back-offs): two at a time on this
    // 2-core machine even though vitest's default would run one.
    maxWorkers: 2,
  },
});
