import { statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { toJsonSchema, USED_OPERATIONS } from "../../scripts/extract-openapi.js";
import { loadOperations, RouteTable } from "../support/fake-github/operations.js";

const FIXTURE = new URL("../fixtures/openapi/operations.json", import.meta.url);
const operations = loadOperations(FIXTURE);
const table = new RouteTable(operations);

describe("the extracted OpenAPI fixture", () => {
  it("holds exactly the operations plan-sync uses, and stays small", () => {
    expect(operations.map((operation) => operation.operationId).sort()).toEqual([...USED_OPERATIONS].sort());
    expect(statSync(FIXTURE).size).toBeLessThan(300_000);
  });

  it("keeps no OpenAPI-only or documentation keywords in any schema", () => {
    const schemas = operations.flatMap((operation) => [
      ...operation.pathParameters.map((parameter) => parameter.schema),
      ...operation.queryParameters.map((parameter) => parameter.schema),
      ...(operation.body ? [operation.body.schema] : []),
    ]);
    const keywords = new Set(schemas.flatMap(keywordsOf));
    expect([...keywords].sort()).toEqual([
      "additionalProperties",
      "anyOf",
      "enum",
      "items",
      "maxItems",
      "maxLength",
      "oneOf",
      "properties",
      "required",
      "type",
    ]);
  });

  it("names the sub-issue and dependency operations as GitHub documents them", () => {
    const routes = Object.fromEntries(operations.map((o) => [o.operationId, `${o.method} ${o.path}`]));
    expect(routes).toMatchObject({
      "issues/add-sub-issue": "POST /repos/{owner}/{repo}/issues/{issue_number}/sub_issues",
      "issues/remove-sub-issue": "DELETE /repos/{owner}/{repo}/issues/{issue_number}/sub_issue",
      "issues/add-blocked-by-dependency":
        "POST /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by",
      "issues/remove-dependency-blocked-by":
        "DELETE /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by/{issue_id}",
    });
  });
});

/** Every keyword used at schema level (not the names of properties). */
function keywordsOf(schema: unknown): string[] {
  if (typeof schema !== "object" || schema === null) return [];
  return Object.entries(schema).flatMap(([keyword, value]) => {
    if (keyword === "properties") return [keyword, ...Object.values(value as object).flatMap(keywordsOf)];
    if (Array.isArray(value) && keyword !== "enum" && keyword !== "required")
      return [keyword, ...value.flatMap(keywordsOf)];
    if (keyword === "items" || keyword === "additionalProperties") return [keyword, ...keywordsOf(value)];
    return [keyword];
  });
}

describe("toJsonSchema", () => {
  it.each([
    ["a nullable type", { type: "string", nullable: true }, { type: ["string", "null"] }],
    [
      "a nullable enum",
      { type: "string", enum: ["completed", "not_planned"], nullable: true },
      { type: ["string", "null"], enum: ["completed", "not_planned", null] },
    ],
    [
      "a nullable oneOf",
      { oneOf: [{ type: "string" }, { type: "integer" }], nullable: true },
      { anyOf: [{ oneOf: [{ type: "string" }, { type: "integer" }] }, { type: "null" }] },
    ],
    [
      "documentation keywords, but not properties that share their names",
      {
        type: "object",
        description: "drop me",
        title: "drop me",
        properties: { title: { type: "string", description: "x" }, description: { type: "string" } },
        required: ["title"],
        additionalProperties: false,
      },
      {
        type: "object",
        properties: { title: { type: "string" }, description: { type: "string" } },
        required: ["title"],
        additionalProperties: false,
      },
    ],
    ["formats and examples", { type: "string", format: "date-time", example: "2020" }, { type: "string" }],
  ])("rewrites %s", (_name, input, output) => {
    expect(toJsonSchema(input)).toEqual(output);
  });
});

describe("RouteTable.match", () => {
  it.each([
    ["GET", "/repos/acme/web/contents/docs%2Fplans%2Fa.md", "repos/get-content", { path: "docs/plans/a.md" }],
    ["GET", "/repos/acme/web/contents/docs/plans/a.md", "repos/get-content", { path: "docs/plans/a.md" }],
    ["GET", "/repos/acme/web/issues/comments/5", "issues/get-comment", { comment_id: "5" }],
    ["GET", "/repos/acme/web/issues/5/comments", "issues/list-comments", { issue_number: "5" }],
    ["GET", "/repos/acme/web/issues", "issues/list-for-repo", {}],
    ["GET", "/repos/acme/web/git/ref/heads%2Ffeature%2Fx", "git/get-ref", { ref: "heads/feature/x" }],
    ["GET", "/repos/acme/web/git/ref/heads/feature/x", "git/get-ref", { ref: "heads/feature/x" }],
    ["GET", "/repos/acme/web/commits/abc123/check-runs", "checks/list-for-ref", { ref: "abc123" }],
    ["GET", "/repos/acme/web/commits/abc123", "repos/get-commit", { ref: "abc123" }],
    [
      "GET",
      "/repos/acme/web/compare/main...feature/a",
      "repos/compare-commits-with-basehead",
      { basehead: "main...feature/a" },
    ],
    [
      "DELETE",
      "/repos/acme/web/issues/3/dependencies/blocked_by/10001",
      "issues/remove-dependency-blocked-by",
      { issue_id: "10001" },
    ],
    [
      "POST",
      "/app/installations/7/access_tokens",
      "apps/create-installation-access-token",
      { installation_id: "7" },
    ],
    ["GET", "/repos/acme/web/labels/needs%20triage", "issues/get-label", { name: "needs triage" }],
    ["GET", "/repos/acme/web/issues/3/", "issues/get", { issue_number: "3" }],
  ])("%s %s → %s", (method, path, operationId, params) => {
    const match = table.match(method, path);
    expect(match?.operation.operationId).toBe(operationId);
    expect(match?.params).toMatchObject(params);
  });

  it.each([
    ["GET", "/repos/acme/web/hooks"],
    ["POST", "/repos/acme/web/issues/3"],
    ["GET", "/repos/acme/web/issues/3/extra/segments"],
    ["GET", "/graphql"],
    ["PUT", "/repos/acme/web/issues/3/labels"],
  ])("%s %s is not a route", (method, path) => {
    expect(table.match(method, path)).toBeUndefined();
  });
});
