import { describe, expect, test } from "vitest";
import { z } from "zod";
import { configSchema, DEFAULT_PLAN_PATHS, isPlanPath, parseConfig } from "../../src/sync/config.js";
import { config } from "./plan-builder.js";

describe("parseConfig", () => {
  test("an empty file gives every default", () => {
    expect(parseConfig(null)).toEqual({
      ok: true,
      config: {
        paths: [...DEFAULT_PLAN_PATHS],
        branches: [],
        labels: { plan: "plan", step: "plan-step", question: "question" },
        title_format: "{title}",
        sub_issues: true,
        dependencies: true,
        questions: "issue",
        draft: "preview",
        close_removed: true,
        writeback: "off",
        ticket_links: {},
        max_items: 500,
        max_plans_per_push: 100,
        allow_mass_close: false,
        mass_close_share: 0.5,
        mass_close_min_items: 3,
      },
    });
  });

  test("a partial labels mapping keeps the other defaults", () => {
    const result = parseConfig({ labels: { step: "task" }, questions: "list" });
    expect(result.ok && result.config.labels).toEqual({ plan: "plan", step: "task", question: "question" });
    expect(result.ok && result.config.questions).toBe("list");
  });

  test.each([
    [{ pathz: ["x"] }, ['(top level): unknown key "pathz"']],
    [{ labels: { plan: "p", colour: "red" } }, ['labels: unknown key "colour"']],
    [{ sub_issues: "yes" }, ['sub_issues: expected boolean, got string "yes"']],
    [{ labels: { plan: 3 } }, ["labels.plan: expected string, got number 3"]],
    [{ paths: "plans/*.md" }, ['paths: expected array, got string "plans/*.md"']],
    [{ paths: [] }, ["paths: Too small: expected array to have >=1 items"]],
    [{ questions: "comment" }, ['questions: Invalid option: expected one of "issue"|"list"']],
    [{ max_items: 2.5 }, ["max_items: expected int, got number 2.5"]],
    [{ title_format: "[{plan}] {number}" }, ["title_format: must contain {title}"]],
    [
      { title_format: "{title} ({owner})" },
      ["title_format: may use only the placeholders {plan}, {number}, {title}"],
    ],
    [
      { ticket_links: { PLAT: "https://jira.example.com/browse/" } },
      ["ticket_links.PLAT: must contain the placeholder {key}"],
    ],
    [
      { ticket_links: { plat: "https://jira.example.com/{key}" } },
      ["ticket_links.plat: must be an upper-case ticket prefix such as PLAT"],
    ],
    [[1, 2], ["(top level): expected object, got a list"]],
  ])("%j is refused: %j", (raw, errors) => {
    expect(parseConfig(raw)).toEqual({ ok: false, errors });
  });

  test("several problems are all reported", () => {
    const result = parseConfig({ draft: "maybe", close_removed: 1, extra: true });
    expect(result.ok ? [] : result.errors).toEqual([
      'draft: Invalid option: expected one of "preview"|"sync"',
      "close_removed: expected boolean, got number 1",
      '(top level): unknown key "extra"',
    ]);
  });

  test("every field is documented for the JSON Schema", () => {
    const undocumented = Object.entries(configSchema.shape)
      .filter(([, field]) => !field.description)
      .map(([name]) => name);
    expect(undocumented).toEqual([]);
    const jsonSchema = z.toJSONSchema(configSchema, { io: "input" }) as {
      properties: Record<
        string,
        { description?: string; properties?: Record<string, { description?: string }> }
      >;
      additionalProperties: boolean;
    };
    expect(jsonSchema.additionalProperties).toBe(false);
    expect(jsonSchema.properties["labels"]?.properties?.["step"]?.description).toBe(
      "Label of every step (task) issue.",
    );
    expect(Object.values(jsonSchema.properties).every((field) => Boolean(field.description))).toBe(true);
  });
});

describe("isPlanPath", () => {
  test.each([
    ["plans/limiter.md", true],
    ["plans/q3/limiter.md", true],
    ["docs/plans/a.md", true],
    ["src/feature.plan.md", true],
    ["specs/001-auth/tasks.md", true],
    [".kiro/specs/notifications/tasks.md", true],
    ["IMPLEMENTATION_PLAN.md", true],
    ["services/api/implementation-plan.md", true],
    ["README.md", false],
    ["docs/guide.md", false],
    ["plans/diagram.png", false],
    ["specs/001-auth/spec.md", false],
  ])("%s → %s with the default paths", (path, expected) => {
    expect(isPlanPath(config(), path)).toBe(expected);
  });

  test("the config's globs replace the defaults", () => {
    const custom = config({ paths: ["roadmap/*.md"] });
    expect([isPlanPath(custom, "roadmap/q1.md"), isPlanPath(custom, "plans/a.md")]).toEqual([true, false]);
  });
});
