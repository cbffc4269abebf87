// The runs a dead process left in progress: looked for at a push's before and after, unless this process cleared
// the push's `before` itself (then the two reads are saved: the no-op push's read count depends on it).
import { describe, expect, it } from "vitest";
import type { GitHubLayer } from "../../../src/github/index.js";
import { concludeStaleRuns, STALE_RUN, unsettle } from "../../../src/app/workflows/stale-check-runs.js";
import { InProcessRunLedger, RecentCommits } from "../../../src/runtime/run-ledger.js";

const repo = { owner: "acme", repo: "gateway" };
const quiet = { warn: () => {} };

/** A GitHub layer with `open` runs in progress per commit; records what it was asked. */
function fakeGitHub(open: Record<string, number[]>, failing: string[] = []) {
  const looked: string[] = [];
  const concluded: Array<[number, string]> = [];
  const github = {
    openCheckRunsAt: async (sha: string) => {
      looked.push(sha);
      if (failing.includes(sha)) throw new Error("502 Bad Gateway");
      return open[sha] ?? [];
    },
    completeCheckRun: async (id: number, outcome: { title: string }) =>
      void concluded.push([id, outcome.title]),
  } as unknown as GitHubLayer;
  return { github, looked, concluded };
}

describe("concludeStaleRuns", () => {
  it("with a shared ledger (no settled commits): looks at both commits on every push, concludes what is not ours", async () => {
    const { github, looked, concluded } = fakeGitHub({ b1: [7, 8] });
    const shared = { has: async (id: number) => id === 8 };
    expect(await concludeStaleRuns(github, { repo, shas: ["b1", "a1"] }, shared, quiet)).toBe(1);
    expect(await concludeStaleRuns(github, { repo, shas: ["a1", "a2"] }, shared, quiet)).toBe(0);
    expect({ looked, concluded }).toEqual({
      looked: ["b1", "a1", "a1", "a2"],
      concluded: [[7, STALE_RUN.title]],
    });
  });

  it("in process: the first push looks; the next one, from the commit this process cleared, reads nothing", async () => {
    const { github, looked, concluded } = fakeGitHub({ b1: [7] });
    const ledger = new InProcessRunLedger();
    expect(await concludeStaleRuns(github, { repo, shas: ["b1", "a1"] }, ledger, quiet)).toBe(1);
    expect(await concludeStaleRuns(github, { repo, shas: ["a1", "a2"] }, ledger, quiet)).toBe(0);
    expect(await concludeStaleRuns(github, { repo, shas: ["a2", "a3"] }, ledger, quiet)).toBe(0);
    expect({ looked, concluded }).toEqual({ looked: ["b1", "a1"], concluded: [[7, STALE_RUN.title]] });
  });

  it("in process: a push from a commit this process never cleared looks at both (a restart, a force-push)", async () => {
    const { github, looked } = fakeGitHub({});
    const ledger = new InProcessRunLedger();
    await concludeStaleRuns(github, { repo, shas: ["b1", "a1"] }, ledger, quiet);
    await concludeStaleRuns(github, { repo, shas: ["x9", "a2"] }, ledger, quiet);
    // The same commit in another repository is another commit.
    await concludeStaleRuns(github, { repo: { ...repo, repo: "other" }, shas: ["a1", "a3"] }, ledger, quiet);
    expect(looked).toEqual(["b1", "a1", "x9", "a2", "a1", "a3"]);
  });

  it("a commit whose lookup failed is not cleared: the next push from it looks again", async () => {
    const { github, looked } = fakeGitHub({}, ["a1"]);
    const ledger = new InProcessRunLedger();
    await concludeStaleRuns(github, { repo, shas: ["b1", "a1"] }, ledger, quiet);
    await concludeStaleRuns(github, { repo, shas: ["a1", "a2"] }, ledger, quiet);
    expect(looked).toEqual(["b1", "a1", "a1", "a2"]);
  });

  it("a run this process starts at a cleared commit (or fails to complete) makes the next push from it look", async () => {
    const { github, looked } = fakeGitHub({});
    const ledger = new InProcessRunLedger();
    await concludeStaleRuns(github, { repo, shas: ["b1", "a1"] }, ledger, quiet);
    unsettle(ledger, repo, "a1");
    await concludeStaleRuns(github, { repo, shas: ["a1", "a2"] }, ledger, quiet);
    expect(looked).toEqual(["b1", "a1", "a1", "a2"]);
  });

  it("the zero sha (a branch's first push) is never looked at", async () => {
    const { github, looked } = fakeGitHub({});
    await concludeStaleRuns(github, { repo, shas: ["0".repeat(40), "a1"] }, new InProcessRunLedger(), quiet);
    expect(looked).toEqual(["a1"]);
  });
});

describe("RecentCommits", () => {
  it("forgets the oldest past its limit; adding again makes a commit the newest", () => {
    const commits = new RecentCommits(2);
    commits.add("a");
    commits.add("b");
    commits.add("a");
    commits.add("c");
    expect([commits.has("a"), commits.has("b"), commits.has("c"), commits.size]).toEqual([
      true,
      false,
      true,
      2,
    ]);
  });
});
