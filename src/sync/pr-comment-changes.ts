// What merging a pull request does to one plan's issues, one line per operation of the dry run, and the counts
// of its verdict taken from those same lines: the comment never counts a change it does not name.
import { renderedPartOf } from "./body.js";
import type { IssueChanges, IssueTarget, Operation, RepoContext } from "./model.js";
import type { LinkedIssue, PlanPreview } from "./pr-preview.js";
import { count } from "./render-context.js";

/** A body change that touches only plan-sync's hidden marker (links, done-mark): nothing a person sees. */
const HIDDEN_ONLY = "hidden record only";

export type ChangeKind = "create" | "update" | "close" | "reopen" | "comment" | "link";

export interface Change {
  kind: ChangeKind;
  line: string;
}

/** Every operation of the preview as a line a person reads: what changes, on which issue. */
export function describeChanges(preview: PlanPreview, repo: RepoContext): Change[] {
  const linked = new Map(preview.linked.map((issue) => [issue.number, issue]));
  const label = (item: string | null, fallback: string) => (item && preview.itemLabels[item]) ?? fallback;
  return preview.operations.map((op): Change => {
    switch (op.type) {
      case "create":
        return {
          kind: "create",
          line: `Create ${label(op.item, op.title)}${op.closeAfter ? " (closed at once: done in the plan)" : ""}`,
        };
      case "update":
        return {
          kind: "update",
          line: `Update #${op.number} ${whatChanges(op.changes, linked.get(op.number), label(op.item, op.name))}`,
        };
      case "reopen":
        return {
          kind: "reopen",
          line: `Reopen #${op.number} ${label(op.item, op.name)}: no longer done in the plan${alsoChanges(op.changes, linked.get(op.number))}`,
        };
      case "close":
        return {
          kind: "close",
          line: closeLine(op, label(op.item, op.name), linked.get(op.number), preview),
        };
      case "comment":
        return { kind: "comment", line: `Comment on #${op.number} ${label(op.item, op.name)}` };
      case "add-sub-issue":
        return {
          kind: "link",
          line: `Link ${ref(op.child, repo)} as a sub-issue of ${ref(op.parent, repo)}${op.replaceParent ? " (moved from its old parent)" : ""}`,
        };
      case "remove-sub-issue":
        return {
          kind: "link",
          line: `Unlink ${ref(op.child, repo)} from its parent ${ref(op.parent, repo)}`,
        };
      case "add-blocked-by":
        return { kind: "link", line: `Link ${ref(op.issue, repo)} blocked by ${ref(op.blocker, repo)}` };
      case "remove-blocked-by":
        return {
          kind: "link",
          line: `Unlink ${ref(op.issue, repo)}: no longer blocked by ${ref(op.blocker, repo)}`,
        };
    }
  });
}

/** `1 issue to create, 2 to update, 3 link changes`: only kinds that occur, from the listed lines. */
export function verdictCounts(changes: Change[]): string {
  const of = (kind: ChangeKind) => changes.filter((change) => change.kind === kind).length;
  const issues = [
    ["create", "to create"],
    ["update", "to update"],
    ["close", "to close"],
    ["reopen", "to reopen"],
    ["comment", "to comment on"],
  ] as const;
  const parts = issues.filter(([kind]) => of(kind) > 0).map(([kind, verb]) => `${of(kind)} ${verb}`);
  if (parts.length > 0) parts[0] = parts[0]?.replace(/^(\d+)/, (n) => count(Number(n), "issue")) ?? "";
  if (of("link") > 0) parts.push(count(of("link"), "link change"));
  return parts.join(", ");
}

function closeLine(
  op: Extract<Operation, { type: "close" }>,
  name: string,
  issue: LinkedIssue | undefined,
  preview: PlanPreview,
): string {
  const also = alsoChanges(op.changes, issue);
  if (op.reason === "duplicate") return `Close #${op.number} as a duplicate: ${name}${also}`;
  if (op.reason === "not_planned") return `Close #${op.number} as not planned: ${name}${also}`;
  if (!op.item.startsWith("question:")) return `Close #${op.number} done: ${name}${also}`;
  // An answered question: the answer is the news (its body shows it), not which section changed.
  const question = preview.plan?.questions.find((candidate) => `question:${candidate.key}` === op.item);
  const answer = question?.answer?.trim().replace(/\s+/g, " ");
  return `Close #${op.number} answered: ${name.replace(/^Question: /, "")}${answer ? ` — ${answer}` : ""}`;
}

/** `title: A → B`, `labels: +x −y`, `assignees: +dlee`, `body: What, Validation`. */
function whatChanges(changes: IssueChanges, issue: LinkedIssue | undefined, name: string): string {
  const all = fieldChanges(changes, issue);
  const parts = all.length > 1 ? all.filter((part) => part !== HIDDEN_ONLY) : all;
  if (changes.title === undefined) return `${name}: ${parts.join("; ") || HIDDEN_ONLY}`;
  return parts.join("; ");
}

function alsoChanges(changes: IssueChanges, issue: LinkedIssue | undefined): string {
  const parts = fieldChanges(changes, issue).filter((part) => part !== HIDDEN_ONLY);
  return parts.length > 0 ? ` (also ${parts.join("; ")})` : "";
}

function fieldChanges(changes: IssueChanges, issue: LinkedIssue | undefined): string[] {
  const parts: string[] = [];
  if (changes.title !== undefined) parts.push(`title: ${issue?.title ?? "?"} → ${changes.title}`);
  if (changes.labels) parts.push(`labels: ${setChange(issue?.labels ?? [], changes.labels)}`);
  if (changes.assignees) parts.push(`assignees: ${setChange(issue?.assignees ?? [], changes.assignees)}`);
  if (changes.milestone !== undefined) parts.push(`milestone → ${changes.milestone}`);
  if (changes.body !== undefined) parts.push(bodyChange(issue?.body ?? "", changes.body));
  return parts;
}

/** `+a −b` (assignees as plain logins: a mention would notify them on every push). */
function setChange(before: string[], after: string[]): string {
  const added = after.filter((value) => !before.includes(value)).map((value) => `+${value}`);
  const removed = before.filter((value) => !after.includes(value)).map((value) => `−${value}`);
  return [...added, ...removed].join(" ") || "same set, new order";
}

/** Which sections of the rendered part change (by their headings), or that only the hidden record does. */
function bodyChange(before: string, after: string): string {
  const old = sectionsOf(renderedPartOf(before) ?? "");
  const next = sectionsOf(renderedPartOf(after) ?? "");
  const changed = [...new Set([...old.keys(), ...next.keys()])].filter(
    (heading) => old.get(heading) !== next.get(heading),
  );
  if (changed.length === 0) return HIDDEN_ONLY;
  return `body sections: ${changed.join(", ")}`;
}

function sectionsOf(part: string): Map<string, string> {
  const sections = new Map<string, string>();
  let heading = "header";
  let lines: string[] = [];
  const flush = () => sections.set(heading, lines.join("\n").trim());
  // `<sub>` lines (the permalink, legends) move with every change: not a change of their own.
  for (const line of part.split("\n").filter((text) => !text.startsWith("<sub>"))) {
    const match = /^#{2,3} (.+)$/.exec(line);
    if (match?.[1]) {
      flush();
      heading = match[1].trim();
      lines = [];
    } else lines.push(line);
  }
  flush();
  for (const [key, value] of sections) if (!value && key === "header") sections.delete(key);
  return sections;
}

function ref(target: IssueTarget, repo: RepoContext): string {
  const here = target.owner === repo.owner && target.repo === repo.repo;
  return here ? `#${target.number}` : `${target.owner}/${target.repo}#${target.number}`;
}
