// Bodies of step and question issues (the rendered part only; body.ts adds markers and a person's text).
import type { ChecklistItem, Question, Step } from "../plan/model.js";
import type { Blocker } from "./items.js";
import type { Config } from "./config.js";
import { joinSoftBreaks } from "./markdown-text.js";
import { linkTickets, permalink, shortRef } from "./references.js";
import {
  fence,
  partOfLine,
  PERMALINK_PLACEHOLDER,
  quote,
  STATE_MARKS,
  type RenderContext,
} from "./render-context.js";
import { phaseTitle, stepLabel, stepNumberLabel } from "./titles.js";

/** Fields with a section of their own; any other bold field is listed under "More". */
const RENDERED_FIELDS = new Set([
  "what",
  "why",
  "how",
  "files",
  "validation",
  "depends on",
  "dependencies",
  "status",
  "assignee",
  "assignees",
  "labels",
  "milestone",
  "code example",
  "requirements",
]);

/** Where the lines behind an issue live: a permalink, or the placeholder while hashing. */
export type SourceLink = { sha: string } | "placeholder";

export function renderStepBody(
  step: Step,
  blockers: Blocker[],
  context: RenderContext,
  source: SourceLink,
): string {
  const phase = context.plan.phases.find((candidate) => candidate.key === step.phase);
  const sections: string[] = [
    partOfLine(context, [phase ? phaseTitle(phase) : null, stepNumberLabel(step.number)]),
  ];

  // The plan's own mark (not the issue's state: the body must not change when a person closes the issue).
  const state = step.done ? "done" : step.inProgress ? "active" : "todo";
  const header = [
    step.status ? `**Status**: ${state === "todo" ? "" : `${STATE_MARKS[state]} `}${step.status}` : null,
    step.optional ? "**Optional**" : null,
  ].filter(Boolean);
  if (header.length > 0) sections.push(header.join(" · "));

  for (const [field, heading] of [
    ["what", "What"],
    ["why", "Why"],
    ["how", "How"],
  ] as const) {
    const value = step.fields[field]?.trim();
    if (value) sections.push(`### ${heading}\n${joinSoftBreaks(value)}`);
  }
  if (step.files.length > 0) {
    const files = step.files.map(
      (file) => `- ${file.action === "other" ? "" : `${capitalize(file.action)}: `}\`${file.path}\``,
    );
    sections.push(`### Files\n${files.join("\n")}`);
  }
  for (const example of step.codeExamples)
    sections.push(`### Code example\n${fence(example.code, example.lang)}`);
  if (step.validation.length > 0)
    sections.push(`### Validation\n${taskList(step.validation, context.config)}`);
  const dependencies = [
    ...blockers.map((b) => blockedByLine(b, context)),
    ...otherDependencies(step, blockers, context),
  ];
  if (dependencies.length > 0) sections.push(`### Dependencies\n${dependencies.join("\n")}`);
  if (step.requirements.length > 0) sections.push(`### Requirements\n${step.requirements.join(", ")}`);
  const more = Object.entries(step.fields).filter(
    ([name, value]) => !RENDERED_FIELDS.has(name) && value.trim(),
  );
  if (more.length > 0)
    sections.push(
      `### More\n${more.map(([name, value]) => `- **${capitalize(name)}**: ${joinSoftBreaks(value.trim())}`).join("\n")}`,
    );
  if (step.details.trim()) sections.push(`### Details\n${joinSoftBreaks(step.details.trim())}`);
  sections.push(sourceLine(context, source, step.line, step.endLine));
  return sections.join("\n\n");
}

export function renderQuestionBody(question: Question, context: RenderContext, source: SourceLink): string {
  const sections = [
    partOfLine(context, ["Open question"]),
    quote(joinSoftBreaks(question.text.trim())),
    `### Answer\n${question.answer?.trim() ? joinSoftBreaks(question.answer.trim()) : "_Not answered in the plan yet._"}`,
    sourceLine(context, source, question.line, question.line),
  ];
  return sections.join("\n\n");
}

/** `Blocked by #N` for what has an issue (GitHub links it), the step's name while it has none. */
function blockedByLine(blocker: Blocker, context: RenderContext): string {
  if (blocker.kind === "issue") return `Blocked by ${shortRef(blocker.address, context.repo)}`;
  const number = context.issueOf(blocker.key)?.number;
  if (number) return `Blocked by #${number}`;
  const step = context.stepByKey.get(blocker.key.slice("step:".length));
  return `Blocked by ${step ? stepLabel(step) : blocker.text} (no issue yet)`;
}

/** `Depends on` entries that link nothing (tickets, other sites): shown as written, tickets linked. */
function otherDependencies(step: Step, blockers: Blocker[], context: RenderContext): string[] {
  const linked = new Set(blockers.map((blocker) => blocker.text));
  return step.dependsOn
    .filter((dependency) => dependency.stepKey === null && !linked.has(dependency.text))
    .map(
      (dependency) =>
        `Depends on ${linkTickets(dependency.text, dependency.reference ? [dependency.reference] : [], context.config)}`,
    );
}

function taskList(items: ChecklistItem[], config: Config): string {
  return items
    .map((item) => `- [${item.done ? "x" : " "}] ${linkTickets(item.text.trim(), item.references, config)}`)
    .join("\n");
}

/**
 * The permalink to the item's lines at the commit where it last changed. While hashing, a fixed placeholder
 * stands in for the whole line, so moved lines or a renamed file never count as a change of the item.
 */
function sourceLine(context: RenderContext, source: SourceLink, start: number, end: number): string {
  if (source === "placeholder") return `<sub>${PERMALINK_PLACEHOLDER}</sub>`;
  const lines = end > start ? `lines ${start}–${end}` : `line ${start}`;
  const url = permalink(context.repo, source.sha, context.path, start, end);
  return `<sub>From [\`${context.path}\` ${lines}](${url})</sub>`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
