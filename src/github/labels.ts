// Labels created on first use, once per run: one list of the repository's labels, then a create for each label
// our writes need that is missing. GitHub would create a missing label itself when an issue is given it, but
// grey and without a description; ours get a colour and say what they are for.
import { statusOf, type GitHubClient, type RepoRef } from "./client.js";

export interface LabelStyle {
  color: string;
  description: string;
}

export class LabelCache {
  /** Lower-cased names known to exist; null until the first list. */
  private known: Set<string> | null = null;

  constructor(
    private readonly octokit: GitHubClient,
    private readonly repo: RepoRef,
    private readonly styleOf: (name: string) => LabelStyle,
  ) {}

  /** Makes sure every label in `names` exists (no request when all are known). */
  async ensure(names: string[]): Promise<void> {
    if (names.length === 0) return;
    if (this.known && names.every((name) => this.known?.has(name.toLowerCase()))) return;
    const known = this.known ?? (await this.list());
    this.known = known;
    for (const name of names) {
      if (known.has(name.toLowerCase())) continue;
      await this.create(name);
      known.add(name.toLowerCase());
    }
  }

  private async list(): Promise<Set<string>> {
    const labels = await this.octokit.paginate(this.octokit.rest.issues.listLabelsForRepo, {
      ...this.repo,
      per_page: 100,
    });
    return new Set(labels.map((label) => label.name.toLowerCase()));
  }

  private async create(name: string): Promise<void> {
    try {
      await this.octokit.rest.issues.createLabel({ ...this.repo, name, ...this.styleOf(name) });
    } catch (error) {
      // Someone (or another sync) created it since our list: that is what we wanted.
      if (statusOf(error) !== 422) throw error;
    }
  }
}

/** Colours for the labels plan-sync names in the config; a step's own labels get a neutral one. */
export function labelStyles(kinds: {
  plan: string;
  step: string;
  question: string;
}): (name: string) => LabelStyle {
  const styles = new Map<string, LabelStyle>([
    [kinds.plan.toLowerCase(), { color: "5319e7", description: "Tracking issue of a plan (plan-sync)" }],
    [kinds.step.toLowerCase(), { color: "1d76db", description: "A step of a plan (plan-sync)" }],
    [
      kinds.question.toLowerCase(),
      { color: "d876e3", description: "An open question of a plan (plan-sync)" },
    ],
  ]);
  return (name) =>
    styles.get(name.toLowerCase()) ?? { color: "ededed", description: "Set by plan-sync from a plan" };
}

/** Milestone titles → numbers, listed once per run. A milestone the repository lacks is left off (logged). */
export class MilestoneCache {
  private byTitle: Map<string, number> | null = null;

  constructor(
    private readonly octokit: GitHubClient,
    private readonly repo: RepoRef,
  ) {}

  async numberOf(title: string): Promise<number | null> {
    if (!this.byTitle) {
      const milestones = await this.octokit.paginate(this.octokit.rest.issues.listMilestones, {
        ...this.repo,
        state: "all",
        per_page: 100,
      });
      this.byTitle = new Map(milestones.map((milestone) => [milestone.title, milestone.number]));
    }
    return this.byTitle.get(title) ?? null;
  }
}
