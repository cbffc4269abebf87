// The schema of `.github/plan-sync.yml` (SPEC.md §4). Every field carries `.describe()` text: a script turns
// this schema into the JSON Schema published for editors, so the descriptions are user documentation.
import picomatch from "picomatch";
import { z } from "zod";

/** SPEC.md §1: where plans live unless the config says otherwise. */
export const DEFAULT_PLAN_PATHS: readonly string[] = [
  "plans/**/*.md",
  "docs/plans/**/*.md",
  "**/*.plan.md",
  "specs/**/tasks.md",
  ".kiro/specs/**/tasks.md",
  "**/IMPLEMENTATION_PLAN.md",
  "**/implementation-plan.md",
];

const TITLE_PLACEHOLDERS = ["{plan}", "{number}", "{title}"];

const labelName = z.string().trim().min(1).max(50); // GitHub's label name limit

const labelsSchema = z.strictObject({
  plan: labelName.default("plan").describe("Label of the tracking issue of each plan."),
  step: labelName.default("plan-step").describe("Label of every step (task) issue."),
  question: labelName.default("question").describe("Label of every open-question issue."),
});

export const configSchema = z
  .strictObject({
    paths: z
      .array(z.string().min(1))
      .min(1)
      .default([...DEFAULT_PLAN_PATHS])
      .describe("Glob patterns (picomatch) of the plan files to sync, relative to the repository root."),
    branches: z
      .array(z.string().min(1))
      .default([])
      .describe("Branches whose pushes sync plans. Empty means the repository's default branch only."),
    labels: labelsSchema.prefault({}).describe("Labels plan-sync puts on the issues it creates, by kind."),
    title_format: z
      .string()
      .default("{title}")
      .refine((format) => format.includes("{title}"), { message: "must contain {title}" })
      .refine((format) => unknownPlaceholders(format).length === 0, {
        message: `may use only the placeholders ${TITLE_PLACEHOLDERS.join(", ")}`,
      })
      .describe("Title of step issues. Placeholders: {plan} (plan title), {number} (step number), {title}."),
    sub_issues: z
      .boolean()
      .default(true)
      .describe("Attach step and question issues to the tracking issue as native sub-issues."),
    dependencies: z
      .boolean()
      .default(true)
      .describe("Turn `Depends on` and upstream dependencies into native 'blocked by' links."),
    questions: z
      .enum(["issue", "list"])
      .default("issue")
      .describe("`issue`: one issue per open question; `list`: questions only listed on the tracking issue."),
    draft: z
      .enum(["preview", "sync"])
      .default("preview")
      .describe(
        "For plans with `Status: Draft`: `preview` only comments on pull requests, `sync` writes issues.",
      ),
    close_removed: z
      .boolean()
      .default(true)
      .describe("Close (as not planned, with a comment) the issue of an item removed from the plan."),
    writeback: z
      .enum(["off", "pull_request"])
      .default("off")
      .describe(
        "`pull_request`: when a person closes a step's or question's issue as completed and the plan does not mark it done, one PR per plan file ticks it in the file (needs `contents: write`).",
      ),
    ticket_links: z
      .record(
        z.string().regex(/^[A-Z][A-Z0-9_]*$/, "must be an upper-case ticket prefix such as PLAT"),
        z
          .string()
          .regex(/^https?:\/\//, "must be an http(s) URL")
          .refine((url) => url.includes("{key}"), { message: "must contain the placeholder {key}" }),
      )
      .default({})
      .describe("Links for ticket keys, by prefix: `PLAT: https://jira.example.com/browse/{key}`."),
    max_items: z
      .number()
      .int()
      .positive()
      .max(5000)
      .default(500)
      .describe(
        "Plans with more items (steps and open questions) than this are refused, not applied partly.",
      ),
    max_plans_per_push: z
      .number()
      .int()
      .positive()
      .max(1000)
      .default(100)
      .describe(
        "One push syncs at most this many plans; its check run names the others (they sync with their next change).",
      ),
    allow_mass_close: z
      .boolean()
      .default(false)
      .describe(
        "Apply pushes that close many of a plan's issues at once (see mass_close_share), or that empty a plan, without confirmation. Default: such a push is not applied and its check run fails saying what would close; `confirm_close: N` in the plan's front matter confirms one push.",
      ),
    mass_close_share: z
      .number()
      .min(0)
      .max(1)
      .default(0.5)
      .describe(
        "A push that would close more than this share of a plan's open issues (and at least mass_close_min_items) needs confirmation.",
      ),
    mass_close_min_items: z
      .number()
      .int()
      .positive()
      .default(3)
      .describe("Closing fewer issues than this at once never needs confirmation."),
  })
  .describe("plan-sync configuration (.github/plan-sync.yml).");

export type Config = z.infer<typeof configSchema>;

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

function unknownPlaceholders(format: string): string[] {
  return (format.match(/\{[^{}]*\}/g) ?? []).filter((token) => !TITLE_PLACEHOLDERS.includes(token));
}

/** Validates a parsed YAML document; an empty file (null/undefined) gives the defaults. */
export function parseConfig(raw: unknown): ConfigResult {
  const result = configSchema.safeParse(raw ?? {}, { reportInput: true });
  if (result.success) return { ok: true, config: result.data };
  return { ok: false, errors: result.error.issues.map(describeIssue) };
}

/** The configuration with every default, for callers with no config file. */
export function defaultConfig(): Config {
  return configSchema.parse({});
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? issue.path.map(String).join(".") : "(top level)";
  if (issue.code === "unrecognized_keys") {
    const keys = issue.keys.map((key) => `"${key}"`).join(", ");
    return `${where}: unknown key${issue.keys.length > 1 ? "s" : ""} ${keys}`;
  }
  if (issue.code === "invalid_key") {
    return `${where}: ${issue.issues[0]?.message ?? issue.message}`;
  }
  if (issue.code === "invalid_type") {
    return `${where}: expected ${issue.expected}, got ${describeValue(issue.input)}`;
  }
  return `${where}: ${issue.message}`;
}

function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "a mapping" : `${typeof value} ${JSON.stringify(value)}`;
}

const matcherCache = new WeakMap<Config, (path: string) => boolean>();

/** Whether a repository path is a plan file under the config's `paths` (dot folders such as .kiro included). */
export function isPlanPath(config: Config, path: string): boolean {
  let matches = matcherCache.get(config);
  if (!matches) {
    matches = picomatch(config.paths, { dot: true });
    matcherCache.set(config, matches);
  }
  return matches(path.replace(/^\.?\//, ""));
}
