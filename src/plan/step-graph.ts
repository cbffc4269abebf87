// `Depends on` between steps: resolve what each names, report unknown names and cycles.
import { diagnostic } from "./diagnostics.js";
import { normalizeStepReference } from "./ids.js";
import type { Diagnostic, Step } from "./model.js";

/** How a step is named in messages: `Step 1.2`, `T012`, or its title. */
export function stepName(step: Step): string {
  if (step.number === null) return JSON.stringify(step.title);
  return /^\d/.test(step.number) ? `Step ${step.number}` : step.number;
}

/** Fills `dependsOn[].stepKey`; a name that matches no step is a warning and its link is left out. */
export function resolveDependencies(steps: readonly Step[]): Diagnostic[] {
  const byName = new Map<string, string>();
  for (const step of steps) {
    for (const name of [step.key, step.number, step.explicitId]) {
      if (name !== null && !byName.has(name.toLowerCase())) byName.set(name.toLowerCase(), step.key);
    }
  }
  const diagnostics: Diagnostic[] = [];
  for (const step of steps) {
    for (const dependency of step.dependsOn) {
      if (dependency.reference !== null) continue;
      const key =
        byName.get(normalizeStepReference(dependency.text)) ??
        byName.get(dependency.text.trim().toLowerCase());
      if (key !== undefined) {
        dependency.stepKey = key;
        continue;
      }
      diagnostics.push(
        diagnostic(
          "warning",
          "unknown-dependency",
          `${stepName(step)} depends on "${dependency.text}", which is not a step of this plan; the link is left out. Use a step number such as "Step 1.1" or an issue such as "#12".`,
          dependency.line,
          dependency.column,
        ),
      );
    }
  }
  return diagnostics;
}

/** Every dependency cycle is an error at each `Depends on` entry that closes part of it. */
export function findCycles(steps: readonly Step[]): Diagnostic[] {
  const byKey = new Map(steps.map((step) => [step.key, step]));
  // Each step's links, found once; steps that link nowhere cannot be in a cycle and are left out.
  const links = new Map<string, string[]>();
  for (const step of steps) {
    const targets = step.dependsOn.flatMap((d) =>
      d.stepKey !== null && byKey.has(d.stepKey) ? [d.stepKey] : [],
    );
    if (targets.length > 0) links.set(step.key, targets);
  }
  const diagnostics: Diagnostic[] = [];
  if (links.size === 0) return diagnostics;
  const edges = (key: string) => links.get(key) ?? [];
  const components = stronglyConnected([...links.keys()], edges);
  for (const component of components) {
    const members = new Set(component);
    const only = component[0] as string;
    const selfLoop = component.length === 1 && edges(only).includes(only);
    if (component.length < 2 && !selfLoop) continue;
    const cycle = cyclePath(only, members, edges);
    const names = cycleNames(cycle.map((key) => stepName(byKey.get(key) as Step)));
    for (const key of component) {
      const step = byKey.get(key) as Step;
      for (const dependency of step.dependsOn) {
        if (dependency.stepKey === null || !members.has(dependency.stepKey)) continue;
        diagnostics.push(
          diagnostic(
            "error",
            "dependency-cycle",
            `Dependency cycle: ${names}. Remove one of these "Depends on" links.`,
            dependency.line,
            dependency.column,
          ),
        );
      }
    }
  }
  return diagnostics;
}

/** Steps a cycle's message names at most: each step of the cycle gets the message, so naming all of
 *  a cycle through thousands of steps wrote their square (issue #14). */
const MAX_CYCLE_NAMES = 12;

/** `a → b → c → a`; a longer cycle keeps its first and last names around a count of the others. */
function cycleNames(names: readonly string[]): string {
  if (names.length <= MAX_CYCLE_NAMES) return names.join(" → ");
  const head = names.slice(0, MAX_CYCLE_NAMES - 2);
  const tail = names.slice(-2);
  return [...head, `… (${names.length - MAX_CYCLE_NAMES} more steps)`, ...tail].join(" → ");
}

/** Tarjan's algorithm without recursion, so a long chain of steps cannot overflow the stack. */
function stronglyConnected(keys: readonly string[], next: (key: string) => string[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const root of keys) {
    if (index.has(root)) continue;
    const work: { key: string; edges: string[]; at: number }[] = [];
    const visit = (key: string) => {
      index.set(key, counter);
      low.set(key, counter);
      counter += 1;
      stack.push(key);
      onStack.add(key);
      work.push({ key, edges: next(key), at: 0 });
    };
    visit(root);
    while (work.length > 0) {
      const frame = work.at(-1) as { key: string; edges: string[]; at: number };
      if (frame.at < frame.edges.length) {
        const target = frame.edges[frame.at] as string;
        frame.at += 1;
        if (!index.has(target)) visit(target);
        else if (onStack.has(target))
          low.set(frame.key, Math.min(low.get(frame.key) ?? 0, index.get(target) ?? 0));
        continue;
      }
      work.pop();
      const parent = work.at(-1);
      if (parent) low.set(parent.key, Math.min(low.get(parent.key) ?? 0, low.get(frame.key) ?? 0));
      if (low.get(frame.key) === index.get(frame.key)) {
        const component: string[] = [];
        let member: string | undefined;
        do {
          member = stack.pop();
          if (member === undefined) break;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.key);
        components.push(component.reverse());
      }
    }
  }
  return components;
}

/** One cycle through `start` inside its component, for the message: [a, b, a]. */
function cyclePath(start: string, members: ReadonlySet<string>, next: (key: string) => string[]): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head += 1) {
    const key = queue[head] as string;
    for (const target of next(key)) {
      if (!members.has(target)) continue;
      if (target === start) {
        const back: string[] = [];
        for (let at: string | undefined = key; at !== undefined && at !== start; at = previous.get(at))
          back.push(at);
        return [start, ...back.reverse(), start];
      }
      if (!previous.has(target)) {
        previous.set(target, key);
        queue.push(target);
      }
    }
  }
  return [start, start];
}
