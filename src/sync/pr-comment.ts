// The status comment of a pull request (SPEC.md §3): one per PR, edited in place. Its body is, in order: a
// hidden state marker (the commit it reflects and what the preview said merging creates), the merge section
// once the PR is merged, and the preview. Pure and deterministic; under GitHub's 65,536 characters.
import { z } from "zod";
import { MAX_BODY_LENGTH, truncateAt } from "./body.js";
import type { ItemKey, RepoContext } from "./model.js";
import { count, planVerdict, renderPlanSection, type PlanSectionContext } from "./pr-comment-plan.js";
import type { PlanPreview } from "./pr-preview.js";

const STATE_PREFIX = "<!-- plan-sync:pull-request ";
const STATE_SUFFIX = " -->";
const MERGE_BEGIN = "<!-- plan-sync:merged -->";
const MERGE_END = "<!-- plan-sync:merged-end -->";
/** Room for the item keys the state keeps (the merge section counts the ones past it as not listed). */
const STATE_KEYS_BUDGET = 16_000;

export const TRUNCATION_NOTE =
  "\n\n> [!WARNING]\n> Truncated: this comment was longer than GitHub allows (65,536 characters). The `plan-sync` check run lists every diagnostic.";

/** What the comment remembers between events (hidden in its first line). */
export interface PullRequestCommentState {
  v: 1;
  /** The commit the preview reflects. */
  sha: string;
  /** The plans the PR touches and the items the preview said merging would create. */
  plans: Array<{ path: string; previousPath: string | null; creates: ItemKey[] }>;
}

const stateSchema = z.object({
  v: z.literal(1),
  sha: z.string(),
  plans: z.array(
    z.object({ path: z.string(), previousPath: z.string().nullable(), creates: z.array(z.string()) }),
  ),
});

/** Whether a comment body carries our marker (the author must be our bot as well: the caller checks). */
export function isStatusComment(body: string | null | undefined): boolean {
  return typeof body === "string" && body.startsWith(STATE_PREFIX);
}

export function commentStateOf(body: string): PullRequestCommentState | null {
  if (!isStatusComment(body)) return null;
  const end = body.indexOf(STATE_SUFFIX, STATE_PREFIX.length);
  if (end < 0) return null;
  try {
    const parsed = stateSchema.safeParse(JSON.parse(body.slice(STATE_PREFIX.length, end)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function encodeState(state: PullRequestCommentState): string {
  const json = JSON.stringify(state).replace(/</g, "\\u003c").replace(/>/g, "\\u003e");
  return `${STATE_PREFIX}${json}${STATE_SUFFIX}`;
}

export interface PreviewCommentInput extends PlanSectionContext {
  plans: PlanPreview[];
}

export function renderPreviewComment(input: PreviewCommentInput): string {
  const { repo, plans } = input;
  let budget = STATE_KEYS_BUDGET;
  const state: PullRequestCommentState = {
    v: 1,
    sha: repo.sha,
    plans: plans.map((preview) => ({
      path: preview.path,
      previousPath: preview.previousPath,
      creates: preview.operations.flatMap((op) => {
        if (op.type !== "create" || budget < op.item.length + 3) return [];
        budget -= op.item.length + 3;
        return [op.item];
      }),
    })),
  };
  const verdicts = plans.map(
    (preview) => `${planVerdict(preview, repo)}${plans.length > 1 ? ` in \`${preview.path}\`` : ""}`,
  );
  const summary = [
    `**Merging this pull request**: ${verdicts.join("; ")}.`,
    `<sub>Preview of ${commitLink(repo)} (${count(plans.length, "plan")}); nothing changes on GitHub until the merge.</sub>`,
  ].join("\n");
  const sections = plans.map((preview) => renderPlanSection(preview, input));
  return compose(state, "", [heading(), summary, ...sections].join("\n\n"));
}

/** A later push stopped touching plans: the comment says so (it is edited, never deleted). */
export function renderNoPlansComment(repo: RepoContext): string {
  return compose(
    { v: 1, sha: repo.sha, plans: [] },
    "",
    `${heading()}\n\nAs of ${commitLink(repo)}, this pull request no longer changes any plan file: merging it changes no issue.`,
  );
}

export function renderConfigErrorComment(repo: RepoContext, errors: string[]): string {
  return compose(
    { v: 1, sha: repo.sha, plans: [] },
    "",
    [
      heading(),
      `At ${commitLink(repo)}, \`.github/plan-sync.yml\` is invalid, so no plan was previewed (and pushes sync nothing). Fix these:`,
      errors.map((error) => `- ${error}`).join("\n"),
    ].join("\n\n"),
  );
}

/** The body with its merge section set (or replaced), the preview below it kept. Null: not our comment. */
export function withMergeSection(body: string, section: string): string | null {
  const state = commentStateOf(body);
  if (!state) return null;
  const afterState = body.slice(body.indexOf(STATE_SUFFIX) + STATE_SUFFIX.length).replace(/^\n/, "");
  const begin = afterState.indexOf(MERGE_BEGIN);
  const end = afterState.indexOf(MERGE_END);
  const preview =
    begin >= 0 && end > begin ? afterState.slice(end + MERGE_END.length).replace(/^\n/, "") : afterState;
  return compose(state, section, preview);
}

function heading(): string {
  return "## plan-sync";
}

/** `abc1234` linked to the commit. */
export function commitLink(repo: RepoContext): string {
  return `[\`${repo.sha.slice(0, 7)}\`](https://${repo.host}/${repo.owner}/${repo.repo}/commit/${repo.sha})`;
}

/** State, merge section, preview; the merge section gets at most half the room, the preview what is left. */
function compose(state: PullRequestCommentState, mergeSection: string, preview: string): string {
  const head = `${encodeState(state)}\n`;
  const room = MAX_BODY_LENGTH - head.length;
  const merge = mergeSection
    ? `${MERGE_BEGIN}\n${fit(mergeSection, Math.floor(room / 2))}\n${MERGE_END}\n`
    : "";
  return `${head}${merge}${fit(preview, room - merge.length)}`;
}

function fit(text: string, room: number): string {
  if (text.length <= room) return text;
  if (text.endsWith(TRUNCATION_NOTE)) text = text.slice(0, -TRUNCATION_NOTE.length);
  return truncateAt(text, room - TRUNCATION_NOTE.length) + TRUNCATION_NOTE;
}
