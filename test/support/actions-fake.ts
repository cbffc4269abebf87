// A fake GitHub as a workflow sees it: the workflow's GITHUB_TOKEN is an installation token of the GitHub
// Actions app, installed on the workflow's repositories (here under `acme`).
import { FakeGitHub } from "./fake-github/index.js";

export async function startFakeForActions(repos: string[]): Promise<{ fake: FakeGitHub; token: string }> {
  const fake = await FakeGitHub.start();
  fake.addApp({ id: 15368, slug: "github-actions" });
  const installation = fake.addInstallation({ id: 900, appId: 15368, account: "acme" });
  for (const name of repos) fake.addRepo({ owner: "acme", name, installationId: installation.id });
  return { fake, token: fake.credentials.issueInstallationToken(installation).token };
}
