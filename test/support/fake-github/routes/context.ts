import { ApiError, notFound } from "../api-error.js";
import type { Identity } from "../auth.js";
import type { Shapes } from "../shapes.js";
import type { Actor, Repo, Store } from "../store.js";
import type { Credentials } from "../auth.js";

/** What a route handler gets: validated input, who is asking, and the fake's state. */
export interface RouteContext {
  store: Store;
  shapes: Shapes;
  credentials: Credentials;
  identity: Identity;
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body: Record<string, unknown>;
  /** The `accept` header, for media types such as `application/vnd.github.raw`. */
  accept: string;
  /** The public URL of this request, for pagination links. */
  url: URL;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  /** Sent as is instead of JSON (raw file contents). */
  raw?: { text: string; contentType: string };
  headers?: Record<string, string>;
}

export type RouteHandler = (context: RouteContext) => RouteResult;

/** operationId → handler. */
export type RouteHandlers = Record<string, RouteHandler>;

export const json = (body: unknown, status = 200): RouteResult => ({ status, body });

/** The person or bot a write is attributed to; app JWTs and anonymous requests may not write content. */
export function actorOf(context: RouteContext): Actor {
  const { identity } = context;
  if (identity.kind === "user") return { user: identity.user, app: null };
  if (identity.kind === "installation") return { user: identity.app.bot, app: identity.app };
  if (identity.kind === "anonymous") throw new ApiError(401, "Requires authentication");
  throw new ApiError(403, "Resource not accessible by integration");
}

/** The repository named by the path, if this identity can see it (GitHub answers 404 otherwise). */
export function repoOf(context: RouteContext): Repo {
  const repo = context.store.repo(String(context.params["owner"]), String(context.params["repo"]));
  const { identity } = context;
  if (identity.kind === "anonymous") throw new ApiError(401, "Requires authentication");
  if (identity.kind === "app") throw new ApiError(403, "Resource not accessible by integration");
  if (identity.kind === "installation" && repo.installationId !== identity.installation.id) throw notFound();
  return repo;
}

/** One page of `items` plus GitHub's `Link` header; per_page defaults to 30 and is capped at 100. */
export function paginate<T>(
  context: RouteContext,
  items: readonly T[],
): { items: T[]; headers: Record<string, string> } {
  const perPage = Math.min(100, Math.max(1, Number(context.query["per_page"] ?? 30)));
  const page = Math.max(1, Number(context.query["page"] ?? 1));
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (n: number, rel: string) => {
    const url = new URL(context.url);
    url.searchParams.set("per_page", String(perPage));
    url.searchParams.set("page", String(n));
    return `<${url.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, "prev"));
  if (page < last) links.push(link(page + 1, "next"), link(last, "last"));
  if (page > 1) links.push(link(1, "first"));
  return {
    items: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length > 0 ? { link: links.join(", ") } : {},
  };
}

export function paginated<T>(
  context: RouteContext,
  items: readonly T[],
  render: (item: T) => unknown,
): RouteResult {
  const { items: page, headers } = paginate(context, items);
  return { status: 200, body: page.map(render), headers };
}
