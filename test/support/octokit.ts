import { Octokit } from "@octokit/rest";
import type { FakeGitHub } from "./fake-github/index.js";

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** A plain Octokit (no retry, no throttling) talking to the fake as a person. */
export function octokitAs(fake: FakeGitHub, login = "octocat"): Octokit {
  return new Octokit({ baseUrl: fake.url, auth: fake.userToken(login), log: quiet });
}

/** The HTTP status of a failed Octokit call (throws if the call succeeded). */
export async function statusOf(call: Promise<unknown>): Promise<number> {
  try {
    await call;
  } catch (error) {
    return (error as { status: number }).status;
  }
  throw new Error("expected the request to fail");
}
