// Done-marks written in a summary table (`| T0.2 Design system | … | ✅ shipped |`). A table is
// never a step (SPEC.md §1), but a row that names a step the plan already has, and says it is
// done, is what a reader takes as that step's state: the step is done.
import type { Root, Table } from "mdast";
import { saysDone } from "./heading-kinds.js";
import type { Step } from "./model.js";
import { plainText } from "./node-text.js";
import { readSequenceMarker } from "./sequence-marker.js";
import { reachLine } from "./parse-progress.js";

export function markDoneFromTables(tree: Root, steps: readonly Step[]): void {
  const open = new Map<string, Step>();
  for (const step of steps) if (!step.done && step.number) open.set(step.number.toLowerCase(), step);
  if (open.size === 0) return;
  for (const node of tree.children) {
    if (node.type !== "table") continue;
    reachLine(node.position?.start.line ?? 1);
    for (const id of doneRowIds(node)) {
      const step = open.get(id.first) ?? open.get(id.marker);
      if (!step) continue;
      step.done = true;
      step.inProgress = false;
    }
  }
}

/** For each row whose other cells say done: its first cell's first word (`A` in `A Clients`, a
 *  step's id as written) and the sequence marker it opens with (`T0.2`, `Task 3`), lower-cased. */
function doneRowIds(table: Table): Array<{ first: string; marker: string }> {
  const ids: Array<{ first: string; marker: string }> = [];
  for (const row of table.children.slice(1)) {
    const [first = "", ...rest] = row.children.map((cell) => plainText(cell).trim());
    if (!rest.some(saysDone)) continue;
    const word = (first.split(/\s/, 1)[0] ?? "").replace(/[.:]$/, "").toLowerCase();
    ids.push({ first: word, marker: readSequenceMarker(first)?.id.toLowerCase() ?? "" });
  }
  return ids;
}
