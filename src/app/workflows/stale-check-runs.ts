// Check runs a dead process left "in progress" (SIGKILL, an out-of-memory kill, a lost container: nothing ran
// its shutdown) are concluded by the next push's run: it looks at the commits the dead run can be on (the push's
// `before`, which the killed push had as its head, and `after`, for a redelivery) and concludes every `plan-sync`
// run there that this process is not running. A run another instance is still working on may be concluded too;
// that instance's own completion, later, overwrites it with the real outcome.
import { describeFailure, type CheckOutcome, type GitHubLayer } from "../../github/index.js";

export const STALE_RUN: CheckOutcome = {
  conclusion: "neutral",
  title: "Interrupted: the plan-sync process running it stopped",
  summary:
    "The process running this check stopped before it finished (it was killed or crashed). A later push's run " +
    "concluded it; that run synced the plans again from the branch head, so nothing is left half-done.",
  annotations: [],
};

/** Concludes the runs left open on `shas` (besides this process's own); answers how many. Never throws. */
export async function concludeStaleRuns(
  github: GitHubLayer,
  shas: string[],
  ours: { has(id: number): boolean | Promise<boolean> },
  log: { warn: (fields: object, message: string) => void },
): Promise<number> {
  let concluded = 0;
  for (const sha of new Set(shas.filter((candidate) => !/^0+$/.test(candidate)))) {
    try {
      for (const id of await github.openCheckRunsAt(sha)) {
        if (await ours.has(id)) continue;
        await github.completeCheckRun(id, STALE_RUN);
        concluded++;
      }
    } catch (error) {
      // A leftover run is cosmetic next to the sync: it waits for the next push.
      log.warn({ sha, error: describeFailure(error) }, "plan-sync: could not conclude stale check runs");
    }
  }
  return concluded;
}
