import { readFileSync } from "node:fs";

/** The request side of one GitHub REST operation, as written by scripts/extract-openapi.ts. */
export interface Operation {
  operationId: string;
  method: string;
  path: string;
  pathParameters: Parameter[];
  queryParameters: Parameter[];
  body: { required: boolean; schema: JsonSchema } | null;
  statuses: number[];
}

export interface Parameter {
  name: string;
  required: boolean;
  schema: JsonSchema;
}

export type JsonSchema = { [keyword: string]: unknown };

export interface RouteMatch {
  operation: Operation;
  /** Decoded path parameters, still strings (validation coerces them). */
  params: Record<string, string>;
}

const FIXTURE = new URL("../../fixtures/openapi/operations.json", import.meta.url);

export function loadOperations(file: URL | string = FIXTURE): Operation[] {
  return (JSON.parse(readFileSync(file, "utf8")) as { operations: Operation[] }).operations;
}

/**
 * These parameters may hold slashes when they end a path (`contents/docs/plans/a.md`, `git/ref/heads/a/b`);
 * Octokit encodes them as %2F, curl and browsers do not, GitHub takes both.
 */
const GREEDY_PARAMETERS = new Set(["path", "ref", "branch", "basehead"]);

interface CompiledRoute {
  operation: Operation;
  segments: Array<{ literal: string } | { parameter: string }>;
  literalCount: number;
}

/** Matches `METHOD /raw/path` to an operation. Pure: no state besides the table. */
export class RouteTable {
  private readonly routes: CompiledRoute[];

  constructor(operations: readonly Operation[]) {
    this.routes = operations.map((operation) => {
      const segments = operation.path
        .split("/")
        .slice(1)
        .map((segment) => {
          const parameter = /^\{(\w+)\}$/.exec(segment)?.[1];
          return parameter ? { parameter } : { literal: segment };
        });
      return { operation, segments, literalCount: segments.filter((s) => "literal" in s).length };
    });
  }

  get operations(): Operation[] {
    return this.routes.map((route) => route.operation);
  }

  /** `rawPath` is the URL path as sent (still percent-encoded), without the /api/v3 prefix. */
  match(method: string, rawPath: string): RouteMatch | undefined {
    const parts = rawPath.replace(/\/+$/, "").split("/").slice(1);
    const candidates: Array<{ route: CompiledRoute; params: Record<string, string>; greedy: boolean }> = [];
    for (const route of this.routes) {
      if (route.operation.method !== method.toUpperCase()) continue;
      const matched = matchSegments(route, parts);
      if (matched) candidates.push({ route, ...matched });
    }
    // An exact-length match beats one that swallowed slashes; then the more literal template wins
    // (`issues/comments/{comment_id}` over `issues/{issue_number}`).
    candidates.sort(
      (a, b) => Number(a.greedy) - Number(b.greedy) || b.route.literalCount - a.route.literalCount,
    );
    const best = candidates[0];
    return best && { operation: best.route.operation, params: best.params };
  }
}

function matchSegments(route: CompiledRoute, parts: string[]) {
  const { segments } = route;
  const last = segments[segments.length - 1];
  const greedyTail = last !== undefined && "parameter" in last && GREEDY_PARAMETERS.has(last.parameter);
  if (parts.length < segments.length || (parts.length > segments.length && !greedyTail)) return undefined;
  const params: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    const part = parts[index] as string;
    if ("literal" in segment) {
      if (segment.literal !== part) return undefined;
      continue;
    }
    const isTail = index === segments.length - 1;
    const raw = isTail ? parts.slice(index).join("/") : part;
    if (raw === "") return undefined;
    try {
      params[segment.parameter] = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
  }
  return { params, greedy: parts.length > segments.length };
}
