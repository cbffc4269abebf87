// `writeback: pull_request` (SPEC.md §2): a person closed a step's or question's issue as completed while the plan
// says it is not done; one pull request per plan file ticks it in the file. Recipe: read the plan at the default
// head → keep the items it does not mark done → find where the commit goes (a new branch, or our open PR's) →
// tick each item in that file, each edit checked by parsing it → commit and open or update the PR.
import type { Logger } from "probot";
import type { ClosedItem } from "../plan-run.js";
import { describeFailure, statusOf } from "../../github/client.js";
import type { GitHubLayer } from "../../github/index.js";
import type { WritebackGitHub } from "../../github/writeback-pull-request.js";
import type { Plan } from "../../plan/model.js";
import { whyNotApplied } from "../../sync/applied.js";
import type { Config } from "../../sync/config.js";
import type { ItemKey, Marker } from "../../sync/model.js";
import { isOnlyMarkedDone, itemLabel, markItemDone } from "../../sync/writeback.js";
import {
  mergeEntries,
  renderWritebackBody,
  writebackBranch,
  writebackCommitMessage,
  writebackEntriesOf,
  writebackTitle,
  type WritebackEntry,
} from "../../sync/writeback-pr.js";
import type { AppDeps } from "../deps.js";

/** An item whose issue a person closed as completed. */
export interface WritebackRequest {
  path: string;
  defaultBranch: string;
  botLogins: string[];
  items: ClosedItem[];
  /** What of the config the writeback reads: the plan's item cap, and whether drafts are applied. */
  config: Pick<Config, "max_items" | "draft">;
}

export type WritebackOutcome =
  | { status: "written"; pr: number; created: boolean; items: ItemKey[]; skipped: ItemKey[] }
  /** Nothing to write: the plan marks the items done already, or has no mark plan-sync can tick. */
  | { status: "nothing"; reason: string }
  /** The branch holds a person's commits: left as it is. */
  | { status: "left"; reason: string };

/**
 * The closed item a writeback is due for: a `closed` event with state reason `completed` (not `not_planned`), on
 * a step or question issue, with `writeback: pull_request`; null otherwise.
 */
export function closedItemOf(
  payload: { action: string; issue: { number: number; state_reason?: string | null } },
  marker: Marker,
  config: Config,
): ClosedItem | null {
  if (config.writeback !== "pull_request" || payload.action !== "closed") return null;
  if (payload.issue.state_reason !== "completed") return null;
  if (marker.kind !== "step" && marker.kind !== "question") return null;
  return { item: marker.item, issue: payload.issue.number };
}

/**
 * Runs the writeback for one plan after its tracking refresh: a job of its own key (never the plan's), whose
 * waiting jobs are handed over together, so two closes at once make one commit, not two branches. Failures are
 * logged, not thrown: the event's sync is done and a redelivery would only repeat this.
 */
export type { ClosedItem } from "../plan-run.js";

export async function writeBackClosedItem(
  github: GitHubLayer,
  request: WritebackRequest,
  deps: Pick<AppDeps, "parsePlan">,
  log: Logger,
): Promise<void> {
  const { repo } = github;
  const work = async (items: ClosedItem[]) => {
    const fields = {
      repo: `${repo.owner}/${repo.repo}`,
      plan: request.path,
      items: items.map((i) => i.item),
    };
    try {
      const outcome = await writeBack(github.writeback, { ...request, items }, deps);
      if (outcome.status === "written")
        log.info(
          { ...fields, pr: outcome.pr, skipped: outcome.skipped },
          `plan-sync: writeback PR #${outcome.pr} ${outcome.created ? "opened" : "updated"}`,
        );
      else if (outcome.status === "left")
        log.warn(fields, `plan-sync: writeback left alone: ${outcome.reason}`);
      else log.info(fields, `plan-sync: writeback wrote nothing: ${outcome.reason}`);
    } catch (error) {
      // contents: write is not in app.yml's least-privilege set: installations that turn writeback on grant it.
      const hint = statusOf(error) === 403 ? " (writeback needs the contents: write permission)" : "";
      log.error({ ...fields, err: error }, `plan-sync: writeback failed: ${describeFailure(error)}${hint}`);
    }
  };
  await work(request.items);
}

export async function writeBack(
  github: WritebackGitHub,
  request: WritebackRequest,
  deps: Pick<AppDeps, "parsePlan">,
): Promise<WritebackOutcome> {
  const parse = async (text: string) =>
    await deps.parsePlan(text, { path: request.path, maxItems: request.config.max_items });
  const defaultHead = await github.branchHead(request.defaultBranch);
  const atHead = defaultHead && (await github.readEditableFile(defaultHead, request.path));
  if (!defaultHead || !atHead)
    return { status: "nothing", reason: `${request.path} is not on the default branch` };
  const plan = await parse(atHead.text);
  if (whyNotApplied(plan, request.config))
    return {
      status: "nothing",
      reason: "the plan is not applied (errors, plan-sync: false, or a draft in preview)",
    };
  const due = request.items.filter(({ item }) => markItemDone(atHead.text, plan, item) !== null);
  if (due.length === 0)
    return { status: "nothing", reason: "the plan marks the items done already, or has no mark to tick" };

  const branch = writebackBranch(request.path);
  const base = await github.writebackBase(branch, defaultHead, request.botLogins);
  if (base.kind === "foreign")
    return {
      status: "left",
      reason: `${branch} ends with a commit by ${base.author ?? "someone else"}; merge or delete it to resume`,
    };
  const file = base.kind === "open" ? await github.readEditableFile(base.head, request.path) : atHead;
  if (!file) return { status: "nothing", reason: `${request.path} is not on ${branch}` };

  const ticked = await tickAll(file.text, base.kind === "open" ? await parse(file.text) : plan, due, parse);
  if (ticked.added.length === 0)
    return { status: "nothing", reason: `${branch} marks the items done already` };
  const listed = base.kind === "open" ? writebackEntriesOf(base.pr.body) : [];
  const written = await github.writeWriteback({
    branch,
    base,
    defaultBranch: request.defaultBranch,
    path: request.path,
    file,
    text: ticked.text,
    message: writebackCommitMessage(request.path, ticked.added),
    title: writebackTitle(request.path),
    body: renderWritebackBody(request.path, mergeEntries(listed, ticked.added)),
  });
  return {
    status: "written",
    ...written,
    items: ticked.added.map((entry) => entry.item),
    skipped: due.filter(({ item }) => !ticked.added.some((entry) => entry.item === item)).map((i) => i.item),
  };
}

/** Ticks the items one by one; an edit the parse does not read as exactly that item done is dropped. */
async function tickAll(
  text: string,
  plan: Plan,
  items: ClosedItem[],
  parse: (text: string) => Promise<Plan>,
): Promise<{ text: string; added: WritebackEntry[] }> {
  const added: WritebackEntry[] = [];
  for (const { item, issue } of items) {
    const edited = markItemDone(text, plan, item);
    if (edited === null) continue;
    const after = await parse(edited);
    if (!isOnlyMarkedDone(plan, after, item)) continue;
    added.push({ item, issue, label: itemLabel(plan, item) ?? item });
    text = edited;
    plan = after;
  }
  return { text, added };
}

/** Closes waiting for the same plan's writeback: one run ticks them all (a later close of an item wins). */
export function mergeClosedItems(older: ClosedItem[], newer: ClosedItem[]): ClosedItem[] {
  const items = older.filter((closed) => !newer.some((other) => other.item === closed.item));
  return [...items, ...newer];
}
