// The job summary of one run ($GITHUB_STEP_SUMMARY, markdown on the run's page): per plan its title, status,
// the issues written with links and every diagnostic linked to its line; for a pull request, the status
// comment's preview as the pull request shows it.
import { reportOfRun } from "../app/workflows/sync-check-run.js";
import { count } from "../sync/pr-comment-plan.js";
import type { RepoLinks } from "./links.js";
import type { IssueRef, PlanOutcome } from "./outcomes.js";
import type { ActionRun } from "./reporter.js";

/** GitHub refuses a step summary over 1 MiB; a run that large ends with a note instead. */
export const MAX_SUMMARY_BYTES = 1024 * 1024;

export function renderJobSummary(run: ActionRun, failures: string[], links: RepoLinks): string {
  const parts: string[] = [];
  if (run.pullRequest) parts.push(run.pullRequest.comment);
  else {
    parts.push(`## plan-sync: ${headline(run, failures)}`);
    if (run.configErrors)
      parts.push(
        [
          "`.github/plan-sync.yml` is invalid, so nothing was synced. Fix these and push again:",
          "",
          ...run.configErrors.map((error) => `- ${error}`),
        ].join("\n"),
      );
    for (const plan of run.plans) parts.push(planSection(plan, links));
  }
  if (failures.length > 0)
    parts.push(["**The step failed**:", ...failures.map((failure) => `- ${failure}`)].join("\n"));
  return limited(`${parts.join("\n\n")}\n`);
}

function headline(run: ActionRun, failures: string[]): string {
  if (run.configErrors) return "invalid configuration, nothing synced";
  if (run.synced.length === 0 && failures.length > 0) return "failed";
  if (run.synced.length === 0) return "no plan changed, nothing to do";
  return reportOfRun(run.synced).title;
}

function planSection(plan: PlanOutcome, links: RepoLinks): string {
  const facts = [`\`${plan.path}\``, plan.statusText];
  if (plan.trackingIssue !== null)
    facts.push(`tracking issue [#${plan.trackingIssue}](${links.issue(plan.trackingIssue)})`);
  const lines = [`### ${plan.title ?? plan.path}`, facts.join(" · ")];
  if (plan.error) lines.push("", `Error: ${plan.error}`);
  const written: Array<[string, IssueRef[]]> = [
    ["Created", plan.created],
    ["Updated", plan.updated],
    ["Closed", plan.closed],
  ];
  const changes = written.filter(([, issues]) => issues.length > 0);
  if (changes.length > 0) lines.push("");
  for (const [verb, issues] of changes)
    lines.push(`- ${verb}: ${issues.map((issue) => issueLink(issue, links)).join(", ")}`);
  if (plan.diagnostics.length > 0) {
    const errors = plan.diagnostics.filter((diagnostic) => diagnostic.severity === "error").length;
    const ref = plan.sha ?? links.eventSha;
    lines.push(
      "",
      `**Diagnostics** (${count(errors, "error")}, ${count(plan.diagnostics.length - errors, "warning")}):`,
      ...plan.diagnostics.map((diagnostic) => {
        const line = Math.max(1, diagnostic.line);
        const at = ref ? `[line ${line}](${links.line(ref, plan.path, line)})` : `line ${line}`;
        return `- **${diagnostic.severity}** \`${diagnostic.rule}\` at ${at}: ${diagnostic.message}`;
      }),
    );
  }
  return lines.join("\n");
}

function issueLink(issue: IssueRef, links: RepoLinks): string {
  return issue.number === null
    ? issue.title
    : `[#${issue.number}](${links.issue(issue.number)}) ${issue.title}`;
}

function limited(markdown: string): string {
  if (Buffer.byteLength(markdown) <= MAX_SUMMARY_BYTES) return markdown;
  const note = "\n\n… cut here: the summary is over GitHub's 1 MiB limit. The check run has the rest.\n";
  const room = MAX_SUMMARY_BYTES - Buffer.byteLength(note);
  // Cut on a line end so no link is left half written.
  const head = Buffer.from(markdown).subarray(0, room).toString("utf8");
  return `${head.slice(0, Math.max(0, head.lastIndexOf("\n")))}${note}`;
}
