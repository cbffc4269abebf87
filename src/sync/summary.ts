// What a list of operations will do, for the PR preview ("N issues to create, M to update, K to close"),
// logs and the write budget.
import type { ItemKey, Operation } from "./model.js";

export interface OperationSummary {
  /** Issue titles (creates) and names (the rest), in operation order. */
  creates: string[];
  updates: string[];
  closes: string[];
  reopens: string[];
  comments: number;
  /** Sub-issue and blocked-by links added or removed (including those of creates). */
  links: number;
  /** API writes the operations cost (content-creating requests count against GitHub's limits). */
  writes: number;
}

/** API writes of one operation: a create also attaches its parent and blocked-by links; a close may comment. */
export function writesOf(op: Operation): number {
  switch (op.type) {
    case "create":
      return 1 + (op.parent ? 1 : 0) + op.blockedBy.length;
    case "close":
      return 1 + (op.comment ? 1 : 0);
    case "update":
    case "reopen":
    case "comment":
    case "add-sub-issue":
    case "remove-sub-issue":
    case "add-blocked-by":
    case "remove-blocked-by":
      return 1;
  }
}

export function summarizeOperations(ops: Operation[]): OperationSummary {
  const summary: OperationSummary = {
    creates: [],
    updates: [],
    closes: [],
    reopens: [],
    comments: 0,
    links: 0,
    writes: 0,
  };
  for (const op of ops) {
    summary.writes += writesOf(op);
    switch (op.type) {
      case "create":
        summary.creates.push(op.title);
        summary.links += (op.parent ? 1 : 0) + op.blockedBy.length;
        break;
      case "update":
        summary.updates.push(op.name);
        break;
      case "close":
        summary.closes.push(op.name);
        if (op.comment) summary.comments++;
        break;
      case "reopen":
        summary.reopens.push(op.name);
        break;
      case "comment":
        summary.comments++;
        break;
      case "add-sub-issue":
      case "remove-sub-issue":
      case "add-blocked-by":
      case "remove-blocked-by":
        summary.links++;
        break;
    }
  }
  return summary;
}

/** The plan items some operation writes to (their issue, or links from/to it); the rest were left as they were. */
export function itemsWritten(ops: Operation[]): Set<ItemKey> {
  const items = new Set<ItemKey>();
  for (const op of ops) {
    const item = itemOf(op);
    if (item !== null) items.add(item);
  }
  return items;
}

/** The plan item an operation writes to: its issue's, or the issue a link is made from. */
function itemOf(op: Operation): ItemKey | null {
  switch (op.type) {
    case "create":
    case "update":
    case "close":
    case "reopen":
    case "comment":
      return op.item;
    case "add-sub-issue":
    case "remove-sub-issue":
      return op.child.item;
    case "add-blocked-by":
    case "remove-blocked-by":
      return op.issue.item;
  }
}
