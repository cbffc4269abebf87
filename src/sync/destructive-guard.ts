// The guard on destructive syncs: a plan file that is empty, not text, parses to no steps, or would close a large
// share of its plan's open issues at once is far more often an accident (a bad merge, a truncated write, a wrong
// file) than a decision. Such a sync is not applied; its diagnostic says what would close and how to confirm.
// Deleting the file still retires a plan at once: that is the way to say "this plan is over".
import type { Diagnostic, Plan } from "../plan/model.js";
import type { Config } from "./config.js";
import { ownedIssues, resolvePlanId } from "./identity.js";
import { TRACKING_KEY } from "./items.js";
import type { CloseIssue, ManagedIssue, Operation } from "./model.js";

/** Front matter key that confirms, for the push that carries it, closing up to that many issues at once. */
const CONFIRM_CLOSE_KEY = "confirm_close";

export interface GuardInput {
  /** The file's text as read; the guard runs only on a file that exists (a deleted file retires its plan). */
  text: string;
  plan: Plan;
  path: string;
  previousPath: string | null;
  config: Config;
  issues: ManagedIssue[];
  botLogins: string[];
  /** What reconcile would do first (its first round holds every close of items the plan no longer names). */
  ops: Operation[];
}

/** An error diagnostic when the sync must not be applied as it stands, else null. */
export function destructiveChangeOf(input: GuardInput): Diagnostic | null {
  const open = openIssuesOfPlan(input);
  if (NOT_TEXT.test(input.text))
    return refusal(
      `\`${input.path}\` is not UTF-8 text (it holds NUL bytes or invalid UTF-8): it is not read as a plan and nothing was changed.${open.length > 0 ? " To retire its plan, delete the file." : ""}`,
    );
  if (open.length === 0 || input.config.allow_mass_close) return null;
  const closing = input.ops.filter(
    (op): op is CloseIssue => op.type === "close" && op.reason === "not_planned" && op.item !== TRACKING_KEY,
  );
  const hasStepIssues = open.some((issue) => issue.marker?.kind === "step");
  const why = isEmpty(input.text)
    ? "the file is empty"
    : input.plan.steps.length === 0 && hasStepIssues
      ? "the file parses to no steps"
      : isMassClose(closing.length, open.length, input.config)
        ? `it would close ${closing.length} of the plan's ${open.length} open issues at once`
        : looksCutOff(input.text) && closing.length >= input.config.mass_close_min_items
          ? `it would close ${closing.length} issues and the file ends mid-line, as a cut-off file does`
          : null;
  if (why === null || confirmed(input.plan, closing.length)) return null;
  const listed = [
    ...closing.slice(0, LISTED).map((op) => `#${op.number} ${op.name}`),
    ...(closing.length > LISTED ? [`${closing.length - LISTED} more`] : []),
  ].join("; ");
  return refusal(
    [
      `This push was not applied: ${why}.${closing.length > 0 ? ` It would close as not planned: ${listed}.` : ""} Nothing was closed, commented or renamed.`,
      `If this is meant, add \`${CONFIRM_CLOSE_KEY}: ${Math.max(closing.length, 1)}\` to the plan's front matter for this push, or set \`allow_mass_close: true\` in .github/plan-sync.yml; to retire the whole plan, delete the file.`,
    ].join(" "),
  );
}

/** Issues named in the diagnostic; the rest are counted. */
const LISTED = 10;

// NUL never occurs in text; U+FFFD is what a UTF-8 decoder puts where the bytes were not UTF-8.
// eslint-disable-next-line no-control-regex -- looking for NUL is the point
const NOT_TEXT = /[\u0000\uFFFD]/;

function isEmpty(text: string): boolean {
  return text.replace(/^\uFEFF/, "").trim() === "";
}

/** More than `mass_close_share` of the open issues, and at least `mass_close_min_items`. */
function isMassClose(closing: number, open: number, config: Config): boolean {
  return closing >= config.mass_close_min_items && closing > open * config.mass_close_share;
}

/** A file cut at a byte or line offset ends without its final newline (editors and git write one). */
function looksCutOff(text: string): boolean {
  return text.length > 0 && !text.endsWith("\n");
}

/** `confirm_close: N` in the front matter allows closing up to N issues (the number the diagnostic names). */
function confirmed(plan: Plan, closing: number): boolean {
  const value = plan.metadata[CONFIRM_CLOSE_KEY];
  const allowed = typeof value === "number" ? value : typeof value === "string" ? Number(value) : NaN;
  return Number.isInteger(allowed) && allowed >= Math.max(closing, 1);
}

/** The plan's open step, phase and question issues (its tracking issue aside). */
function openIssuesOfPlan(input: GuardInput): ManagedIssue[] {
  const owned = ownedIssues(input.issues, input.botLogins);
  const planId = resolvePlanId(owned, input.path, input.previousPath);
  return owned.filter(
    (issue) => issue.marker.plan === planId && issue.marker.kind !== "tracking" && issue.state === "open",
  );
}

function refusal(message: string): Diagnostic {
  return { severity: "error", rule: "destructive-change", message, line: 1, column: 1 };
}
