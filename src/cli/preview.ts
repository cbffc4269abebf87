// `plan-sync preview <file>` (SPEC.md §5): what a first sync of the plan would write to an empty repository —
// the issues, with their labels, sub-issue parents and "blocked by" links — and the status comment a pull request
// adding the file would get. Offline: the sync core's own decisions, nothing is sent anywhere.
import type { Plan } from "../plan/model.js";
import type { Config } from "../sync/config.js";
import { dryRunFirstSync } from "../sync/dry-run.js";
import { desiredPlan, type Blocker, type DesiredItem } from "../sync/items.js";
import type { ManagedIssue, RepoContext } from "../sync/model.js";
import { renderPreviewComment } from "../sync/pr-comment.js";
import { previewPlan } from "../sync/pr-preview.js";
import { canonicalRef } from "../sync/references.js";

export interface PreviewRequest {
  path: string;
  plan: Plan;
  config: Config;
  /** `owner/name` shown in links; issue numbers are those an empty repository would give. */
  repository: string;
  /** Also print every issue's body as a first sync writes it (`--bodies`). */
  bodies?: boolean;
}

/** The preview as text. Issues are listed only for a plan a merge would sync (no errors, no opt-out, no draft). */
export function renderCliPreview(request: PreviewRequest): string {
  const [owner = "owner", repo = "repo"] = request.repository.split("/");
  const context: RepoContext = {
    host: "github.com",
    owner,
    repo,
    sha: "0".repeat(40),
    branch: "main",
    botLogins: ["plan-sync[bot]"],
  };
  const input = { plan: request.plan, path: request.path, previousPath: null, config: request.config };
  const preview = previewPlan({ ...input, issues: [], context });
  const comment = withoutHiddenState(
    renderPreviewComment({ repo: context, config: request.config, plans: [preview] }),
  );
  const sections = [`# plan-sync preview of ${request.path}`];
  if (preview.outcome === "sync") {
    const items = desiredPlan(request.plan, request.path, request.config, context).items;
    sections.push(issueSection(items, context));
    if (request.bodies) sections.push(bodySection(dryRunFirstSync({ ...input, context })));
  } else sections.push(`No issues: ${OUTCOMES[preview.outcome]}.`);
  sections.push(`## The status comment on a pull request that adds the file\n\n${comment.trim()}`);
  return `${sections.join("\n\n")}\n`;
}

/** Each issue as a first sync leaves it: title, state and body, hidden markers removed (GitHub hides them too). */
function bodySection(issues: ManagedIssue[]): string {
  const blocks = issues.map((issue) =>
    [
      `### #${issue.number} ${issue.title}`,
      `<sub>${issue.state}${issue.stateReason ? ` (${issue.stateReason})` : ""} · labels: ${issue.labels.join(", ")}</sub>`,
      "",
      withoutHiddenState(issue.body).trim(),
    ].join("\n"),
  );
  return [`## The bodies a first sync writes`, ...blocks].join("\n\n");
}

/** The comment as people see it: plan-sync's hidden HTML comments (markers, state) removed. */
function withoutHiddenState(body: string): string {
  return body.replace(/<!-- plan-sync:[^\n]*? -->\n?/g, "");
}

const OUTCOMES = {
  refused: "the plan has errors, so merging it would change nothing on GitHub (see the diagnostics below)",
  "opted-out": "the plan opts out (`plan-sync: false`)",
  draft: "the plan is a draft, previewed only (config `draft: preview`)",
  deleted: "the file is gone",
  sync: "",
} as const;

function issueSection(items: DesiredItem[], context: RepoContext): string {
  const numbers = new Map(items.map((item, index) => [item.key, index + 1]));
  const lines = items.map((item) => {
    const facts = [`[${item.labels.join(", ")}]`];
    if (item.assignees.length > 0) facts.push(item.assignees.map((login) => `@${login}`).join(" "));
    if (item.milestone) facts.push(`milestone ${item.milestone}`);
    if (item.parent) facts.push(`sub-issue of #${numbers.get(item.parent)}`);
    if (item.blockers.length > 0)
      facts.push(
        `blocked by ${item.blockers.map((blocker) => blockerName(blocker, numbers, context)).join(", ")}`,
      );
    if (item.done) facts.push("closed as completed (done already)");
    return `- #${numbers.get(item.key)} ${item.issueTitle} · ${facts.join(" · ")}`;
  });
  return [
    `## ${items.length} issues a first sync creates (numbered as in an empty repository)`,
    "",
    ...lines,
  ].join("\n");
}

function blockerName(blocker: Blocker, numbers: Map<string, number>, context: RepoContext): string {
  if (blocker.kind === "item") {
    const number = numbers.get(blocker.key);
    return number === undefined ? blocker.text : `#${number}`;
  }
  const { address } = blocker;
  return address.owner === context.owner && address.repo === context.repo
    ? `#${address.number}`
    : canonicalRef(address);
}
