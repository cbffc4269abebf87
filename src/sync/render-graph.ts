// The mermaid graph of `Depends on` between steps on the tracking issue: blocker → blocked, drawn so it reads at
// any plan size. Links implied by others are left out (a transitive reduction), labels are short plain text, phases
// are subgraphs, and past GRAPH_NODES_PER_DRAWING steps there is one graph per phase. Every class sets its text
// colour, so labels read in GitHub's dark theme too.
import type { Step } from "../plan/model.js";
import { count, fence, type RenderContext } from "./render-context.js";
import { markLegend, STATE_MARKS, stepState } from "./step-state.js";
import { plainTitle } from "./markdown-text.js";
import { phaseTitle } from "./titles.js";

/** Past this many steps one drawing is shrunk past reading on GitHub: one graph per phase instead. */
const GRAPH_NODES_PER_DRAWING = 15;
/** Mermaid graphs past this many links are slow to draw on GitHub: left out with a note. */
const MAX_GRAPH_EDGES = 300;
/** Labels longer than this are cut at a word (the step list has the whole title). */
const MAX_LABEL_LENGTH = 32;

/** GitHub's light palette with the text colour set, so labels keep their contrast on the dark theme too. */
const CLASS_DEFS = {
  todo: "fill:#f6f8fa,stroke:#8c959f,color:#1f2328",
  active: "fill:#fff8c5,stroke:#9a6700,color:#1f2328",
  done: "fill:#dafbe1,stroke:#1a7f37,color:#1f2328",
  other: "fill:#ffffff,stroke:#8c959f,stroke-dasharray:4 3,color:#57606a",
} as const;

type Edge = readonly [from: number, to: number];

/** The `## Step dependencies` section's content, or null when no step depends on another. */
export function dependencyGraph(context: RenderContext): string | null {
  const steps = context.plan.steps;
  const links = linksOf(steps);
  if (links.all === 0) return null;
  if (links.drawn === null) return tooManyToDraw(links.all);
  const edges = links.drawn;
  if (edges.length > MAX_GRAPH_EDGES) return tooManyToDraw(edges.length);
  const implied = links.all - edges.length;
  const nodes = [...new Set(edges.flat())].sort((a, b) => a - b);
  const phases = phasesOf(nodes, steps);
  const legend = `<sub>Arrows run from a step to the steps it unblocks · ${markLegend()}${
    nodes.length > GRAPH_NODES_PER_DRAWING && phases.length > 1 ? " · dashed: a step of another phase" : ""
  }${implied > 0 ? ` · ${count(implied, "link")} implied by others not drawn` : ""}</sub>`;
  if (nodes.length <= GRAPH_NODES_PER_DRAWING || phases.length < 2) {
    const graph = drawing(nodes, edges, steps, context, new Set(), phases.length > 1);
    return nodes.length <= GRAPH_NODES_PER_DRAWING
      ? `${legend}\n\n${graph}`
      : `${legend}\n\n<details>\n<summary>${count(nodes.length, "step")}, ${count(edges.length, "link")}</summary>\n\n${graph}\n\n</details>`;
  }
  const perPhase = phases.map((phase) => {
    const own = new Set(nodes.filter((node) => (steps[node] as Step).phase === phase));
    const inbound = edges.filter(([, to]) => own.has(to));
    const others = new Set(inbound.map(([from]) => from).filter((from) => !own.has(from)));
    const shown = [...new Set([...own, ...others])].sort((a, b) => a - b);
    const title = phaseNameOf(phase, context);
    return `**${title}**\n\n${drawing(shown, inbound, steps, context, others, false)}`;
  });
  return [legend, ...perPhase].join("\n\n");
}

/** A plan's links: how many, and those to draw (null: more steps are blocked than a drawing holds). */
interface Links {
  all: number;
  drawn: Edge[] | null;
}

/** By plan: a sync renders the tracking issue again after each create, and the links stay the same. */
const linksByPlan = new WeakMap<readonly Step[], Links>();

function linksOf(steps: readonly Step[]): Links {
  const known = linksByPlan.get(steps);
  if (known) return known;
  const all = stepEdges(steps);
  // Each step with a link in keeps one: past the limit, no reduction can bring the drawing under it.
  const targets = targetsOf(all);
  const drawn = targets.length > MAX_GRAPH_EDGES ? null : transitiveReduction(all, targets);
  const links = { all: all.length, drawn };
  linksByPlan.set(steps, links);
  return links;
}

function tooManyToDraw(links: number): string {
  return `_${count(links, "dependency", "dependencies")}: too many to draw; see each step's issue._`;
}

/** `Depends on` between steps of the plan, as positions in `steps`, without repeats or self-links. */
function stepEdges(steps: readonly Step[]): Edge[] {
  const index = new Map(steps.map((step, position) => [step.key, position]));
  const seen = new Set<string>();
  const edges: Edge[] = [];
  steps.forEach((step, to) => {
    for (const dependency of step.dependsOn) {
      const from = dependency.stepKey === null ? undefined : index.get(dependency.stepKey);
      if (from === undefined || from === to || seen.has(`${from}>${to}`)) continue;
      seen.add(`${from}>${to}`);
      edges.push([from, to]);
    }
  });
  return edges;
}

/** Steps that depend on another, each counted once: a drawing keeps at least one link into each of them. */
function targetsOf(edges: readonly Edge[]): number[] {
  return [...new Set(edges.map(([, to]) => to))];
}

/**
 * Drops each link implied by a longer path (the transitive reduction, unique in a graph without cycles): a link
 * u → v goes when v is reachable from another of u's targets. Reachability is kept as bit sets over the steps
 * that have links in (at most MAX_GRAPH_EDGES of them by then), filled in reverse topological order: linear in
 * the links, whatever the plan (a full mesh of 300 steps took minutes with a search per link). A graph with a
 * cycle is a plan refused with `dependency-cycle`, only ever previewed: it is drawn whole. `linkedTo`: targetsOf(edges).
 */
function transitiveReduction(edges: readonly Edge[], linkedTo: readonly number[]): Edge[] {
  const targets = new Map(linkedTo.map((node, bit) => [node, bit]));
  const next = new Map<number, number[]>();
  const inbound = new Map<number, number>();
  for (const [from, to] of edges) {
    const list = next.get(from);
    if (list) list.push(to);
    else next.set(from, [to]);
    inbound.set(to, (inbound.get(to) ?? 0) + 1);
  }
  const nodes = [...new Set(edges.flat())];
  const order = nodes.filter((node) => !inbound.has(node));
  for (let at = 0; at < order.length; at += 1)
    for (const after of next.get(order[at] as number) ?? []) {
      const left = (inbound.get(after) as number) - 1;
      inbound.set(after, left);
      if (left === 0) order.push(after);
    }
  if (order.length < nodes.length) return [...edges];
  const words = Math.ceil(targets.size / 32);
  const reach = new Map<number, Uint32Array>();
  const beyond = new Map<number, Uint32Array>();
  for (const node of order.reverse()) {
    const through = new Uint32Array(words);
    for (const after of next.get(node) ?? []) {
      const far = reach.get(after);
      if (far) for (let word = 0; word < words; word += 1) through[word]! |= far[word]!;
    }
    const all = through.slice();
    for (const after of next.get(node) ?? []) {
      const bit = targets.get(after) as number;
      all[bit >>> 5]! |= 1 << (bit & 31);
    }
    beyond.set(node, through);
    reach.set(node, all);
  }
  return edges.filter(([from, to]) => {
    const bit = targets.get(to) as number;
    return ((beyond.get(from) as Uint32Array)[bit >>> 5]! & (1 << (bit & 31))) === 0;
  });
}

/** The phases the graph's steps sit in, in plan order (a step outside any phase has none). */
function phasesOf(nodes: number[], steps: readonly Step[]): string[] {
  return [...new Set(nodes.flatMap((node) => (steps[node] as Step).phase ?? []))];
}

function phaseNameOf(key: string, context: RenderContext): string {
  const phase = context.plan.phases.find((candidate) => candidate.key === key);
  return phase ? phaseTitle(phase) : key;
}

/** One mermaid block; `others` are drawn dashed (steps of another phase), phases as subgraphs when asked. */
function drawing(
  nodes: number[],
  edges: readonly Edge[],
  steps: readonly Step[],
  context: RenderContext,
  others: Set<number>,
  subgraphs: boolean,
): string {
  const stateOf = (position: number) =>
    others.has(position) ? "other" : stepState(steps[position] as Step, context);
  const used = new Set(nodes.map(stateOf));
  const lines = [
    "flowchart TD",
    ...Object.entries(CLASS_DEFS)
      .filter(([name]) => used.has(name as keyof typeof CLASS_DEFS))
      .map(([name, style]) => `  classDef ${name} ${style}`),
  ];
  const node = (position: number, indent: string) => {
    const state = stateOf(position);
    const mark = state === "other" ? "" : `${STATE_MARKS[state]} `;
    return `${indent}s${position}["${mermaidText(mark + nodeLabel(steps[position] as Step))}"]:::${state}`;
  };
  if (subgraphs) {
    const loose = nodes.filter((position) => !(steps[position] as Step).phase);
    lines.push(...loose.map((position) => node(position, "  ")));
    phasesOf(nodes, steps).forEach((phase, index) => {
      lines.push(`  subgraph phase${index}["${mermaidText(phaseNameOf(phase, context))}"]`);
      const inPhase = nodes.filter((position) => (steps[position] as Step).phase === phase);
      lines.push(...inPhase.map((position) => node(position, "    ")), "  end");
    });
  } else lines.push(...nodes.map((position) => node(position, "  ")));
  lines.push(...edges.map(([from, to]) => `  s${from} --> s${to}`));
  return fence(lines.join("\n"), "mermaid");
}

/** `1.2 Limiter client with circuit…`: the step's number and its title as plain text, cut at a word. */
function nodeLabel(step: Pick<Step, "number" | "title">): string {
  const title = plainTitle(step.title, { keepCode: false });
  const short = title.length <= MAX_LABEL_LENGTH ? title : `${cutAtWord(title, MAX_LABEL_LENGTH - 1)}…`;
  return step.number ? `${step.number} ${short}` : short;
}

function cutAtWord(text: string, length: number): string {
  const cut = [...text].slice(0, length).join("");
  const space = cut.lastIndexOf(" ");
  return (space > length / 2 ? cut.slice(0, space) : cut).replace(/(?<![\s,.;:–—-])[\s,.;:–—-]+$/, "");
}

/** Inside a quoted mermaid label: `#` and `"` as mermaid's entity codes, so no title can end the label. */
function mermaidText(text: string): string {
  return text.replace(/#/g, "#35;").replace(/"/g, "#quot;");
}
