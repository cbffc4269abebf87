import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import {
  buildConfigJsonSchema,
  configKeys,
  generateConfigFiles,
  renderExampleConfig,
} from "../../scripts/config-docs.js";
import { configSchema, defaultConfig, parseConfig } from "../../src/sync/config.js";

const root = join(import.meta.dirname, "..", "..");
const schema = buildConfigJsonSchema();
// strict: the schema must use only keywords ajv knows, so a typo in a restated pattern cannot pass silently.
const validateJson = new Ajv2020({ strict: true, allErrors: true }).compile(schema);

describe("committed config docs and schema", () => {
  it.each(["schema/plan-sync.schema.json", "docs/config.md"])(
    "%s equals what npm run docs:config generates now",
    async (path) => {
      const generated = (await generateConfigFiles(root)).find((file) => file.path === path);
      expect(generated).toBeDefined();
      expect(await readFile(join(root, path), "utf8")).toBe(generated?.content);
    },
  );

  it("documents every key of the zod schema, nested labels included, with a description", async () => {
    const keys = configKeys(schema).map(({ key }) => key);
    expect(keys).toEqual([
      "paths",
      "branches",
      "labels",
      "labels.plan",
      "labels.step",
      "labels.question",
      "title_format",
      "sub_issues",
      "dependencies",
      "questions",
      "draft",
      "close_removed",
      "writeback",
      "ticket_links",
      "max_items",
      "max_plans_per_push",
      "allow_mass_close",
      "mass_close_share",
      "mass_close_min_items",
    ]);
    expect(keys.filter((key) => !key.includes("."))).toEqual(Object.keys(configSchema.shape));
    expect(configKeys(schema).filter(({ schema: child }) => !child.description)).toEqual([]);
    const docs = await readFile(join(root, "docs/config.md"), "utf8");
    expect(keys.filter((key) => !docs.includes(`| \`${key}\` |`))).toEqual([]);
  });

  it("has an $id, a title and the draft 2020-12 dialect", () => {
    expect([schema.$schema, schema["$id"], schema["title"]]).toEqual([
      "https://json-schema.org/draft/2020-12/schema",
      "https://raw.githubusercontent.com/plan-sync/plan-sync/main/schema/plan-sync.schema.json",
      "plan-sync configuration",
    ]);
  });

  it("the example in the docs parses to exactly the defaults, and passes the JSON Schema", () => {
    const example = yaml.load(renderExampleConfig(schema));
    expect(parseConfig(example)).toEqual({ ok: true, config: defaultConfig() });
    expect(validateJson(example)).toBe(true);
  });
});

// Each row: a config as a user writes it (YAML), and whether the app accepts it. Both validators must agree.
const configs: [string, string, boolean][] = [
  ["an empty file", "", true],
  ["every default spelled out", "sub_issues: true\nquestions: issue\nmax_items: 500", true],
  ["custom paths and branches", "paths: ['roadmap/*.md']\nbranches: [main, release]", true],
  ["a partial labels mapping", "labels: { step: task }", true],
  ["title placeholders", "title_format: '{plan} #{number}: {title}'", true],
  ["a lone brace is text", "title_format: '{title} { draft'", true],
  [
    "ticket links",
    "ticket_links: { PLAT: 'https://jira.example.com/browse/{key}', OPS_2: 'http://x/{key}' }",
    true,
  ],
  ["max_items at the top", "max_items: 5000", true],
  ["an unknown top-level key", "pathz: ['*.md']", false],
  ["an unknown label kind", "labels: { epic: epic }", false],
  ["empty paths", "paths: []", false],
  ["an empty path", "paths: ['']", false],
  ["a blank label", "labels: { plan: '   ' }", false],
  ["a label over 50 characters", `labels: { plan: ${"x".repeat(51)} }`, false],
  ["title_format without {title}", "title_format: '{plan}'", false],
  ["an unknown placeholder", "title_format: '{title} {owner}'", false],
  ["questions out of the enum", "questions: both", false],
  ["draft out of the enum", "draft: skip", false],
  ["writeback as a boolean", "writeback: false", false],
  ["sub_issues as a string", "sub_issues: 'yes'", false],
  ["a lower-case ticket prefix", "ticket_links: { plat: 'https://x/{key}' }", false],
  ["a ticket URL without {key}", "ticket_links: { PLAT: 'https://x/browse' }", false],
  ["a ticket link that is not http", "ticket_links: { PLAT: 'ftp://x/{key}' }", false],
  ["max_items zero", "max_items: 0", false],
  ["max_items fractional", "max_items: 2.5", false],
  ["max_items over the cap", "max_items: 5001", false],
  ["a list at the top", "- paths", false],
];

describe("the zod schema and the JSON Schema accept and refuse the same configs", () => {
  it.each(configs)("%s", (_name, text, accepted) => {
    // The app treats an empty file as {} (parseConfig); editors validate the document they see.
    const document = yaml.load(text) ?? {};
    expect(parseConfig(document).ok).toBe(accepted);
    expect(validateJson(document)).toBe(accepted);
  });
});
