// The contract between the sync core (pure) and the GitHub layer that applies its decisions.
//
// Applier protocol (the loop in apply-loop.ts, driven against GitHub by src/github/apply.ts; documented here
// because reconcile relies on it):
//
//   1. Read the managed issues in bulk: `GET /repos/{owner}/{repo}/issues?creator=<bot>&state=all&per_page=100`,
//      every page, decode each body's marker with `decodeMarker`, and fill in `ManagedIssue` (including the
//      optional observed link fields when the response has them). Pass them all: reconcile keeps only the
//      issues of this plan that a bot in `context.botLogins` created and that carry a marker.
//   2. `ops = reconcile(input)`. Apply `ops` in order, one write at a time. Operations name issues by item key
//      and by number when the issue exists; the applier keeps a snapshot (item key → issue) to resolve them.
//   3. After each `create` (and its links, see `CreateIssue`), add the new issue to the snapshot exactly as
//      created (body, labels, marker…) and call `reconcile` again with the snapshot: the rest of the previous
//      list is discarded, because later bodies and links need the new number. After any other operation,
//      update the snapshot the same way (new body, state, labels…, and the observed `parentNumber` /
//      `blockedByCount` after link operations, or leave those undefined).
//      When GitHub refuses a link (it stays text in the body), add it to that issue's `refusedThisSync` for the
//      rest of the sync, and call `reconcile` again before the next operation that is not a link: reconcile
//      then records the refusal in the marker (in the update it sends anyway, or in one marker-only update)
//      and does not send that link again until the item changes. A 422 on a "blocked by" link the marker
//      already records means the link is there (a re-send), not a refusal.
//   4. When a list is applied without a `create`, call `reconcile` once more; stop when it returns `[]`.
//      Cap the loop (e.g. items × 2 + 10 rounds); hitting the cap is a bug worth an error log.
//
//   Lists are ordered: closes of what left the plan (freeing sub-issue slots), then creates (tracking issue
//   first, parents and blockers before the steps that need their numbers), then updates and links, the
//   tracking issue last. Adding a link that already exists (GitHub answers 422) and removing one that is gone
//   (404) count as success: reconcile may re-send a link it cannot see. A failed write stops the sync; the
//   next sync starts over from step 1 and is safe to repeat (a create that GitHub committed but answered with
//   an error leaves a copy, which the next round closes as a duplicate).
import type { Plan } from "../plan/model.js";
import type { Config } from "./config.js";

/** What a managed issue stands for. */
export type ItemKind = "tracking" | "phase" | "step" | "question";

/**
 * Identity of an item within a plan, as operations name it: `tracking`, `phase:<Phase.key>`,
 * `step:<Step.key>`, `question:<Question.key>`.
 */
export type ItemKey = string;

/** How GitHub records why an issue is closed (`state_reason`). */
export type CloseReason = "completed" | "not_planned" | "duplicate";

/**
 * The hidden state plan-sync keeps in every managed body (an HTML comment, see marker.ts): what it last wrote,
 * so reconcile decides from one bulk list of issues without reading each issue's links.
 */
export interface Marker {
  v: 1;
  /** Plan id: the plan's path when it was first synced; it stays when the file is renamed. */
  plan: string;
  item: ItemKey;
  kind: ItemKind;
  /** Identity hints for matching after edits (explicit id, step number, item title as written in the plan). */
  explicitId: string | null;
  number: string | null;
  title: string;
  /** Hash of the rendered title and body part, without the permalink: changes only when the item does. */
  hash: string;
  /** The done-mark last synced (tracking: the plan was complete). */
  done: boolean;
  /** plan-sync closed the issue because the item left the plan (or the plan was deleted). */
  removed: boolean;
  /** Labels and assignees plan-sync set; only these are ever removed by a sync. */
  labels: string[];
  assignees: string[];
  /** Number of the parent issue it was attached to as a sub-issue, or null. */
  parent: number | null;
  /** The "blocked by" links it made, as canonical references `owner/repo#N`. */
  blockedBy: string[];
  /**
   * Links GitHub refused when last tried (kept as text in the body): not sent again until the item changes
   * (`hash`), when the plan may name one GitHub accepts. Absent when none (and in markers written before it).
   */
  refused?: RefusedLinks;
  /** Tracking issue only: the plan file's current path. */
  path: string | null;
  /** The milestone title plan-sync set from the plan; a milestone set by hand wins unless the plan changes it. */
  milestone?: string | null;
}

/** Links GitHub would not make (an issue it cannot reach, a cap, a feature it lacks). */
export interface RefusedLinks {
  /** The issue it would not attach this one to as a sub-issue, or null. */
  parent: number | null;
  /** "Blocked by" links, as canonical references `owner/repo#N`. */
  blockedBy: string[];
}

export type IssueState = "open" | "closed";

/** An issue as the GitHub layer reads it (one list call, 100 a page). */
export interface ManagedIssue {
  /** REST issue id (not the number): the sub-issue and dependency APIs take it. */
  id: number;
  number: number;
  title: string;
  body: string;
  state: IssueState;
  stateReason: CloseReason | "reopened" | null;
  labels: string[];
  assignees: string[];
  milestone: { number: number; title: string } | null;
  authorLogin: string;
  /** `decodeMarker(body)`. */
  marker: Marker | null;
  /** Observed parent number (from `parent_issue_url`), when the response has it; undefined = unknown. */
  parentNumber?: number | null;
  /** Observed `issue_dependencies_summary.total_blocked_by`, when present; undefined = unknown. */
  blockedByCount?: number;
  /** Links GitHub refused during this sync (the applier's record; a list read never has it). */
  refusedThisSync?: RefusedLinks;
}

export interface RepoContext {
  /** `github.com` or a GitHub Enterprise host, for links. */
  host: string;
  owner: string;
  repo: string;
  /** The commit being synced: permalinks of items that change point here. */
  sha: string;
  /** The branch the plan is read from, for the tracking issue's link to the file. */
  branch: string;
  /** Logins whose issues plan-sync may manage, e.g. `plan-sync[bot]` (and `github-actions[bot]` in Action mode). */
  botLogins: string[];
}

/** Live state of an issue a plan references (upstream dependencies), keyed by canonical `owner/repo#N`. */
export interface ReferenceState {
  state: IssueState;
  title?: string;
}

export interface ReconcileInput {
  /** The parsed plan, or null when the file was deleted. */
  plan: Plan | null;
  /** The plan file's path (the deleted file's path when `plan` is null). */
  path: string;
  /** The path before a rename, when this push renamed the file. */
  previousPath: string | null;
  config: Config;
  /** Issues read in bulk (any plan's); reconcile keeps the ones it may manage for this plan. */
  issues: ManagedIssue[];
  context: RepoContext;
  /** Optional live state of referenced issues, shown on the tracking issue. */
  referenceStates?: Record<string, ReferenceState>;
}

/** An issue an operation acts on or links to. `id` is null when not known (the applier looks it up). */
export interface IssueTarget {
  /** The plan item it stands for; null for an issue outside the plan (e.g. `owner/repo#12`). */
  item: ItemKey | null;
  owner: string;
  repo: string;
  number: number;
  id: number | null;
}

/** Fields of one PATCH of an issue; only the ones that change are present. Labels/assignees: the full new set. */
export interface IssueChanges {
  title?: string;
  body?: string;
  labels?: string[];
  assignees?: string[];
  /** Milestone title; the applier resolves it to a number. */
  milestone?: string;
}

/**
 * Create the issue of an item, then (same operation) attach it to `parent` and add its `blockedBy` links.
 * Its marker already records those links, so the applier must apply them before the next reconcile.
 * `closeAfter` is informational (previews): the item is done, so the next reconcile closes it.
 */
export interface CreateIssue {
  type: "create";
  item: ItemKey;
  kind: ItemKind;
  title: string;
  body: string;
  labels: string[];
  assignees: string[];
  milestone: string | null;
  parent: IssueTarget | null;
  blockedBy: IssueTarget[];
  closeAfter: "completed" | null;
}

/** Common fields of operations on an existing issue of the plan. `name` is for logs and previews. */
interface OnIssue {
  item: ItemKey;
  number: number;
  name: string;
}

export interface UpdateIssue extends OnIssue {
  type: "update";
  changes: IssueChanges;
}

/** Close with `reason` in one PATCH together with `changes`; post `comment` first when present. */
export interface CloseIssue extends OnIssue {
  type: "close";
  reason: CloseReason;
  comment: string | null;
  changes: IssueChanges;
}

export interface ReopenIssue extends OnIssue {
  type: "reopen";
  changes: IssueChanges;
}

export interface CommentOnIssue extends OnIssue {
  type: "comment";
  body: string;
}

/** `replaceParent`: the child has another parent now; GitHub moves it in the same request. */
export interface AddSubIssue {
  type: "add-sub-issue";
  parent: IssueTarget;
  child: IssueTarget;
  replaceParent: boolean;
}

export interface RemoveSubIssue {
  type: "remove-sub-issue";
  parent: IssueTarget;
  child: IssueTarget;
}

export interface AddBlockedBy {
  type: "add-blocked-by";
  issue: IssueTarget;
  blocker: IssueTarget;
}

export interface RemoveBlockedBy {
  type: "remove-blocked-by";
  issue: IssueTarget;
  blocker: IssueTarget;
}

export type Operation =
  | CreateIssue
  | UpdateIssue
  | CloseIssue
  | ReopenIssue
  | CommentOnIssue
  | AddSubIssue
  | RemoveSubIssue
  | AddBlockedBy
  | RemoveBlockedBy;
