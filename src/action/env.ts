// What GitHub's runner puts in the environment of a step, read by every part of Action mode (its entry, log,
// links and outputs) — kept apart from the entry so none of them imports it back.

/** https://docs.github.com/en/actions/reference/variables-reference */
export type ActionEnv = Record<string, string | undefined>;
