import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError } from "./api-error.js";
import type { Credentials, Identity } from "./auth.js";
import type { Faults, FaultRequest } from "./faults.js";
import type { RouteTable } from "./operations.js";
import type { RouteContext, RouteHandlers, RouteResult } from "./routes/context.js";
import type { Shapes } from "./shapes.js";
import type { LoggedRequest, RequestLog } from "./request-log.js";
import type { Store } from "./store.js";
import type { RequestValidator } from "./validation.js";

export interface Dispatcher {
  store: Store;
  shapes: Shapes;
  credentials: Credentials;
  faults: Faults;
  table: RouteTable;
  validator: RequestValidator;
  handlers: RouteHandlers;
  log: RequestLog;
  publicUrl: () => string;
}

const API_PREFIX = "/api/v3";

/** One HTTP request: route → authenticate → validate → faults and budget → handler → log. */
export async function dispatch(d: Dispatcher, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? "/", "http://fake.invalid");
  const path = url.pathname.startsWith(API_PREFIX)
    ? url.pathname.slice(API_PREFIX.length) || "/"
    : url.pathname;
  const method = (req.method ?? "GET").toUpperCase();
  const rawBody = await readBody(req);
  const entry = d.log.start({
    method,
    path,
    route: null,
    operationId: null,
    status: 0,
    query: Object.fromEntries(url.searchParams.entries()),
    body: rawBody === "" ? undefined : rawBody,
    actor: null,
    outcome: "ok",
    problems: [],
  });
  const answer = (result: RouteResult, outcome: LoggedRequest["outcome"], problems: string[] = []) => {
    entry.status = result.status;
    entry.outcome = outcome;
    entry.problems = problems;
    send(res, result);
  };
  const fail = (error: ApiError, outcome: LoggedRequest["outcome"], problems = [error.message]) =>
    answer({ status: error.status, body: error.toJSON(), headers: error.headers }, outcome, problems);

  const match = d.table.match(method, path);
  if (!match) return fail(new ApiError(404, "Not Found"), "unexpected", [`no route for ${method} ${path}`]);
  const { operation } = match;
  entry.route = operation.path;
  entry.operationId = operation.operationId;

  let body: unknown;
  try {
    body = rawBody === "" ? undefined : JSON.parse(rawBody);
    entry.body = body;
  } catch {
    return fail(new ApiError(400, "Problems parsing JSON"), "invalid");
  }
  let identity: Identity;
  try {
    identity = d.credentials.identify(req.headers.authorization);
    entry.actor = describeIdentity(identity);
  } catch (error) {
    return fail(error as ApiError, "error");
  }
  const validation = d.validator.validate(operation, match.params, url.searchParams, body);
  if (!validation.ok)
    return fail(
      new ApiError(422, `Invalid request.\n\n${validation.problems.join("\n")}`),
      "invalid",
      validation.problems,
    );

  const { params, query, body: input } = validation.request;
  const faultRequest: FaultRequest = {
    method,
    route: operation.path,
    operationId: operation.operationId,
    params,
    query,
    body: input,
  };
  const latency = d.faults.latencyFor(faultRequest);
  if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
  const early = d.faults.take(faultRequest, "before");
  if (early) return fail(early, "fault");
  if (isContentWrite(method, operation.operationId)) {
    const spent = d.faults.spendWrite(entry.actor ?? "anonymous");
    if (spent) return fail(spent, "fault");
  }

  const handler = d.handlers[operation.operationId];
  if (!handler)
    return fail(new ApiError(404, "Not Found"), "unexpected", [
      `the fake has no handler for ${operation.operationId}`,
    ]);
  const publicUrl = new URL(`${API_PREFIX}${path}${url.search}`, d.publicUrl());
  const context: RouteContext = {
    store: d.store,
    shapes: d.shapes,
    credentials: d.credentials,
    identity,
    params,
    query,
    body: input,
    accept: String(req.headers.accept ?? ""),
    url: publicUrl,
  };
  let result: RouteResult;
  try {
    result = handler(context);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return fail(error, "error");
  }
  const late = d.faults.take(faultRequest, "afterCommit");
  if (late) return fail(late, "fault", [`${late.message} (after the change was made)`]);
  answer(result, "ok");
}

/** GitHub's secondary limits count content-creating requests; minting a token is not one. */
function isContentWrite(method: string, operationId: string): boolean {
  return method !== "GET" && method !== "HEAD" && operationId !== "apps/create-installation-access-token";
}

function describeIdentity(identity: Identity): string | null {
  if (identity.kind === "user") return identity.user.login;
  if (identity.kind === "installation") return identity.app.bot.login;
  if (identity.kind === "app") return `app:${identity.app.slug}`;
  return null;
}

function send(res: ServerResponse, result: RouteResult) {
  const headers: Record<string, string> = {
    "x-github-request-id": `FAKE:${Date.now().toString(36)}`,
    ...result.headers,
  };
  if (result.raw) {
    res.writeHead(result.status, { ...headers, "content-type": result.raw.contentType });
    res.end(result.raw.text);
  } else if (result.body === undefined) {
    res.writeHead(result.status, headers);
    res.end();
  } else {
    res.writeHead(result.status, { ...headers, "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(result.body));
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
