import { describe, expect, it } from "vitest";
import { loadOperations } from "../support/fake-github/operations.js";
import { RequestValidator } from "../support/fake-github/validation.js";

const operations = new Map(loadOperations().map((operation) => [operation.operationId, operation]));
const strict = new RequestValidator({ unknownFields: "reject" });
const lenient = new RequestValidator({ unknownFields: "allow" });

function validate(
  validator: RequestValidator,
  operationId: string,
  input: { params?: Record<string, string>; query?: string; body?: unknown },
) {
  const operation = operations.get(operationId);
  if (!operation) throw new Error(`no ${operationId} in the fixture`);
  const params = { owner: "acme", repo: "web", issue_number: "3", ...input.params };
  return validator.validate(operation, params, new URLSearchParams(input.query ?? ""), input.body);
}

const annotation = { path: "a.md", start_line: 1, end_line: 1, annotation_level: "warning", message: "m" };

describe("RequestValidator", () => {
  it.each([
    ["issues/create", { body: { title: "x", labels: ["plan", { name: "step" }], milestone: null } }],
    ["issues/update", { body: { state: "closed", state_reason: "not_planned" } }],
    ["issues/update", { body: { state_reason: null, body: null, milestone: 2 } }],
    ["issues/add-sub-issue", { body: { sub_issue_id: 10042, replace_parent: true } }],
    ["issues/add-blocked-by-dependency", { body: { issue_id: 10042 } }],
    [
      "issues/list-for-repo",
      { query: "creator=plan-sync%5Bbot%5D&labels=plan,step&state=all&per_page=100&page=2" },
    ],
    [
      "checks/create",
      {
        body: {
          name: "plan-sync",
          head_sha: "abc",
          output: { title: "t", summary: "s", annotations: [annotation] },
        },
      },
    ],
    [
      "checks/update",
      { params: { check_run_id: "12" }, body: { status: "completed", conclusion: "success" } },
    ],
    ["apps/create-installation-access-token", { params: { installation_id: "7" } }],
    ["apps/create-installation-access-token", { params: { installation_id: "7" }, body: {} }],
  ])("accepts %s %j", (operationId, input) => {
    expect(validate(strict, operationId, input)).toMatchObject({ ok: true });
  });

  it.each([
    [
      "issues/create",
      { body: { titel: "x" } },
      ["body must have required property 'title'", "body has unknown field 'titel'"],
    ],
    ["issues/create", {}, ["body is required"]],
    ["issues/update", { body: { state: "done" } }, ['body/state must be one of ["open","closed"]']],
    ["issues/update", { body: { state_reasn: "completed" } }, ["body has unknown field 'state_reasn'"]],
    ["issues/update", { body: { labels: "plan" } }, ["body/labels must be array"]],
    ["issues/add-sub-issue", { body: { sub_issue_id: "12" } }, ["body/sub_issue_id must be integer"]],
    [
      "issues/add-sub-issue",
      { body: { issue_id: 12 } },
      ["body must have required property 'sub_issue_id'", "body has unknown field 'issue_id'"],
    ],
    ["issues/get", { params: { issue_number: "abc" } }, ["path/issue_number must be integer"]],
    ["issues/list-for-repo", { query: "per_page=lots" }, ["query/per_page must be integer"]],
    ["issues/list-for-repo", { query: "state=done" }, ['query/state must be one of ["open","closed","all"]']],
    ["issues/list-for-repo", { query: "perpage=100" }, ["query has unknown field 'perpage'"]],
    ["issues/get", { body: { title: "x" } }, ["body is not accepted by this operation"]],
    [
      "checks/create",
      {
        body: {
          name: "plan-sync",
          head_sha: "abc",
          output: { title: "t", summary: "s", annotations: Array(51).fill(annotation) },
        },
      },
      ["body/output/annotations must NOT have more than 50 items"],
    ],
  ])("rejects %s %j", (operationId, input, problems) => {
    expect(validate(strict, operationId, input)).toEqual({ ok: false, problems });
  });

  it("lets unknown fields through when asked to behave like GitHub", () => {
    expect(validate(lenient, "issues/update", { body: { state_reasn: "completed" } })).toMatchObject({
      ok: true,
    });
    expect(validate(lenient, "issues/list-for-repo", { query: "perpage=100" })).toMatchObject({ ok: true });
    expect(validate(lenient, "issues/update", { body: { state: "done" } })).toMatchObject({ ok: false });
  });

  it("coerces path and query parameters to their schema types", () => {
    const result = validate(strict, "issues/list-comments", { query: "per_page=100&page=2" });
    expect(result).toEqual({
      ok: true,
      request: {
        params: { owner: "acme", repo: "web", issue_number: 3 },
        query: { per_page: 100, page: 2 },
        body: {},
      },
    });
  });
});
