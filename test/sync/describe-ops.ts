// One line per operation, so tests can assert exact operation lists in readable inline snapshots.
import type { IssueTarget, Operation } from "../../src/sync/model.js";

function ref(target: IssueTarget): string {
  return target.owner === "acme" && target.repo === "gateway"
    ? `#${target.number}`
    : `${target.owner}/${target.repo}#${target.number}`;
}

export function describeOp(op: Operation): string {
  switch (op.type) {
    case "create": {
      const links = [
        op.parent ? `parent ${ref(op.parent)}` : null,
        op.blockedBy.length ? `blocked by ${op.blockedBy.map(ref).join(",")}` : null,
      ];
      const extras = [...links, op.closeAfter ? "then close" : null].filter(Boolean).join("; ");
      return `create ${op.item} "${op.title}"${extras ? ` (${extras})` : ""}`;
    }
    case "update":
      return `update #${op.number} ${op.item} [${Object.keys(op.changes).join(",")}]`;
    case "close":
      return `close #${op.number} ${op.item} ${op.reason}${op.comment ? " +comment" : ""} [${Object.keys(op.changes).join(",")}]`;
    case "reopen":
      return `reopen #${op.number} ${op.item} [${Object.keys(op.changes).join(",")}]`;
    case "comment":
      return `comment #${op.number} ${op.item}`;
    case "add-sub-issue":
      return `add-sub-issue ${ref(op.parent)} <- ${ref(op.child)}${op.replaceParent ? " (replace)" : ""}`;
    case "remove-sub-issue":
      return `remove-sub-issue ${ref(op.parent)} <- ${ref(op.child)}`;
    case "add-blocked-by":
      return `add-blocked-by ${ref(op.issue)} <- ${ref(op.blocker)}`;
    case "remove-blocked-by":
      return `remove-blocked-by ${ref(op.issue)} <- ${ref(op.blocker)}`;
  }
}

export const describeOps = (ops: Operation[]): string[] => ops.map(describeOp);
