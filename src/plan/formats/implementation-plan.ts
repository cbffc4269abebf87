// The implementation-plan reader (SPEC.md §1 format 1): the template and the ways people really
// write it. One pass over the top-level blocks, keeping the heading path as context.
import type { Heading, List, ListItem, Nodes, RootContent } from "mdast";
import { diagnostic } from "../diagnostics.js";
import {
  type SectionKind,
  readMarks,
  readPhaseHeading,
  readStepLabel,
  sectionKind,
} from "../heading-kinds.js";
import { idFromComment, slugify, splitExplicitId } from "../ids.js";
import {
  allItems,
  dependencyItems,
  questionFromHeading,
  questionFromItem,
  readHeaderFields,
  riskRows,
} from "../implementation-sections.js";
import type { Phase, Step } from "../model.js";
import { endLine, sourceOf, startColumn, startLine } from "../node-text.js";
import { findPlaceholder, placeholderMessage } from "../placeholders.js";
import {
  type FormatReader,
  type FormatReading,
  type PlanDocument,
  type Report,
  emptyReading,
} from "../reading.js";
import { checklistItems, itemText } from "../step-fields.js";
import {
  type PhaseFrame,
  buildStep,
  hasStepsBelow,
  holdsNumberedItems,
  restOfParagraph,
} from "../implementation-steps.js";
import { reachLine } from "../parse-progress.js";

type Frame = { depth: number; kind: "section"; section: SectionKind | null } | PhaseFrame;

interface OpenStep {
  depth: number;
  heading: Heading;
  title: string;
  number: string | null;
  explicitId: string | null;
  done: boolean | null;
  inProgress: boolean;
  phase: PhaseFrame | undefined;
  blocks: Nodes[];
}

interface OpenQuestion {
  depth: number;
  heading: Heading;
  text: string;
  blocks: Nodes[];
}

const TITLE_PREFIX = /^(?:implementation plan|task checklist|plan)\s*[:—–-]\s*/i;
const TITLE_SUFFIX = /(?<!\s)(?:\s*[:—–-])?\s*implementation plan$/i;

export function headingText(body: string, heading: Heading): string {
  return sourceOf(body, heading)
    .replace(/\n[ \t]*[=-]+[ \t]*$/, "")
    .replace(/^ {0,3}#{1,6}(?:[ \t]+|$)/, "")
    .replace(/(?<![ \t])[ \t]+#+[ \t]*$/, "")
    .trim();
}

/** `Implementation Plan: X`, `X Implementation Plan`, `Task Checklist: X` → X; a bare `Implementation Plan` → null. */
export function planTitle(text: string): string | null {
  const title = text.replace(TITLE_PREFIX, "").replace(TITLE_SUFFIX, "").trim();
  return title === "" || /^(?:implementation plan|task checklist)$/i.test(title) ? null : title;
}

class ImplementationWalk {
  readonly reading: FormatReading = emptyReading("implementation-plan");
  private readonly lines: string[];
  private frames: Frame[] = [];
  private step: OpenStep | null = null;
  private question: OpenQuestion | null = null;
  private headingSeen = false;
  private pendingId: string | null = null;
  private overview: string[] = [];
  private previous: RootContent | null = null;

  constructor(
    private readonly doc: PlanDocument,
    private readonly report: Report,
  ) {
    this.lines = doc.body.split("\n");
  }

  run(): FormatReading {
    const children = this.doc.tree.children;
    children.forEach((node, index) => {
      reachLine(node.position?.start.line ?? 1);
      if (node.type === "heading") this.heading(node, children, index);
      else this.block(node);
      this.previous = node;
    });
    this.closeStep();
    this.closeQuestion();
    if (this.overview.length > 0) this.reading.overview = this.overview.join("\n\n").trim();
    return this.reading;
  }

  private section(): SectionKind | null {
    for (let i = this.frames.length - 1; i >= 0; i -= 1) {
      const frame = this.frames[i];
      if (frame?.kind === "phase") return "steps";
      if (frame?.section) return frame.section;
    }
    return null;
  }

  private phaseFrame(): PhaseFrame | undefined {
    return this.frames.findLast((f): f is PhaseFrame => f.kind === "phase");
  }

  private heading(node: Heading, siblings: readonly RootContent[], index: number): void {
    const raw = headingText(this.doc.body, node);
    if (!this.headingSeen && node.depth === 1) {
      this.headingSeen = true;
      this.readTitle(raw, node);
      return;
    }
    this.headingSeen = true;
    const { text: withoutId, id } = splitExplicitId(raw);
    const marks = readMarks(withoutId);
    const label = readStepLabel(marks.text);
    const phase = readPhaseHeading(marks.text);
    if (this.step && node.depth > this.step.depth && !label && !phase) {
      this.step.blocks.push(node);
      return;
    }
    this.closeStep();
    this.closeQuestion();
    while ((this.frames.at(-1)?.depth ?? 0) >= node.depth) this.frames.pop();
    const section = this.section();
    const stepsContext = section === "steps";
    const proseContext = section !== null && section !== "steps";
    const explicitId = id ?? this.takePendingId(node);
    if (section === "questions" && !sectionKind(raw)) {
      this.question = { depth: node.depth, heading: node, text: raw, blocks: [] };
      return;
    }
    const milestoneAsPhase = label?.word && hasStepsBelow(siblings, index, node.depth);
    if ((phase && !proseContext) || milestoneAsPhase) {
      this.openPhase(
        node,
        phase?.number ?? label?.number ?? null,
        phase?.title ?? label?.title ?? marks.text,
        marks.done,
        phase?.done ?? false,
        !holdsNumberedItems(siblings, index, node.depth),
      );
      return;
    }
    if (label && !proseContext && (stepsContext || !label.needsStepsContext)) {
      this.step = {
        depth: node.depth,
        heading: node,
        title: label.title,
        number: label.number,
        explicitId,
        done: marks.done,
        inProgress: marks.inProgress,
        phase: this.phaseFrame(),
        blocks: [],
      };
      return;
    }
    this.frames.push({ depth: node.depth, kind: "section", section: sectionKind(marks.text) });
  }

  private readTitle(raw: string, node: Heading): void {
    const { text } = splitExplicitId(raw);
    const title = planTitle(text);
    const placeholder = title === null ? null : findPlaceholder(title);
    // An unfilled `[TITLE]` is no title: the plan is then named after its file.
    this.reading.title = placeholder ? null : title;
    if (placeholder) {
      const line = this.lines[startLine(node) - 1] ?? "";
      const column = line.indexOf(placeholder.text) + 1;
      this.report(
        diagnostic(
          "warning",
          "placeholder",
          placeholderMessage("The plan title", placeholder),
          startLine(node),
          column,
        ),
      );
    }
  }

  private takePendingId(node: Heading): string | null {
    const id = this.pendingId;
    this.pendingId = null;
    return id !== null && this.previous?.type === "html" && endLine(this.previous) === startLine(node) - 1
      ? id
      : null;
  }

  private openPhase(
    node: Heading,
    number: string | null,
    title: string,
    box: boolean | null,
    doneSuffix: boolean,
    boxesAreSubtasks: boolean,
  ): void {
    const phase: Phase = {
      key: `phase-${number ?? (slugify(title) || startLine(node))}`,
      number,
      title,
      done: box,
      line: startLine(node),
    };
    this.reading.phases.push(phase);
    this.frames.push({
      depth: node.depth,
      kind: "phase",
      phase,
      done: box === true || doneSuffix,
      boxesAreSubtasks,
    });
  }

  private block(node: RootContent): void {
    if (node.type === "html") {
      const id = idFromComment(node.value);
      if (id && this.step && this.step.blocks.length === 0 && this.previous === this.step.heading) {
        this.step.explicitId ??= id;
        return;
      }
      if (id) this.pendingId = id;
    }
    if (this.step) {
      this.step.blocks.push(node);
      return;
    }
    if (this.question) {
      this.question.blocks.push(node);
      return;
    }
    if (!this.headingSeen || this.frames.length === 0) {
      readHeaderFields(node, this.lines, this.reading.header, this.report);
      return;
    }
    this.sectionBlock(node);
  }

  private sectionBlock(node: RootContent): void {
    const section = this.section();
    const r = this.reading;
    if (section === "overview") this.overview.push(sourceOf(this.doc.body, node));
    if (node.type === "table" && section === "risks") r.risks.push(...riskRows(node));
    if (node.type !== "list") return;
    switch (section) {
      case "steps":
        this.checklistSteps(node);
        break;
      case "requirements":
        r.checklists.requirements.push(...this.itemsOf(node, "Requirement"));
        break;
      case "testing":
        r.checklists.testing.push(
          ...allItems(node).flatMap((i) => checklistItems({ ...node, children: [i] }, this.doc.body)),
        );
        break;
      case "deployment":
        r.checklists.deployment.push(
          ...allItems(node).flatMap((i) => checklistItems({ ...node, children: [i] }, this.doc.body)),
        );
        break;
      case "success":
        r.checklists.successCriteria.push(...checklistItems(node, this.doc.body));
        break;
      case "dependencies":
      case "upstream":
        r.dependencies.upstream.push(...this.dependencyItemsOf(node));
        break;
      case "downstream":
        r.dependencies.downstream.push(...this.dependencyItemsOf(node));
        break;
      case "questions":
        r.questions.push(...node.children.map((item) => questionFromItem(item, this.doc.body)));
        break;
      case "references":
        r.references.push(...node.children.map((item) => itemText(item, this.doc.body)).filter(Boolean));
        break;
      default:
        break;
    }
  }

  private itemsOf(list: List, what: string) {
    const items = allItems(list).flatMap((item) =>
      checklistItems({ ...list, children: [item] }, this.doc.body),
    );
    for (const item of items) this.reportPlaceholder(item.text, item.line, what);
    return items;
  }

  private dependencyItemsOf(list: List) {
    const items = dependencyItems(list, this.doc.body);
    for (const item of items) this.reportPlaceholder(item.text, item.line, "Dependency");
    return items;
  }

  private reportPlaceholder(text: string, line: number, what: string): void {
    const placeholder = findPlaceholder(text);
    if (!placeholder) return;
    const column = (this.lines[line - 1] ?? "").indexOf(placeholder.text) + 1;
    this.report(
      diagnostic("warning", "placeholder", placeholderMessage(what, placeholder), line, column || 1),
    );
  }

  /** Checklist items under a phase or in the steps section are steps, unless a label such as
   *  `**Exit criteria**:` introduces the list (then only `Task 1.1:`-style items are). */
  private checklistSteps(list: List): void {
    const labelled =
      this.previous?.type === "paragraph" && /:\s*(?:\*\*|__)?$/.test(sourceOf(this.doc.body, this.previous));
    for (const item of list.children) {
      const text = itemText(item, this.doc.body).split("\n")[0] ?? "";
      const { text: withoutId, id } = splitExplicitId(text.replace(/<!--[\s\S]*?-->/g, "").trim());
      const marks = readMarks(withoutId);
      const label = readStepLabel(marks.text);
      const box = item.checked !== null && item.checked !== undefined;
      if (!label && (labelled || !box || this.phaseFrame()?.boxesAreSubtasks === true)) continue;
      // A bullet that opens with a count (`- 50 simulations × 4 h`) is no step; `- 1.1 Setup` is.
      if (!box && label?.needsStepsContext && !label.number?.includes(".")) continue;
      this.reading.steps.push(
        this.itemStep(item, label?.title ?? marks.text, label?.number ?? null, id, marks),
      );
    }
  }

  private itemStep(
    item: ListItem,
    title: string,
    number: string | null,
    id: string | null,
    marks: { done: boolean | null; inProgress: boolean },
  ): Step {
    const [first, ...rest] = item.children;
    const blocks: Nodes[] = [...rest];
    if (first?.type === "paragraph" && endLine(first) > startLine(first))
      blocks.unshift(restOfParagraph(first));
    const commentId =
      first?.type === "paragraph"
        ? first.children.map((c) => (c.type === "html" ? idFromComment(c.value) : null)).find(Boolean)
        : null;
    return buildStep(this.doc.body, this.lines, {
      explicitId: id ?? commentId ?? null,
      number,
      title,
      done: item.checked === true || marks.done === true,
      inProgress: marks.inProgress,
      blocks,
      line: startLine(item),
      endLine: endLine(item),
      column: startColumn(item),
      phase: this.phaseFrame(),
    });
  }

  private closeStep(): void {
    const open = this.step;
    if (!open) return;
    this.step = null;
    const last = open.blocks.at(-1);
    this.reading.steps.push(
      buildStep(this.doc.body, this.lines, {
        explicitId: open.explicitId,
        number: open.number,
        title: open.title,
        done: open.done === true,
        unmarked: open.done === null,
        inProgress: open.inProgress,
        blocks: open.blocks,
        line: startLine(open.heading),
        endLine: last ? endLine(last) : startLine(open.heading),
        column: startColumn(open.heading),
        phase: open.phase,
      }),
    );
  }

  private closeQuestion(): void {
    const open = this.question;
    if (!open) return;
    this.question = null;
    this.reading.questions.push(questionFromHeading(open.heading, open.text, open.blocks, this.doc.body));
  }
}

export const readImplementationPlan: FormatReader = (doc, report) =>
  new ImplementationWalk(doc, report).run();
