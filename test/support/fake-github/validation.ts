import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import type { JsonSchema, Operation, Parameter } from "./operations.js";

export interface ValidationOptions {
  /**
   * GitHub silently ignores body fields and query parameters it does not know, which hides typos
   * (`state_reasn`). "reject" (the default) answers 422 for them as if the schema were closed.
   */
  unknownFields: "reject" | "allow";
}

export interface ValidatedRequest {
  /** Path and query parameters with numbers and booleans coerced to their schema types. */
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body: Record<string, unknown>;
}

export type ValidationResult = { ok: true; request: ValidatedRequest } | { ok: false; problems: string[] };

interface CompiledOperation {
  path: ValidateFunction;
  query: ValidateFunction;
  body: ValidateFunction | null;
}

/** Validates requests against the extracted OpenAPI schemas; validators are compiled on first use. */
export class RequestValidator {
  // Parameters arrive as strings, so they are coerced; bodies are JSON and must already have the right types.
  private readonly parameterAjv = new Ajv({ allErrors: true, strict: false, coerceTypes: true });
  private readonly bodyAjv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  private readonly compiled = new Map<string, CompiledOperation>();

  constructor(private readonly options: ValidationOptions = { unknownFields: "reject" }) {}

  validate(
    operation: Operation,
    rawParams: Record<string, string>,
    searchParams: URLSearchParams,
    body: unknown,
  ): ValidationResult {
    const compiled = this.compile(operation);
    const params: Record<string, unknown> = { ...rawParams };
    const query: Record<string, unknown> = Object.fromEntries(searchParams.entries());
    const problems = [...check(compiled.path, params, "path"), ...check(compiled.query, query, "query")];
    const hasBody = body !== undefined && !(isEmptyObject(body) && !operation.body?.required);
    if (!compiled.body) {
      if (hasBody && this.options.unknownFields === "reject" && !isEmptyObject(body))
        problems.push("body is not accepted by this operation");
    } else if (!hasBody && operation.body?.required) {
      problems.push("body is required");
    } else if (hasBody) {
      problems.push(...check(compiled.body, body, "body"));
    }
    if (problems.length > 0) return { ok: false, problems };
    return { ok: true, request: { params, query, body: (body ?? {}) as Record<string, unknown> } };
  }

  private compile(operation: Operation): CompiledOperation {
    const key = `${operation.method} ${operation.path}`;
    const cached = this.compiled.get(key);
    if (cached) return cached;
    const closed = this.options.unknownFields === "reject";
    const body = operation.body && {
      ...operation.body.schema,
      ...(closed &&
      operation.body.schema["properties"] &&
      operation.body.schema["additionalProperties"] === undefined
        ? { additionalProperties: false }
        : {}),
    };
    const compiled: CompiledOperation = {
      path: this.parameterAjv.compile(parametersSchema(operation.pathParameters, false)),
      query: this.parameterAjv.compile(parametersSchema(operation.queryParameters, closed)),
      body: body ? this.bodyAjv.compile(body) : null,
    };
    this.compiled.set(key, compiled);
    return compiled;
  }
}

function parametersSchema(parameters: Parameter[], closed: boolean): JsonSchema {
  return {
    type: "object",
    properties: Object.fromEntries(parameters.map((parameter) => [parameter.name, parameter.schema])),
    required: parameters.filter((parameter) => parameter.required).map((parameter) => parameter.name),
    additionalProperties: !closed,
  };
}

function check(validate: ValidateFunction, data: unknown, where: string): string[] {
  if (validate(data)) return [];
  return (validate.errors ?? []).map((error) => describe(error, where));
}

function describe(error: ErrorObject, where: string): string {
  const at = `${where}${error.instancePath}`;
  if (error.keyword === "additionalProperties")
    return `${at} has unknown field '${String(error.params["additionalProperty"])}'`;
  if (error.keyword === "enum")
    return `${at} must be one of ${JSON.stringify(error.params["allowedValues"])}`;
  return `${at} ${error.message ?? error.keyword}`;
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && Object.keys(value).length === 0;
}
