// Issue titles (SPEC.md §2 "Titles"): tracking `Plan: <title>`, steps by `title_format`, questions by text.
import type { Phase, Plan, Step } from "../plan/model.js";
import type { Config } from "./config.js";
import { plainTitle } from "./markdown-text.js";

/** https://docs.github.com/en/rest/issues — GitHub refuses titles over 256 characters. */
const MAX_TITLE_LENGTH = 256;

/** File names that say nothing about the plan: such a plan is named after its folder. */
const GENERIC_FILE_NAMES = new Set([
  "tasks.md",
  "implementation_plan.md",
  "implementation-plan.md",
  "plan.md",
  "readme.md",
]);

/** The plan's own title, else its folder (`.kiro/specs/<name>/tasks.md`) or its file name. */
export function planDisplayTitle(plan: Pick<Plan, "title">, path: string): string {
  if (plan.title?.trim()) return issueText(plan.title);
  const parts = path.split("/").filter(Boolean);
  const file = parts.at(-1) ?? path;
  const folder = parts.at(-2);
  if (folder && GENERIC_FILE_NAMES.has(file.toLowerCase())) return folder;
  return file.replace(/(\.plan)?\.md$/i, "");
}

export function trackingTitle(plan: Pick<Plan, "title">, path: string): string {
  return capTitle(`Plan: ${planDisplayTitle(plan, path)}`);
}

/** `title_format` with {plan}, {number} and {title}; empty placeholders leave no stray spaces. */
export function stepTitle(step: Pick<Step, "number" | "title">, planTitle: string, config: Config): string {
  const title = config.title_format
    .replaceAll("{plan}", planTitle)
    .replaceAll("{number}", step.number ?? "")
    .replaceAll("{title}", issueText(step.title))
    .replace(/\s+/g, " ")
    .trim();
  return capTitle(title || issueText(step.title));
}

export function questionTitle(text: string): string {
  const firstLine = text.split("\n")[0]?.trim() ?? "";
  return capTitle(issueText(firstLine || text));
}

export function phaseTitle(phase: Pick<Phase, "number" | "title">): string {
  const title = issueText(phase.title);
  if (/^phase\b/i.test(title)) return capTitle(title);
  return capTitle(phase.number ? `Phase ${phase.number}: ${title}` : title);
}

/** Issue titles show code spans but no other markdown: links by their text, no emphasis, entities decoded. */
function issueText(title: string): string {
  return plainTitle(title, { keepCode: true });
}

/** How a step is named in lists and bodies: `Step 1.2: Title` (spec-kit ids as `T005: Title`). */
export function stepLabel(step: Pick<Step, "number" | "title">): string {
  const number = stepNumberLabel(step.number);
  return number ? `${number}: ${step.title}` : step.title;
}

/** `Step 1.2` for numbers, ids such as `T005` or `LP-1` as they are; null without a number. */
export function stepNumberLabel(number: string | null): string | null {
  if (!number) return null;
  return /^\d/.test(number) ? `Step ${number}` : number;
}

function capTitle(title: string): string {
  if (title.length <= MAX_TITLE_LENGTH) return title;
  return `${[...title]
    .slice(0, MAX_TITLE_LENGTH - 1)
    .join("")
    .slice(0, MAX_TITLE_LENGTH - 1)}…`;
}
