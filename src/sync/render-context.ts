// What every renderer needs to know besides the item: the plan, where it lives, and the issue numbers and
// states as they will be once this round of operations is applied.
import type { Plan, Step } from "../plan/model.js";
import type { Config } from "./config.js";
import type { CloseReason, ItemKey, ReferenceState, RepoContext } from "./model.js";

/** An item's issue as it will be after the operations of this round (null number: not created yet). */
export interface ItemIssueView {
  number: number | null;
  state: "open" | "closed";
  closedAs: CloseReason | "reopened" | null;
  /** The plan's done-mark for the item. */
  planDone: boolean;
  assignees: string[];
}

export interface RenderContext {
  plan: Plan;
  path: string;
  planTitle: string;
  config: Config;
  repo: RepoContext;
  issueOf(key: ItemKey): ItemIssueView | null;
  /** The plan's steps by `Step.key` (renderers look steps up often; plans run to hundreds of steps). */
  stepByKey: Map<string, Step>;
  /** Live state of referenced issues by canonical `owner/repo#N`, when the caller read them. */
  referenceStates?: Record<string, ReferenceState>;
}

/** Stands in for the permalink while hashing: the link moves only when the item itself changes. */
export const PERMALINK_PLACEHOLDER = "plan-sync:permalink";

/** A fenced block that no backtick run inside the code can close. */
export function fence(code: string, lang: string | null): string {
  const longest = Math.max(0, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = "`".repeat(Math.max(3, longest + 1));
  return `${ticks}${lang ?? ""}\n${code.replace(/\n$/, "")}\n${ticks}`;
}

export function quote(text: string): string {
  return text
    .trim()
    .split("\n")
    .map((line) => (line ? `> ${line}` : ">"))
    .join("\n");
}

/** A table cell: pipes escaped, line breaks as <br>. */
export function tableCell(text: string): string {
  return text.trim().replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");
}

/** The first line of every item body: `Part of #1 · plan **Title** · Phase 1: Core · Step 1.2`. */
export function partOfLine(context: RenderContext, parts: Array<string | null>): string {
  const tracking = context.issueOf("tracking")?.number;
  return [tracking ? `Part of #${tracking}` : null, `plan **${context.planTitle}**`, ...parts]
    .filter((part): part is string => Boolean(part))
    .join(" · ");
}

/** `1 step`, `2 steps`. */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

/** States as text marks: bot bodies hold no checkboxes, which a person could tick to no effect. */
export const STATE_MARKS = { done: "✅", active: "🔄", todo: "⚪" } as const;

/** One line of the marks used, for the top of a list or a graph. */
export function markLegend(): string {
  return `${STATE_MARKS.done} done · ${STATE_MARKS.active} in progress · ${STATE_MARKS.todo} to do`;
}

/** The mark of an item that is done or not (a question, a dependency). */
export function doneMark(done: boolean): string {
  return done ? STATE_MARKS.done : STATE_MARKS.todo;
}
