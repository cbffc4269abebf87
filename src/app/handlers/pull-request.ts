// `pull_request` opened / synchronize / reopened / ready_for_review: a dry run of every plan the PR touches, shown
// in one status comment and a `plan-sync` check run on the head commit. `closed` with `merged`: the comment
// lists the issues the merge created. No PR event creates, edits or closes an issue — forks included: a fork's
// PR gets the same preview (its head commit is readable from the base repository), nothing else.
import type { Context } from "probot";
import { CONFIG_FILE } from "../../github/index.js";
import type { RepoContext } from "../../sync/model.js";
import type { AppDeps } from "../deps.js";
import { loadConfig } from "../load-config.js";
import { reportMerge } from "../workflows/merged-pull-requests.js";
import { previewPullRequest } from "../workflows/preview-pull-request.js";
import { hostOf } from "./repository.js";

export const PULL_REQUEST_EVENTS = [
  "pull_request.opened",
  "pull_request.synchronize",
  "pull_request.reopened",
  "pull_request.ready_for_review",
  "pull_request.closed",
] as const;

type PullRequestContext = Context<(typeof PULL_REQUEST_EVENTS)[number]>;

/**
 * Adds the PR's job. One event of a PR runs at a time: two at once would both find no status comment and both
 * create one. Events that wait meanwhile are handed over together, and the newest is handled (the newest head).
 */
export async function onPullRequest(context: PullRequestContext, deps: AppDeps): Promise<void> {
  const { payload } = context;
  await deps.queue.add({
    kind: "pull-request",
    installationId: payload.installation?.id ?? null,
    deliveryId: context.id,
    repo: { owner: payload.repository.owner.login, repo: payload.repository.name },
    number: payload.pull_request.number,
    name: context.name,
    payload,
  });
}

/** The PR job's work: the preview (comment and check run), or on a merge, the comment's merge section. */
export async function handlePullRequest(context: PullRequestContext, deps: AppDeps): Promise<void> {
  const { payload } = context;
  const pull = payload.pull_request;
  const repo = { owner: payload.repository.owner.login, repo: payload.repository.name };
  const botLogins = await deps.botLogins();
  const base: Omit<RepoContext, "sha"> = {
    host: hostOf(payload.repository.html_url),
    ...repo,
    branch: pull.base.ref,
    botLogins,
  };
  const github = deps.github(context.octokit, repo);
  const prs = github.pulls;
  if (payload.action === "closed") {
    if (pull.merged) {
      const sha = pull.merge_commit_sha ?? pull.head.sha;
      await reportMerge(github, prs, pull.number, { ...base, sha });
    }
    return;
  }
  const repoContext: RepoContext = { ...base, sha: pull.head.sha };
  const fork = pull.head.repo?.full_name !== payload.repository.full_name;
  context.log.info({ pull: pull.number, sha: pull.head.sha, fork }, "plan-sync: previewing pull request");
  await previewPullRequest(
    {
      github,
      prs,
      number: pull.number,
      repo: repoContext,
      log: context.log,
      parsePlan: deps.parsePlan,
      ...(deps.reporter ? { reporter: deps.reporter } : {}),
    },
    () => loadConfig(() => context.config(CONFIG_FILE)),
  );
}
