// GitHub runs the committed action/dist bundle, not our sources: it must be what the sources bundle to now,
// or the Action would run stale code. (Regenerate with `npm run bundle:action`.)
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, it } from "vitest";

it("the committed Action bundle matches the sources", async () => {
  const root = new URL("../..", import.meta.url).pathname;
  const run = promisify(execFile)(
    process.execPath,
    ["--import", "tsx", "scripts/bundle-action.ts", "--check"],
    {
      cwd: root,
    },
  ).then(
    () => 0,
    (error: { code: number; stdout: string; stderr: string }) =>
      `${error.code}: ${error.stdout}${error.stderr}`,
  );
  expect(await run).toBe(0);
}, 60_000);
