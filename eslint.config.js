// @ts-check
import js from "@eslint/js";
import regexp from "eslint-plugin-regexp";
import tseslint from "typescript-eslint";

// The functional core (plan/, sync/) never talks to GitHub: keep Octokit and Probot out.
const coreImportBan = {
  patterns: [
    {
      group: ["probot", "probot/*", "@octokit/*", "nock", "ioredis", "bullmq"],
      message: "plan/ and sync/ are pure: GitHub is reached only from src/github.",
    },
    {
      group: ["**/github/*", "**/app/*", "**/cli/*"],
      message: "Imports run app → github → sync → plan, never back.",
    },
  ],
};

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
    files: ["src/plan/**/*.ts", "src/sync/**/*.ts"],
    rules: { "no-restricted-imports": ["error", coreImportBan] },
  },
  {
    files: ["src/plan/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            ...coreImportBan.patterns,
            { group: ["**/sync/*"], message: "plan/ knows nothing of sync/." },
          ],
        },
      ],
    },
  },
);
