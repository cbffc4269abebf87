import { describe, expect, it } from "vitest";
import { owner, repo, REPO, useFakeRepo } from "./fake-repo.js";
import { octokitAs, statusOf } from "../support/octokit.js";

const fake = useFakeRepo({ "README.md": "hi\n", "plans/a.md": "# Plan: A\n", "plans/deep/b.md": "b\n" });

describe("contents, refs and trees", () => {
  it("serves a file as base64 JSON, as raw text, and at an older commit", async () => {
    const octokit = octokitAs(fake());
    const first = fake().headOf(REPO, "main");
    fake().commit(REPO, "main", { "plans/a.md": "# Plan: A, edited\n" });

    const { data } = await octokit.repos.getContent({ owner, repo, path: "plans/a.md" });
    expect(data).toMatchObject({
      type: "file",
      path: "plans/a.md",
      name: "a.md",
      encoding: "base64",
      content: `${Buffer.from("# Plan: A, edited\n").toString("base64")}\n`,
      sha: "b7b60b84b4f10dea06abc36a3d20df03db42d77b", // what `git hash-object` gives for this content
    });
    const raw = await octokit.repos.getContent({
      owner,
      repo,
      path: "plans/a.md",
      ref: first,
      mediaType: { format: "raw" },
    });
    expect(raw.data).toBe("# Plan: A\n");
    expect(await statusOf(octokit.repos.getContent({ owner, repo, path: "plans/missing.md" }))).toBe(404);
    expect(
      await statusOf(octokit.repos.getContent({ owner, repo, path: "plans/a.md", ref: "no-such-branch" })),
    ).toBe(404);
  });

  it("lists a directory", async () => {
    const { data } = await octokitAs(fake()).repos.getContent({ owner, repo, path: "plans" });
    expect((data as Array<{ type: string; path: string }>).map((entry) => [entry.type, entry.path])).toEqual([
      ["file", "plans/a.md"],
      ["dir", "plans/deep"],
    ]);
  });

  it("resolves branch refs and lists a recursive tree", async () => {
    const octokit = octokitAs(fake());
    const { data: ref } = await octokit.git.getRef({ owner, repo, ref: "heads/main" });
    expect(ref).toMatchObject({
      ref: "refs/heads/main",
      object: { sha: fake().headOf(REPO, "main"), type: "commit" },
    });
    const { data: branch } = await octokit.repos.getBranch({ owner, repo, branch: "main" });
    const { data: tree } = await octokit.git.getTree({
      owner,
      repo,
      tree_sha: branch.commit.commit.tree.sha,
      recursive: "true",
    });
    expect(tree.truncated).toBe(false);
    expect(tree.tree.map((entry) => `${entry.type} ${entry.path}`)).toEqual([
      "tree plans",
      "blob plans/a.md",
      "tree plans/deep",
      "blob plans/deep/b.md",
      "blob README.md",
    ]);
    const top = await octokit.git.getTree({ owner, repo, tree_sha: "main" });
    expect(top.data.tree.map((entry) => entry.path)).toEqual(["plans", "README.md"]);
  });

  it("writes a file on a new branch through refs and the contents API (writeback)", async () => {
    const octokit = octokitAs(fake(), "alice");
    const base = fake().headOf(REPO, "main");
    await octokit.git.createRef({ owner, repo, ref: "refs/heads/tick", sha: base });
    const current = await octokit.repos.getContent({ owner, repo, path: "plans/a.md", ref: "tick" });
    const sha = (current.data as { sha: string }).sha;
    const content = Buffer.from("# Plan: A\n- [x] done\n").toString("base64");

    expect(
      await statusOf(
        octokit.repos.createOrUpdateFileContents({
          owner,
          repo,
          path: "plans/a.md",
          branch: "tick",
          message: "m",
          content,
        }),
      ),
    ).toBe(422);
    expect(
      await statusOf(
        octokit.repos.createOrUpdateFileContents({
          owner,
          repo,
          path: "plans/a.md",
          branch: "tick",
          message: "m",
          content,
          sha: "0".repeat(40),
        }),
      ),
    ).toBe(409);
    const written = await octokit.repos.createOrUpdateFileContents({
      owner,
      repo,
      path: "plans/a.md",
      branch: "tick",
      message: "Tick",
      content,
      sha,
    });
    expect(written.status).toBe(200);
    expect(fake().fileAt(REPO, "tick", "plans/a.md")).toBe("# Plan: A\n- [x] done\n");
    expect(fake().fileAt(REPO, "main", "plans/a.md")).toBe("# Plan: A\n");
    expect(fake().headOf(REPO, "tick")).toBe(written.data.commit.sha);

    expect(await statusOf(octokit.git.updateRef({ owner, repo, ref: "heads/tick", sha: base }))).toBe(422);
    await octokit.git.updateRef({ owner, repo, ref: "heads/tick", sha: base, force: true });
    expect(fake().headOf(REPO, "tick")).toBe(base);
  });
});

describe("history and diffs", () => {
  it("compares two commits: commits in order, files with statuses, renames with the old name", async () => {
    const base = fake().headOf(REPO, "main");
    const one = fake().commit(REPO, "main", { "plans/a.md": "# Plan: A\nmore\n" });
    const two = fake().renameFile(REPO, "main", "plans/deep/b.md", "plans/b.md");
    const three = fake().commit(REPO, "main", { "plans/c.md": "c\n", "README.md": null });

    const { data } = await octokitAs(fake()).repos.compareCommitsWithBasehead({
      owner,
      repo,
      basehead: `${base}...main`,
    });
    expect(data).toMatchObject({ status: "ahead", ahead_by: 3, behind_by: 0, total_commits: 3 });
    expect(data.commits.map((commit) => commit.sha)).toEqual([one, two, three]);
    expect(
      data.files?.map((f) => [f.status, f.filename, f.previous_filename, f.additions, f.deletions]),
    ).toEqual([
      ["modified", "plans/a.md", undefined, 1, 0],
      ["renamed", "plans/b.md", "plans/deep/b.md", 0, 0],
      ["added", "plans/c.md", undefined, 1, 0],
      ["removed", "README.md", undefined, 0, 1],
    ]);
  });

  it("lists the commits that touched a path, newest first", async () => {
    const one = fake().commit(REPO, "main", { "plans/a.md": "v2\n" });
    fake().commit(REPO, "main", { "README.md": "other\n" });
    const three = fake().commit(REPO, "main", { "plans/a.md": "v3\n" });
    const { data } = await octokitAs(fake()).repos.listCommits({ owner, repo, path: "plans/a.md" });
    expect(data.map((commit) => commit.sha)).toEqual([
      three,
      one,
      fake().store.repo(owner, repo).git.history(one)[1]?.sha,
    ]);
  });

  it("lists the files of a pull request between its base and head branches", async () => {
    fake().commit(REPO, "feature", { "plans/a.md": "# Plan: A\n- [ ] new step\n" });
    fake().commit(REPO, "main", { "README.md": "moved on\n" });
    const octokit = octokitAs(fake(), "alice");
    const { data: pull } = await octokit.pulls.create({
      owner,
      repo,
      head: "feature",
      base: "main",
      title: "Plan A",
    });
    const { data: files } = await octokit.pulls.listFiles({ owner, repo, pull_number: pull.number });
    expect(files.map((file) => [file.status, file.filename])).toEqual([["modified", "plans/a.md"]]);
    const { data: fetched } = await octokit.pulls.get({ owner, repo, pull_number: pull.number });
    expect(fetched).toMatchObject({
      head: { ref: "feature", sha: fake().headOf(REPO, "feature") },
      base: { ref: "main" },
      user: { login: "alice" },
    });
    const { data: listed } = await octokit.pulls.list({ owner, repo, head: "acme:feature" });
    expect(listed.map((p) => p.number)).toEqual([pull.number]);
    expect(
      await statusOf(octokit.pulls.create({ owner, repo, head: "main", base: "main", title: "nothing" })),
    ).toBe(422);
  });
});
