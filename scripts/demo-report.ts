// Turns the demo's events into text for a terminal: full tables by default, one line per step with `quiet`.
import type { DemoEvent, PullStep, PushStep } from "./demo-scenario.js";
import { RATE_LIMITER_PATH } from "./demo-plans.js";
import { plansOf, stateOf, type CallTotals, type IssueView } from "./demo-state.js";

export const PREVIEW_NOT_AVAILABLE = "(pull request preview not available yet)";

export function createReporter(write: (text: string) => void, { quiet = false } = {}) {
  let pushes = 0;
  return (event: DemoEvent): void => {
    if (event.kind === "start") write(quiet ? "" : startText(event));
    else if (event.kind === "push") {
      pushes++;
      write(quiet ? pushLine(pushes, event) : pushText(pushes, event));
    } else write(quiet ? pullLine(event) : pullText(event));
  };
}

function startText(event: Extract<DemoEvent, { kind: "start" }>): string {
  return lines(
    `plan-sync demo: the real app on ${event.appUrl}, a fake GitHub on ${event.fakeUrl}`,
    `(127.0.0.1 only: no network, no credentials). Repository ${event.repo}, app installed as ${event.botLogin}.`,
  );
}

function pushLine(index: number, push: PushStep): string {
  const { created, changed } = changesOf(push.before, push.after);
  const open = push.after.filter((issue) => issue.state === "open").length;
  return lines(
    `push ${index} (${push.title}): check run ${push.checkRun.conclusion}; ${plansOf(push.after).length} plans, ` +
      `${push.after.length} issues (${open} open); ${created.length} created, ${changed.length} changed; ` +
      callsLine(push.calls),
  );
}

function pullLine(pull: PullStep): string {
  if (!pull.preview) return lines(`pull request #${pull.number}: ${PREVIEW_NOT_AVAILABLE}`);
  return lines(
    `pull request #${pull.number}: status comment posted, check run ${pull.preview.checkRun.conclusion}; ${callsLine(pull.calls)}`,
  );
}

function pushText(index: number, push: PushStep): string {
  const out = [
    "",
    `━━ Push ${index}: ${push.title} (commit ${push.sha.slice(0, 7)}) ━━`,
    `Files: ${push.files.join(", ")}`,
    `Check run plan-sync: ${push.checkRun.conclusion}: ${push.checkRun.output.title ?? ""}`,
    ...indent(push.checkRun.output.summary ?? ""),
    ...callsText(push.calls),
  ];
  if (index === 1) {
    for (const plan of plansOf(push.after)) {
      out.push("", `Plan ${plan.path}: ${plan.issues.length} issues`, ...issueTable(plan.issues));
    }
    const tracking = plansOf(push.after).find((plan) => plan.path === RATE_LIMITER_PATH)?.tracking;
    if (tracking)
      out.push(
        "",
        `Tracking issue #${tracking.number} body (markdown):`,
        ...indent(withoutMarkers(tracking.body)),
      );
  } else {
    const { created, changed } = changesOf(push.before, push.after);
    out.push(
      "",
      `Issues created: ${created.length}, changed: ${changed.length}`,
      ...[...created, ...changed].map((change) => `  ${change}`),
    );
  }
  return lines(...out);
}

function pullText(pull: PullStep): string {
  const out = [
    "",
    `━━ Pull request #${pull.number}: ${pull.title} (branch ${pull.branch}, head ${pull.headSha.slice(0, 7)}) ━━`,
  ];
  if (!pull.preview) out.push(PREVIEW_NOT_AVAILABLE);
  else {
    const { checkRun, comment } = pull.preview;
    out.push(
      `Check run plan-sync: ${checkRun.conclusion}: ${checkRun.output.title ?? ""}`,
      "Status comment:",
      ...indent(withoutMarkers(comment)),
    );
  }
  out.push(...callsText(pull.calls), "Issues changed by the pull request: none");
  return lines(...out);
}

function callsLine(calls: CallTotals): string {
  const auth = calls.auth > 0 ? ` (+${calls.auth} installation token request)` : "";
  return `API calls: ${calls.reads} reads, ${calls.writes} writes${auth}`;
}

function callsText(calls: CallTotals): string[] {
  const byRoute = (routes: Array<[string, number]>) =>
    routes.map(([route, count]) => `${route} ×${count}`).join(", ") || "none";
  return [
    callsLine(calls),
    `  reads:  ${byRoute(calls.readsByRoute)}`,
    `  writes: ${byRoute(calls.writesByRoute)}`,
  ];
}

/** One row per issue: number, state, title, labels, assignees, blocked by, parent. */
function issueTable(issues: IssueView[]): string[] {
  const rows = issues.map((issue) => [
    `#${issue.number}`,
    stateOf(issue),
    issue.title,
    `[${issue.labels.join(", ")}]`,
    issue.assignees.map((login) => `@${login}`).join(" "),
    issue.blockedBy.length > 0 ? `blocked by ${issue.blockedBy.map((n) => `#${n}`).join(" ")}` : "",
    issue.parent === null ? "" : `parent #${issue.parent}`,
  ]);
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length))) ?? [];
  return rows.map((row) =>
    `  ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ")}`.trimEnd(),
  );
}

/** What a person would notice between two snapshots: new issues, and changed titles, states, labels, links. */
export function changesOf(before: IssueView[], after: IssueView[]): { created: string[]; changed: string[] } {
  const old = new Map(before.map((issue) => [issue.number, issue]));
  const created = after
    .filter((issue) => !old.has(issue.number))
    .map((issue) => `#${issue.number} created: ${issue.title} (${stateOf(issue)})`);
  const changed = after.flatMap((issue) => {
    const was = old.get(issue.number);
    if (!was) return [];
    const differences = [
      was.title !== issue.title ? `title "${was.title}" → "${issue.title}"` : "",
      stateOf(was) !== stateOf(issue) ? `${stateOf(was)} → ${stateOf(issue)}` : "",
      was.labels.join() !== issue.labels.join() ? `labels [${was.labels}] → [${issue.labels}]` : "",
      was.blockedBy.join() !== issue.blockedBy.join()
        ? `blocked by [${was.blockedBy}] → [${issue.blockedBy}]`
        : "",
      was.parent !== issue.parent ? `parent ${was.parent} → ${issue.parent}` : "",
      withoutMarkers(was.body) !== withoutMarkers(issue.body) ? "body updated" : "",
    ].filter(Boolean);
    return differences.length > 0 ? [`#${issue.number} ${issue.title}: ${differences.join("; ")}`] : [];
  });
  return { created, changed };
}

/** Hidden plan-sync comments are for the app, not the reader. */
function withoutMarkers(markdown: string): string {
  return markdown
    .replace(/<!-- plan-sync:[^\n]*?-->\n?/g, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function indent(text: string): string[] {
  return text === "" ? [] : text.split("\n").map((line) => `    │ ${line}`.trimEnd());
}

function lines(...text: string[]): string {
  return `${text.join("\n")}\n`;
}
