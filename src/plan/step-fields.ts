// The body of a step: bold fields (`**What**:`, `**Depends on**:`…), file lists, validation, code.
import type { Code, List, ListItem, Nodes } from "mdast";
import { idFromComment } from "./ids.js";
import type { ChecklistItem, CodeExample, DependsOn, FileChange } from "./model.js";
import { plainText, sourceOf, startLine } from "./node-text.js";
import { asIssueReference, findReferences } from "./references.js";

export interface StepContent {
  fields: Record<string, string>;
  files: FileChange[];
  validation: ChecklistItem[];
  codeExamples: CodeExample[];
  dependsOn: DependsOn[];
  status: string | null;
  assignees: string[];
  labels: string[];
  details: string;
  explicitId: string | null;
}

/** A line read as `**Name**: value` (or `**Name:** value`, or a plain `Status: x` for known names). */
export interface FieldLine {
  name: string;
  value: string;
  line: number;
  /** 1-based column where the value starts. */
  valueColumn: number;
}

const BOLD_LABEL =
  /^(\s*(?:[-*+]\s+(?:\[[ xX]\]\s+)?)?)(?:\*\*|__)([^*_\n]+?)(?::\s*(?:\*\*|__)|(?:\*\*|__)\s*:)[ \t]*(?![ \t])(.*)$/;
const PLAIN_LABEL =
  /^(\s*(?:[-*+]\s+)?)(depends on|dependencies|blocked by|status|assignees?|owner|labels?|files|validation)\s*:[ \t]*(?![ \t])(.*)$/i;

export function readFieldLine(raw: string, line: number): FieldLine | null {
  const match = BOLD_LABEL.exec(raw) ?? PLAIN_LABEL.exec(raw);
  if (!match) return null;
  const value = (match[3] ?? "").trimEnd();
  return {
    name: (match[2] ?? "").trim().toLowerCase(),
    value,
    line,
    valueColumn: raw.length - (match[3] ?? "").length + 1,
  };
}

type Entry =
  | { kind: "field"; field: FieldLine }
  | { kind: "text"; text: string }
  | { kind: "list"; list: List }
  | { kind: "code"; code: Code }
  | { kind: "id"; id: string }
  /** The end of a paragraph: a field's value continues only within its own paragraph. */
  | { kind: "break" };

const FILES = /^(?:files?|files (?:changed|to change|touched))$/;
const VALIDATION = /^(?:validation|verification|acceptance criteria|acceptance|done when|tests?|testing)$/;
const DEPENDS = /^(?:depends on|dependencies|depends|blocked by|requires|after)$/;
const ASSIGNEE = /^(?:assignees?|owners?)$/;
const LABELS = /^(?:labels?|tags)$/;
const NO_DEPENDENCY = /^(?:none|n\/a|-|—|nothing|no)$/i;

/** Paragraph lines become fields or text; list items whose first line is a field become fields. */
function toEntries(blocks: readonly Nodes[], body: string, lines: readonly string[]): Entry[] {
  const entries: Entry[] = [];
  for (const block of blocks) {
    if (block.type === "paragraph" || block.type === "heading") {
      const first = startLine(block);
      const last = block.position?.end.line ?? first;
      if (block.type === "heading") {
        entries.push({
          kind: "field",
          field: { name: plainText(block).trim().toLowerCase(), value: "", line: first, valueColumn: 1 },
        });
        continue;
      }
      for (let line = first; line <= last; line += 1) {
        const raw = lines[line - 1] ?? "";
        const field = readFieldLine(raw, line);
        if (field) entries.push({ kind: "field", field });
        else entries.push({ kind: "text", text: raw.trim() });
      }
      entries.push({ kind: "break" });
    } else if (block.type === "list") {
      entries.push(...listEntries(block, body, lines));
    } else if (block.type === "code") {
      entries.push({ kind: "code", code: block });
    } else if (block.type === "html") {
      const id = idFromComment(block.value);
      if (id) entries.push({ kind: "id", id });
    } else {
      entries.push({ kind: "text", text: sourceOf(body, block) });
    }
  }
  return entries;
}

function listEntries(list: List, body: string, lines: readonly string[]): Entry[] {
  const labelled = list.children.map((item) =>
    readFieldLine(lines[startLine(item) - 1] ?? "", startLine(item)),
  );
  if (labelled.every((field) => field === null)) return [{ kind: "list", list }];
  const entries: Entry[] = [];
  list.children.forEach((item, index) => {
    const field = labelled[index];
    if (!field) {
      entries.push({ kind: "text", text: sourceOf(body, item) });
      return;
    }
    entries.push({ kind: "field", field });
    entries.push(...toEntries(item.children.slice(1), body, lines));
  });
  return entries;
}

export function itemText(item: ListItem, body: string): string {
  const first = item.children[0];
  if (!first || first.type !== "paragraph") return "";
  return sourceOf(body, first)
    .replace(/^\[[ xX]\]\s+/, "")
    .trim();
}

export function checklistItems(list: List, body: string): ChecklistItem[] {
  return list.children.map((item) => {
    const text = itemText(item, body);
    return { text, done: item.checked ?? null, line: startLine(item), references: findReferences(text) };
  });
}

const FILE_ACTION = /^(create|add|new|modify|update|edit|change|delete|remove)[ds]?\b(?:\s*:)?\s*(\S.*)?$/i;

function fileAction(word: string): FileChange["action"] {
  const lower = word.toLowerCase();
  if (/^(?:create|add|new)/.test(lower)) return "create";
  if (/^(?:delete|remove)/.test(lower)) return "delete";
  return "modify";
}

/** `` `a.ts`, `b.ts` — note `` → ["a.ts", "b.ts"]; a bare path is taken up to its first space. */
function pathsIn(text: string): string[] {
  const quoted = [...text.matchAll(/`([^`]+)`/g)].map((m) => (m[1] ?? "").trim());
  if (quoted.length > 0) return quoted;
  const bare = text.trim().split(/\s+/)[0] ?? "";
  return bare ? [bare.replace(/[,;]$/, "")] : [];
}

function fileChanges(list: List, body: string, inherited: FileChange["action"] = "other"): FileChange[] {
  const changes: FileChange[] = [];
  for (const item of list.children) {
    const text = itemText(item, body);
    const action = FILE_ACTION.exec(text);
    const kind = action ? fileAction(action[1] ?? "") : inherited;
    for (const path of pathsIn(action ? (action[2] ?? "") : text)) changes.push({ action: kind, path });
    for (const child of item.children)
      if (child.type === "list") changes.push(...fileChanges(child, body, kind));
  }
  return changes;
}

function dependencies(field: FieldLine, lines: readonly string[]): DependsOn[] {
  const raw = lines[field.line - 1] ?? "";
  const found: DependsOn[] = [];
  let cursor = field.valueColumn - 1;
  for (const piece of field.value.split(/(?<!\s)\s*(?:,|;|\band\b|&|\+)\s*/)) {
    const text = piece.replace(/(?<![\s(])\s*\([^()]*\)\s*$/, "").trim();
    if (!text || NO_DEPENDENCY.test(text)) continue;
    const index = raw.indexOf(text, cursor);
    const column = index === -1 ? field.valueColumn : index + 1;
    if (index !== -1) cursor = index + text.length;
    found.push({ text, stepKey: null, reference: asIssueReference(text), line: field.line, column });
  }
  return found;
}

function splitList(value: string): string[] {
  return value
    .split(/[,;]|\s+/)
    .map((part) => part.replace(/[`*]/g, "").trim())
    .filter((part) => part.length > 0);
}

export function readStepContent(
  blocks: readonly Nodes[],
  body: string,
  lines: readonly string[],
): StepContent {
  const content: StepContent = {
    fields: {},
    files: [],
    validation: [],
    codeExamples: [],
    dependsOn: [],
    status: null,
    assignees: [],
    labels: [],
    details: "",
    explicitId: null,
  };
  const details: string[] = [];
  let current: FieldLine | null = null;
  for (const entry of toEntries(blocks, body, lines)) {
    if (entry.kind === "field") {
      current = entry.field;
      applyField(content, entry.field, lines);
    } else if (entry.kind === "break") {
      if (current?.value) current = null;
    } else if (entry.kind === "text") {
      if (current && entry.text) {
        const before = content.fields[current.name];
        content.fields[current.name] = before ? `${before}\n${entry.text}` : entry.text;
        current.value ||= entry.text;
      } else if (entry.text) {
        details.push(entry.text);
      }
    } else if (entry.kind === "list") {
      const name = current?.name ?? "";
      if (FILES.test(name)) content.files.push(...fileChanges(entry.list, body));
      else if (VALIDATION.test(name)) content.validation.push(...checklistItems(entry.list, body));
      else if (current && !current.value) content.fields[name] = sourceOf(body, entry.list);
      else details.push(sourceOf(body, entry.list));
      current = null;
    } else if (entry.kind === "code") {
      content.codeExamples.push({ lang: entry.code.lang ?? null, code: entry.code.value });
      current = null;
    } else {
      content.explicitId ??= entry.id;
    }
  }
  content.details = details.join("\n\n").trim();
  return content;
}

function applyField(content: StepContent, field: FieldLine, lines: readonly string[]): void {
  const { name, value } = field;
  if (value) content.fields[name] = value;
  if (DEPENDS.test(name)) content.dependsOn.push(...dependencies(field, lines));
  else if (name === "status" && value) content.status = value.replace(/\*\*/g, "").trim();
  else if (ASSIGNEE.test(name))
    content.assignees.push(...splitList(value).map((login) => login.replace(/^@/, "")));
  else if (LABELS.test(name))
    content.labels.push(
      ...value
        .split(/[,;]/)
        .map((l) => l.replace(/[`*]/g, "").trim())
        .filter(Boolean),
    );
  else if (FILES.test(name) && value)
    content.files.push(...pathsIn(value).map((path) => ({ action: "other" as const, path })));
}
