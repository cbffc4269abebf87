import { ApiError, notFound } from "../api-error.js";
import type { Annotation, CheckRun } from "../store.js";
import {
  actorOf,
  json,
  paginate,
  paginated,
  repoOf,
  type RouteContext,
  type RouteHandlers,
} from "./context.js";
import { commitAt } from "./repos.js";

interface CheckRunFields {
  name?: string;
  head_sha?: string;
  status?: string;
  conclusion?: string;
  details_url?: string;
  external_id?: string;
  started_at?: string;
  completed_at?: string;
  output?: { title?: string; summary?: string; text?: string; annotations?: Annotation[] };
}

function checkRunOf(context: RouteContext): CheckRun {
  const run = context.store.checkRuns.get(Number(context.params["check_run_id"]));
  if (!run || run.repo !== repoOf(context)) throw notFound();
  return run;
}

/** Applies create/update fields. A conclusion completes the run; annotations accumulate across requests. */
function apply(context: RouteContext, run: CheckRun, fields: CheckRunFields) {
  run.bodies.push(structuredClone(fields as Record<string, unknown>));
  if (fields.name !== undefined) run.name = fields.name;
  if (fields.details_url !== undefined) run.detailsUrl = fields.details_url;
  if (fields.external_id !== undefined) run.externalId = fields.external_id;
  if (fields.started_at !== undefined) run.startedAt = fields.started_at;
  if (fields.status !== undefined) run.status = fields.status;
  if (fields.conclusion !== undefined) {
    run.conclusion = fields.conclusion;
    run.status = "completed";
  }
  if (run.status === "completed")
    run.completedAt = fields.completed_at ?? run.completedAt ?? context.store.now();
  if (fields.output) {
    const { title, summary, text, annotations } = fields.output;
    if (title !== undefined) run.output.title = title;
    if (summary !== undefined) run.output.summary = summary;
    if (text !== undefined) run.output.text = text;
    run.annotations.push(...(annotations ?? []));
  }
}

export const checkRoutes: RouteHandlers = {
  "checks/create": (context) => {
    const repo = repoOf(context);
    const actor = actorOf(context);
    if (!actor.app) throw new ApiError(403, "You must authenticate via a GitHub App.");
    const fields = context.body as CheckRunFields;
    const commit = repo.git.resolve(String(fields.head_sha));
    if (!commit || commit.sha !== fields.head_sha)
      throw new ApiError(422, "Validation Failed", [
        { resource: "CheckRun", code: "invalid", field: "head_sha" },
      ]);
    const run: CheckRun = {
      id: context.store.nextId(),
      repo,
      name: String(fields.name),
      headSha: commit.sha,
      status: "queued",
      conclusion: null,
      output: { title: null, summary: null, text: null },
      annotations: [],
      detailsUrl: null,
      externalId: null,
      startedAt: context.store.now(),
      completedAt: null,
      app: actor.app,
      bodies: [],
    };
    apply(context, run, fields);
    context.store.checkRuns.set(run.id, run);
    return json(context.shapes.checkRun(run), 201);
  },

  "checks/update": (context) => {
    const run = checkRunOf(context);
    actorOf(context);
    apply(context, run, context.body as CheckRunFields);
    return json(context.shapes.checkRun(run));
  },

  "checks/get": (context) => json(context.shapes.checkRun(checkRunOf(context))),

  "checks/list-for-ref": (context) => {
    const repo = repoOf(context);
    const commit = commitAt(repo, String(context.params["ref"]));
    const { check_name: name, status } = context.query;
    let runs = [...context.store.checkRuns.values()]
      .filter((run) => run.repo === repo && run.headSha === commit.sha)
      .filter(
        (run) => (name === undefined || run.name === name) && (status === undefined || run.status === status),
      )
      .reverse();
    // filter=latest (the default) keeps the newest run of each name.
    if (context.query["filter"] !== "all")
      runs = runs.filter((run, index) => runs.findIndex((other) => other.name === run.name) === index);
    const { items, headers } = paginate(context, runs);
    return {
      status: 200,
      headers,
      body: { total_count: runs.length, check_runs: items.map((run) => context.shapes.checkRun(run)) },
    };
  },

  "checks/list-annotations": (context) => {
    const run = checkRunOf(context);
    return paginated(context, run.annotations, (annotation) => ({
      start_column: null,
      end_column: null,
      title: null,
      raw_details: null,
      ...annotation,
      blob_href: `${context.shapes.html}/${run.repo.fullName}/blob/${run.headSha}/${annotation.path}`,
    }));
  },
};
