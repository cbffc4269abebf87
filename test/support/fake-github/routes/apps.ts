import { ApiError, notFound } from "../api-error.js";
import type { AppRecord } from "../store.js";
import { json, paginate, type RouteContext, type RouteHandlers } from "./context.js";

/** Routes that need the app's JWT (not an installation token). */
function appOf(context: RouteContext): AppRecord {
  if (context.identity.kind !== "app") throw new ApiError(401, "A JSON web token could not be decoded");
  return context.identity.app;
}

export const appRoutes: RouteHandlers = {
  "apps/get-authenticated": (context) => json(context.shapes.app(appOf(context))),

  "apps/create-installation-access-token": (context) => {
    const app = appOf(context);
    const installation = context.store.installations.get(Number(context.params["installation_id"]));
    if (!installation || installation.appId !== app.id) throw notFound();
    const token = context.credentials.issueInstallationToken(installation);
    return json(
      {
        ...token,
        permissions: context.shapes.app(app).permissions,
        repository_selection: "selected",
      },
      201,
    );
  },

  "apps/get-repo-installation": (context) => {
    const app = appOf(context);
    const repo = context.store.repo(String(context.params["owner"]), String(context.params["repo"]));
    const installation =
      repo.installationId === null ? undefined : context.store.installations.get(repo.installationId);
    if (!installation || installation.appId !== app.id) throw notFound();
    return json(context.shapes.installation(installation));
  },

  "apps/list-repos-accessible-to-installation": (context) => {
    const { identity } = context;
    if (identity.kind !== "installation") throw new ApiError(403, "Resource not accessible by integration");
    const repos = [...context.store.repos.values()].filter(
      (repo) => repo.installationId === identity.installation.id,
    );
    const { items, headers } = paginate(context, repos);
    return {
      status: 200,
      body: {
        total_count: repos.length,
        repository_selection: "selected",
        repositories: items.map((repo) => context.shapes.repo(repo)),
      },
      headers,
    };
  },
};
