// The JSON Schema and the reference page of `.github/plan-sync.yml`, both derived from the zod `configSchema`
// so neither can say something the app does not do. Pure: `gen-config-docs.ts` writes the files, and
// test/ship/config-schema.test.ts checks the committed ones against what this produces now.
import yaml from "js-yaml";
import { format as prettierFormat, resolveConfig } from "prettier";
import { z } from "zod";
import { configSchema, defaultConfig } from "../src/sync/config.js";

export const SCHEMA_PATH = "schema/plan-sync.schema.json";
export const DOCS_PATH = "docs/config.md";
export const SCHEMA_ID =
  "https://raw.githubusercontent.com/plan-sync/plan-sync/main/schema/plan-sync.schema.json";

export type JsonSchema = {
  type?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  [keyword: string]: unknown;
};

/**
 * Checks written as zod `.refine()` or `.trim()` have no JSON Schema form, so z.toJSONSchema drops them.
 * Each is restated here as a pattern, so editors reject what the app would reject. The config-schema test
 * feeds the same configs to both validators, which keeps these in step with src/sync/config.ts.
 */
const REFINEMENT_PATTERNS: { path: string[]; pattern: string; rule: string }[] = [
  // Label names are trimmed before their length check, so a blank name is refused.
  ...["plan", "step", "question"].map((kind) => ({
    path: ["labels", kind],
    pattern: "\\S",
    rule: "1–50 characters, not blank",
  })),
  // Contains {title}, and every {…} token is one of the three placeholders (a lone brace is plain text).
  {
    path: ["title_format"],
    pattern: "^(?=[\\s\\S]*\\{title\\})(?:[^{]|\\{(?:plan|number|title)\\}|\\{(?![^}]*\\}))*$",
    rule: "must contain `{title}`",
  },
  {
    path: ["ticket_links", "additionalProperties"],
    pattern: "^https?:\\/\\/[\\s\\S]*\\{key\\}",
    rule: "keys are upper-case prefixes (`PLAT`), values http(s) URLs containing `{key}`",
  },
];

function ruleOf(key: string): string | undefined {
  return REFINEMENT_PATTERNS.find(
    ({ path }) => path.filter((p) => p !== "additionalProperties").join(".") === key,
  )?.rule;
}

/** The JSON Schema (draft 2020-12) of `.github/plan-sync.yml`: what a user may write, with defaults. */
export function buildConfigJsonSchema(): JsonSchema {
  // "input": the shape a user writes (every key optional, defaults shown), not the parsed result.
  const generated = z.toJSONSchema(configSchema, { io: "input", target: "draft-2020-12" }) as JsonSchema;
  const { $schema, ...rest } = generated;
  const schema: JsonSchema = { $schema, $id: SCHEMA_ID, title: "plan-sync configuration", ...rest };
  for (const { path, pattern } of REFINEMENT_PATTERNS) {
    const target = schemaAt(schema, path);
    target["pattern"] = pattern; // each restated pattern includes the check zod exported, if any
  }
  return schema;
}

function schemaAt(schema: JsonSchema, path: string[]): JsonSchema {
  let node: JsonSchema = schema;
  for (const key of path) {
    const next: unknown = key === "additionalProperties" ? node.additionalProperties : node.properties?.[key];
    if (typeof next !== "object" || next === null)
      throw new Error(
        `config schema has no ${path.join(".")}: update REFINEMENT_PATTERNS in scripts/config-docs.ts`,
      );
    node = next as JsonSchema;
  }
  return node;
}

/** One row per key, nested keys (labels.plan) after their parent. */
export function configKeys(schema: JsonSchema, prefix = ""): { key: string; schema: JsonSchema }[] {
  return Object.entries(schema.properties ?? {}).flatMap(([name, child]) => [
    { key: prefix + name, schema: child },
    ...(child.type === "object" && child.properties ? configKeys(child, `${prefix}${name}.`) : []),
  ]);
}

function typeOf(schema: JsonSchema): string {
  if (schema.enum) return schema.enum.map((value) => `\`${String(value)}\``).join(" | ");
  if (schema.type === "array") return `list of ${typeOf(schema.items ?? {})}s`;
  if (schema.type === "object" && typeof schema.additionalProperties === "object")
    return `mapping of ${typeOf(schema.propertyNames ?? {})} to ${typeOf(schema.additionalProperties)}`;
  if (schema.type === "integer" && typeof schema["maximum"] === "number")
    return `integer (1–${schema["maximum"]})`;
  if (schema.type === "object") return "mapping";
  return schema.type ?? "any";
}

function defaultOf(key: string, schema: JsonSchema): string {
  if (key === "branches") return "`[]` (the default branch)";
  if (schema.type === "object" && schema.properties) return "see below";
  if (Array.isArray(schema.default) && schema.default.length > 0) return "see the example";
  return `\`${JSON.stringify(schema.default)}\``;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** `.github/plan-sync.yml` with every key at its default, each under its description. */
export function renderExampleConfig(schema: JsonSchema): string {
  const defaults = defaultConfig() as Record<string, unknown>;
  const blocks = Object.entries(schema.properties ?? {}).map(([key, child]) => {
    const comment = `# ${child.description ?? ""}`;
    const value = yaml.dump({ [key]: defaults[key] }, { lineWidth: 110 });
    return `${comment}\n${value.trimEnd()}`;
  });
  return `${blocks.join("\n\n")}\n`;
}

export function renderConfigDocs(schema: JsonSchema): string {
  const rows = configKeys(schema).map(
    ({ key, schema: child }) =>
      `| \`${key}\` | ${cell([typeOf(child), ruleOf(key)].filter(Boolean).join("; "))} | ${cell(defaultOf(key, child))} | ${cell(child.description ?? "")} |`,
  );
  return [
    "<!-- Generated by `npm run docs:config` from src/sync/config.ts: edit the schema there, not this page. -->",
    "",
    "# Configuration: `.github/plan-sync.yml`",
    "",
    "plan-sync reads `.github/plan-sync.yml` from the repository's default branch, and falls back to the same",
    "file in the organization's `.github` repository. Every key is optional; an empty or missing file means the",
    "defaults below. An invalid file fails the `plan-sync` check run with the reason and changes nothing on GitHub.",
    "",
    `Editors with YAML language support can complete and check the file with the JSON Schema`,
    `[\`${SCHEMA_PATH}\`](../${SCHEMA_PATH}). Add this first line to the file:`,
    "",
    "```yaml",
    `# yaml-language-server: $schema=${SCHEMA_ID}`,
    "```",
    "",
    "## Keys",
    "",
    "| key | type | default | description |",
    "| --- | --- | --- | --- |",
    ...rows,
    "",
    "## Example",
    "",
    "Every key at its default value:",
    "",
    "```yaml",
    renderExampleConfig(schema).trimEnd(),
    "```",
    "",
  ].join("\n");
}

/** The generated files with their exact committed content (JSON formatted as prettier would). */
export async function generateConfigFiles(root: string): Promise<{ path: string; content: string }[]> {
  const schema = buildConfigJsonSchema();
  const options = (await resolveConfig(`${root}/${SCHEMA_PATH}`)) ?? {};
  const json = await prettierFormat(JSON.stringify(schema), { ...options, parser: "json" });
  return [
    { path: SCHEMA_PATH, content: json },
    { path: DOCS_PATH, content: renderConfigDocs(schema) },
  ];
}
