import { afterEach, beforeEach } from "vitest";
import type { FileChanges } from "../support/fake-github/git.js";
import { FakeGitHub } from "../support/fake-github/index.js";

export const owner = "acme";
export const repo = "web";
export const REPO = `${owner}/${repo}`;

/** A fresh fake with acme/web for every test; each test must end with no unexpected or invalid request. */
export function useFakeRepo(files?: FileChanges): () => FakeGitHub {
  let fake: FakeGitHub | undefined;
  beforeEach(async () => {
    fake = await FakeGitHub.start();
    fake.addRepo({ owner, name: repo, ...(files ? { files } : {}) });
  });
  afterEach(async () => {
    try {
      fake?.assertNoUnexpectedRequests();
    } finally {
      await fake?.close();
    }
  });
  return () => {
    if (!fake) throw new Error("useFakeRepo: the fake runs only inside a test");
    return fake;
  };
}
