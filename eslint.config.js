// @ts-check
import js from "@eslint/js";
import regexp from "eslint-plugin-regexp";
import tseslint from "typescript-eslint";

// The layers, each importing only those below it: runtime → app → github → sync → plan (src/cli and src/action are
// entry points on top). The functional core (plan/, sync/) never talks to GitHub: Octokit and Probot stay out.
const LAYERS = ["runtime", "app", "github", "sync", "plan"];
const ENTRIES = ["cli", "action"];
const SHELL_LIBRARIES = ["probot", "probot/*", "@octokit/*", "nock", "ioredis", "bullmq"];

/** `no-restricted-imports` for the files of `layer`: nothing from a layer above it, or an entry point. */
function layerRule(layer) {
  const above = [...ENTRIES, ...LAYERS.slice(0, LAYERS.indexOf(layer))];
  const patterns = [
    {
      group: above.map((name) => `**/${name}/**`),
      message: `Imports run ${LAYERS.join(" → ")}, never back: src/${layer} imports only the layers after it.`,
    },
  ];
  if (layer === "plan" || layer === "sync")
    patterns.push({
      group: SHELL_LIBRARIES,
      message: "plan/ and sync/ are pure: GitHub is reached only from src/github.",
    });
  return {
    files: [`src/${layer}/**/*.ts`],
    rules: { "no-restricted-imports": ["error", { patterns }] },
  };
}

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "coverage/", "action/dist/", "test/fixtures/openapi/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  ...LAYERS.map(layerRule),
  {
    // Hostile markdown of a few bytes must never cost seconds (issue #14): no pattern may
    // backtrack super-linearly, whether it is matched once (backtracking) or moved along a line.
    files: ["src/**/*.ts", "scripts/**/*.ts", "bench/**/*.ts"],
    plugins: { regexp },
    rules: {
      "regexp/no-super-linear-backtracking": "error",
      "regexp/no-super-linear-move": "error",
    },
  },
  {
    files: ENTRIES.map((entry) => `src/${entry}/**/*.ts`),
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ENTRIES.map((name) => `**/${name}/**`),
              message: "Entry points do not import each other.",
            },
          ],
        },
      ],
    },
  },
);
