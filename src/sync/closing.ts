// Closing what left the plan (as not planned, with a comment saying why; never deleted) and duplicates that
// a retried create left behind (as duplicate).
import { replaceMarker } from "./body.js";
import type { Config } from "./config.js";
import type { OwnedIssue } from "./identity.js";
import { encodeCommentMarker, type CommentMarker } from "./marker.js";
import type { ItemKind, Operation, RepoContext } from "./model.js";
import { blobUrl } from "./references.js";

export interface ClosingContext {
  planId: string;
  path: string;
  config: Config;
  repo: RepoContext;
}

const KIND_NAMES: Record<ItemKind, string> = {
  tracking: "plan",
  phase: "phase",
  step: "step",
  question: "question",
};

/**
 * Open issues whose item left the plan (or whose plan file was deleted) → close as not planned. Issues a
 * person closed already, or reopened after plan-sync closed them, are left as they are.
 */
export function closingOperations(
  issues: OwnedIssue[],
  cause: "removed" | "plan-deleted",
  context: ClosingContext,
): Operation[] {
  const ops: Operation[] = [];
  for (const issue of issues) {
    if (issue.state === "closed" || issue.marker.removed) continue;
    const reason: CommentMarker["reason"] =
      cause === "removed" && issue.marker.kind === "question" && context.config.questions === "list"
        ? "questions-as-list"
        : cause;
    if (reason === "removed" && issue.marker.kind === "step" && !context.config.close_removed) continue;
    const detach = cause === "removed" && issue.marker.parent !== null;
    if (detach) {
      // Detached so the parent's 100 sub-issue slots go to what the plan holds now; coming back re-attaches it.
      const parent = {
        item: null,
        owner: context.repo.owner,
        repo: context.repo.repo,
        number: issue.marker.parent as number,
        id: null,
      };
      const child = {
        item: issue.marker.item,
        owner: context.repo.owner,
        repo: context.repo.repo,
        number: issue.number,
        id: issue.id,
      };
      ops.push({ type: "remove-sub-issue", parent, child });
    }
    const comment = `${explanation(reason, issue.marker.kind, context)}\n\n${encodeCommentMarker({ plan: context.planId, item: issue.marker.item, reason })}`;
    ops.push({
      type: "close",
      item: issue.marker.item,
      number: issue.number,
      name: issue.title,
      reason: "not_planned",
      comment,
      changes: {
        body: replaceMarker(issue.body, {
          ...issue.marker,
          removed: true,
          parent: detach ? null : issue.marker.parent,
        }),
      },
    });
  }
  return ops;
}

function explanation(reason: CommentMarker["reason"], kind: ItemKind, context: ClosingContext): string {
  const file = `[\`${context.path}\`](${blobUrl(context.repo, context.repo.sha, context.path)})`;
  switch (reason) {
    case "questions-as-list":
      return "The plan's open questions are now listed on its tracking issue (config `questions: list`), so plan-sync closed this issue as not planned.";
    case "plan-deleted":
      return `The plan file \`${context.path}\` was deleted in ${context.repo.sha}, so plan-sync closed this issue as not planned.`;
    case "removed":
    case "duplicate":
      return `This ${KIND_NAMES[kind]} is no longer in the plan ${file}, so plan-sync closed it as not planned. If it comes back to the plan, this issue will be reopened.`;
  }
}

/** The later copies of an item's issue, closed as duplicates of the first (lowest number). */
export function duplicateOperations(
  duplicates: Array<{ issue: OwnedIssue; of: OwnedIssue }>,
  context: ClosingContext,
): Operation[] {
  return duplicates
    .filter(({ issue }) => issue.state === "open")
    .map(({ issue, of }) => ({
      type: "close" as const,
      item: issue.marker.item,
      number: issue.number,
      name: issue.title,
      reason: "duplicate" as const,
      comment: `Duplicate of #${of.number}: plan-sync created this issue twice for the same item (a retried request).\n\n${encodeCommentMarker({ plan: context.planId, item: issue.marker.item, reason: "duplicate" })}`,
      changes: {},
    }));
}
