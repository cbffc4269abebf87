/**
 * Writes test/fixtures/openapi/operations.json: the request side of the GitHub REST operations plan-sync
 * uses, so the fake GitHub (test/support/fake-github) can reject requests real GitHub would reject.
 *
 * `@octokit/openapi` (~385 MB) is too big to be a dependency. To refresh the fixture:
 *
 *   cd /tmp && npm pack @octokit/openapi && mkdir -p openapi && tar -xzf octokit-openapi-*.tgz -C openapi
 *   npx tsx scripts/extract-openapi.ts /tmp/openapi/package/generated/api.github.com.deref.json
 *
 * Kept per operation: method, path template, path and query parameter schemas, the JSON request body
 * schema, and the documented response status codes. Descriptions, examples and formats are dropped, and
 * OpenAPI 3.0's `nullable` is rewritten as plain JSON Schema so a stock validator (ajv) can use it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

/** The operations plan-sync calls (by operationId); add one here when the app starts using it. */
export const USED_OPERATIONS = [
  // Authentication as the app and its installations.
  "apps/get-authenticated",
  "apps/create-installation-access-token",
  "apps/get-repo-installation",
  "apps/list-repos-accessible-to-installation",
  // Reading plans: repository, branches, files, trees, history, diffs.
  "repos/get",
  "repos/get-branch",
  "repos/get-content",
  "repos/list-commits",
  "repos/get-commit",
  "repos/compare-commits-with-basehead",
  "git/get-ref",
  "git/get-tree",
  // Writeback: a branch with the ticked box, then a pull request.
  "git/create-ref",
  "git/update-ref",
  "repos/create-or-update-file-contents",
  "pulls/get",
  "pulls/list",
  "pulls/create",
  "pulls/list-files",
  // After a merge: the pull requests the pushed commit belongs to (their status comment lists the new issues).
  "repos/list-pull-requests-associated-with-commit",
  // Managed issues and their comments.
  "issues/list-for-repo",
  "issues/get",
  "issues/create",
  "issues/update",
  "issues/list-comments",
  "issues/get-comment",
  "issues/create-comment",
  "issues/update-comment",
  // Native links between issues.
  "issues/add-sub-issue",
  "issues/remove-sub-issue",
  "issues/list-sub-issues",
  "issues/get-parent",
  "issues/add-blocked-by-dependency",
  "issues/remove-dependency-blocked-by",
  "issues/list-dependencies-blocked-by",
  "issues/list-dependencies-blocking",
  // Labels and milestones named by the config.
  "issues/list-labels-for-repo",
  "issues/get-label",
  "issues/create-label",
  "issues/update-label",
  "issues/list-milestones",
  // The plan-sync check run.
  "checks/create",
  "checks/update",
  "checks/get",
  "checks/list-for-ref",
  "checks/list-annotations",
] as const;

export interface ExtractedParameter {
  name: string;
  required: boolean;
  schema: JsonSchema;
}

export interface ExtractedOperation {
  operationId: string;
  method: string;
  path: string;
  pathParameters: ExtractedParameter[];
  queryParameters: ExtractedParameter[];
  /** null when the operation takes no body. */
  body: { required: boolean; schema: JsonSchema } | null;
  statuses: number[];
}

export type JsonSchema = { [keyword: string]: unknown };

/** Keywords a validator needs; everything else (description, example, format, x-*) is dropped. */
const KEPT_KEYWORDS = new Set([
  "type",
  "enum",
  "const",
  "required",
  "minimum",
  "maximum",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "pattern",
  "uniqueItems",
]);
const SUBSCHEMA_KEYWORDS = new Set(["items", "additionalProperties", "not"]);
const SUBSCHEMA_LIST_KEYWORDS = new Set(["oneOf", "anyOf", "allOf"]);

/** OpenAPI 3.0 schema → JSON Schema (draft-07 subset) without documentation keywords. */
export function toJsonSchema(source: unknown): JsonSchema {
  if (typeof source !== "object" || source === null) return {};
  const input = source as Record<string, unknown>;
  const out: JsonSchema = {};
  for (const [keyword, value] of Object.entries(input)) {
    if (KEPT_KEYWORDS.has(keyword)) out[keyword] = value;
    else if (SUBSCHEMA_KEYWORDS.has(keyword))
      out[keyword] = typeof value === "boolean" ? value : toJsonSchema(value);
    else if (SUBSCHEMA_LIST_KEYWORDS.has(keyword) && Array.isArray(value))
      out[keyword] = value.map((entry) => toJsonSchema(entry));
    else if (keyword === "properties" && typeof value === "object" && value !== null)
      out[keyword] = Object.fromEntries(
        Object.entries(value).map(([name, schema]) => [name, toJsonSchema(schema)]),
      );
  }
  if (input["nullable"] !== true) return out;
  // `nullable` is OpenAPI-only: with a type it widens the type; around oneOf/anyOf it needs an alternative.
  if (typeof out["type"] === "string") {
    out["type"] = [out["type"], "null"];
    if (Array.isArray(out["enum"])) out["enum"] = [...out["enum"], null];
    return out;
  }
  return { anyOf: [out, { type: "null" }] };
}

function extractParameters(parameters: unknown, where: "path" | "query"): ExtractedParameter[] {
  if (!Array.isArray(parameters)) return [];
  return parameters
    .filter((parameter: Record<string, unknown>) => parameter["in"] === where)
    .map((parameter: Record<string, unknown>) => ({
      name: String(parameter["name"]),
      required: parameter["required"] === true,
      schema: toJsonSchema(parameter["schema"]),
    }));
}

function extractBody(requestBody: unknown): ExtractedOperation["body"] {
  if (typeof requestBody !== "object" || requestBody === null) return null;
  const { required, content } = requestBody as { required?: boolean; content?: Record<string, unknown> };
  const json = content?.["application/json"] as { schema?: unknown } | undefined;
  if (!json?.schema) return null;
  return { required: required === true, schema: toJsonSchema(json.schema) };
}

export function extractOperations(description: { paths: Record<string, Record<string, unknown>> }) {
  const wanted = new Set<string>(USED_OPERATIONS);
  const found: ExtractedOperation[] = [];
  for (const [path, item] of Object.entries(description.paths)) {
    for (const [method, value] of Object.entries(item)) {
      const operation = value as Record<string, unknown>;
      if (typeof operation !== "object" || !wanted.has(String(operation["operationId"]))) continue;
      found.push({
        operationId: String(operation["operationId"]),
        method: method.toUpperCase(),
        path,
        pathParameters: extractParameters(operation["parameters"], "path"),
        queryParameters: extractParameters(operation["parameters"], "query"),
        body: extractBody(operation["requestBody"]),
        statuses: Object.keys(operation["responses"] as object)
          .map(Number)
          .sort((a, b) => a - b),
      });
    }
  }
  const missing = [...wanted].filter((id) => !found.some((operation) => operation.operationId === id));
  if (missing.length > 0) throw new Error(`Not in the description: ${missing.join(", ")}`);
  return found.sort((a, b) => a.operationId.localeCompare(b.operationId));
}

function main(argv: string[]) {
  const [source, target = "test/fixtures/openapi/operations.json"] = argv;
  if (!source) {
    console.error("usage: tsx scripts/extract-openapi.ts <api.github.com.deref.json> [operations.json]");
    process.exit(2);
  }
  const description = JSON.parse(readFileSync(resolve(source), "utf8"));
  const operations = extractOperations(description);
  const text = `${JSON.stringify({ source: description.info?.version ?? "unknown", operations }, null, 1)}\n`;
  writeFileSync(resolve(target), text);
  console.log(`${operations.length} operations, ${text.length} bytes → ${target}`);
}

if (import.meta.url === `file://${resolve(process.argv[1] ?? "")}`) main(process.argv.slice(2));
