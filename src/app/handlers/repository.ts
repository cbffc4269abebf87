// What every handler reads off a webhook's repository.

/** The host of the repository's web address (`github.com`, or a GitHub Enterprise host), for links. */
export function hostOf(htmlUrl: string): string {
  try {
    return new URL(htmlUrl).host;
  } catch {
    return "github.com";
  }
}
