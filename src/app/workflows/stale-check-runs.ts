// Check runs a dead process left "in progress" (SIGKILL, an out-of-memory kill, a lost container: nothing ran
// its shutdown) are concluded by the next push's run: it looks at the commits the dead run can be on (the push's
// `before`, which the killed push had as its head, and `after`, for a redelivery) and concludes every `plan-sync`
// run there that this process is not running. A run another instance is still working on may be concluded too;
// that instance's own completion, later, overwrites it with the real outcome.
//
// Those two reads are skipped when this process itself cleared the push's `before` (the ledger's `settled`, in
// process only): a dead process died before this one started, and this one has concluded the runs at `before`
// since, so it has been up for the whole push — nothing a dead process ran can be at `before`, and a run left at
// `after` (a commit pushed again) is older than the one this push starts there, which GitHub shows instead. The
// first push of a branch after a start (and every push, with a shared ledger) looks. A commit where this process
// starts a run is no longer settled until that run is concluded (the run's completion may fail: then it looks).
import { describeFailure, type CheckOutcome, type GitHubLayer } from "../../github/index.js";
import type { SettledCommits } from "../run-ledger.js";

export const STALE_RUN: CheckOutcome = {
  conclusion: "neutral",
  title: "Interrupted: the plan-sync process running it stopped",
  summary:
    "The process running this check stopped before it finished (it was killed or crashed). A later push's run " +
    "concluded it; that run synced the plans again from the branch head, so nothing is left half-done.",
  annotations: [],
};

export interface StaleRunsAt {
  repo: { owner: string; repo: string };
  /** The push's `before`, then its `after` (RunRecord.staleRunsAt). */
  shas: string[];
}

type Ledger = { has(id: number): boolean | Promise<boolean>; readonly settled?: SettledCommits | undefined };

const commitOf = (repo: StaleRunsAt["repo"], sha: string) => `${repo.owner}/${repo.repo}@${sha}`;

/** A run of this process begins (or could not be completed) at `sha`: the next push there looks again. */
export function unsettle(ours: Pick<Ledger, "settled">, repo: StaleRunsAt["repo"], sha: string): void {
  ours.settled?.delete(commitOf(repo, sha));
}

/** Concludes the runs left open at `at.shas` (besides this process's own); answers how many. Never throws. */
export async function concludeStaleRuns(
  github: GitHubLayer,
  at: StaleRunsAt,
  ours: Ledger,
  log: { warn: (fields: object, message: string) => void },
): Promise<number> {
  const shas = [...new Set(at.shas.filter((candidate) => !/^0+$/.test(candidate)))];
  const commit = (sha: string) => commitOf(at.repo, sha);
  const { settled } = ours;
  const before = at.shas[0];
  if (settled && before !== undefined && settled.has(commit(before))) {
    for (const sha of shas) settled.add(commit(sha));
    return 0;
  }
  let concluded = 0;
  for (const sha of shas) {
    try {
      for (const id of await github.openCheckRunsAt(sha)) {
        if (await ours.has(id)) continue;
        await github.completeCheckRun(id, STALE_RUN);
        concluded++;
      }
      settled?.add(commit(sha));
    } catch (error) {
      // A leftover run is cosmetic next to the sync: it waits for the next push.
      log.warn({ sha, error: describeFailure(error) }, "plan-sync: could not conclude stale check runs");
    }
  }
  return concluded;
}
