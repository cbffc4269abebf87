// The plans the demo pushes: the files of examples/ (laid out as a repository would hold them), and the edits
// of the second push and of the pull request, written as exact replacements so a changed example fails loudly.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const EXAMPLES_DIR = join(import.meta.dirname, "..", "examples");
export const RATE_LIMITER_PATH = "plans/rate-limiter.md";

/** Every markdown file under examples/ but its README, by its path in the demo repository. */
export function examplePlans(): Record<string, string> {
  const paths = readdirSync(EXAMPLES_DIR, { recursive: true, encoding: "utf8" })
    .map((path) => path.split("\\").join("/"))
    .filter((path) => path.endsWith(".md") && path !== "README.md")
    .sort();
  return Object.fromEntries(paths.map((path) => [path, readFileSync(join(EXAMPLES_DIR, path), "utf8")]));
}

export interface PlanEdit {
  /** What a person would say the edit does. */
  summary: string;
  from: string;
  to: string;
}

/** Push 2: Step 2.1 is marked done and Step 2.2 renamed. */
export const SECOND_PUSH_EDITS: PlanEdit[] = [
  {
    summary: "Step 2.1 Middleware marked done",
    from: "**Depends on**: Step 1.2\n**Files**:\n- Create: `gateway/middleware/ratelimit.go`",
    to: "**Depends on**: Step 1.2\n**Status**: Done\n**Files**:\n- Create: `gateway/middleware/ratelimit.go`",
  },
  {
    summary: 'Step 2.2 renamed to "Limits admin API"',
    from: "#### Step 2.2: Limits admin endpoint",
    to: "#### Step 2.2: Limits admin API",
  },
];

/** The pull request: one step added, one open question answered. */
export const PULL_REQUEST_EDITS: PlanEdit[] = [
  {
    summary: "Step 3.3 added",
    from: "## Testing Strategy",
    to: [
      "#### Step 3.3: Remove the shadow-mode flag",
      "**What**: Delete `ratelimit.enforce` once every tenant is enforced.",
      "**Why**: One code path to test and operate.",
      "**Depends on**: Step 3.2",
      "**Files**:",
      "- Modify: `gateway/middleware/ratelimit.go`",
      "",
      "## Testing Strategy",
    ].join("\n"),
  },
  {
    summary: "open question answered",
    from: "- [ ] Should internal tenants be exempt?",
    to: "- [x] Should internal tenants be exempt? No: same limits, higher values.",
  },
];

export function applyEdits(source: string, edits: PlanEdit[]): string {
  return edits.reduce((text, edit) => {
    if (!text.includes(edit.from))
      throw new Error(`examples/${RATE_LIMITER_PATH} no longer has: ${edit.from}`);
    return text.replace(edit.from, edit.to);
  }, source);
}
