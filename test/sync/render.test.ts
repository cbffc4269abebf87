// Rendered bodies of a real plan (parsed, synced through the in-memory applier): inline snapshots, so any
// change to what users see shows up in review.
import { describe, expect, test } from "vitest";
import { renderedPartOf } from "../../src/sync/body.js";
import { reconcile } from "../../src/sync/reconcile.js";
import { planDisplayTitle, stepTitle } from "../../src/sync/titles.js";
import { config } from "./plan-builder.js";
import { syncedFixture } from "./synced-fixtures.js";

describe("the rate limiter plan", () => {
  const { github, input, result } = syncedFixture("small");

  test("tracking issue", () => {
    expect(github.issue(1).title).toBe("Plan: Per-tenant API rate limiter");
    expect(renderedPartOf(github.issue(1).body)).toMatchInlineSnapshot(`
      "Tracking issue of the plan [\`plans/rate-limiter.md\`](https://github.com/acme/gateway/blob/main/plans/rate-limiter.md).

      **Status**: In Progress
      **Progress**: \`██░░░░░░░░\` 22% · 2 of 9 sub-issues closed · 1 of 6 steps done

      ## Overview
      Tenants share one API gateway, and a single noisy tenant can starve the rest. We add a token-bucket limiter per tenant in the gateway, backed by Redis, so every tenant gets a guaranteed share and bursts are absorbed without 5xx errors.

      ## Steps
      <sub>✅ done · 🔄 in progress · ⚪ to do</sub>

      ### Phase 1: Limiter core
      - ⚪ #2 Step 1.1: Token bucket script
      - ⚪ #3 Step 1.2: Limiter client with circuit breaker (mkowalski)

      ### Phase 2: Gateway integration
      - ⚪ #4 Step 2.1: Middleware
      - ⚪ #5 Step 2.2: Limits admin endpoint

      ### Phase 3: Rollout
      - ✅ #6 Step 3.1: Shadow mode
      - ⚪ #7 Step 3.2: Enforce for all tenants

      ## Open questions
      - ⚪ #8 Should internal tenants be exempt?
      - ✅ #9 Do we count requests or request cost units?
        > Requests, for now.
      - ⚪ #10 Who owns the limits admin UI?

      ## Dependencies

      ### Upstream
      - ⚪ Redis Cluster upgrade to 7.2 (blocked by: [INFRA-812](https://jira.example.com/browse/INFRA-812))
      - ✅ Verified tenant id in auth context (blocked by: #41) (#41 was closed when this issue was last updated)

      ### Downstream
      - Support team: new 429 runbook
      - SDK team: clients must honour \`Retry-After\`

      ## Step dependencies
      <sub>Arrows run from a step to the steps it unblocks · ✅ done · 🔄 in progress · ⚪ to do</sub>

      \`\`\`mermaid
      flowchart TD
        classDef todo fill:#f6f8fa,stroke:#8c959f,color:#1f2328
        classDef done fill:#dafbe1,stroke:#1a7f37,color:#1f2328
        subgraph phase0["Phase 1: Limiter core"]
          s0["⚪ 1.1 Token bucket script"]:::todo
          s1["⚪ 1.2 Limiter client with circuit…"]:::todo
        end
        subgraph phase1["Phase 2: Gateway integration"]
          s2["⚪ 2.1 Middleware"]:::todo
          s3["⚪ 2.2 Limits admin endpoint"]:::todo
        end
        subgraph phase2["Phase 3: Rollout"]
          s4["✅ 3.1 Shadow mode"]:::done
          s5["⚪ 3.2 Enforce for all tenants"]:::todo
        end
        s0 --> s1
        s1 --> s2
        s2 --> s3
        s2 --> s4
        s4 --> s5
        s3 --> s5
      \`\`\`

      ## Risks
      | Risk | Likelihood | Impact | Mitigation |
      |---|---|---|---|
      | Redis latency spikes | Medium | High | Fail-open breaker, local cache of last decision |
      | Wrong limits lock out a big tenant | Low | High | Shadow mode first, per-tenant override |"
    `);
  });

  test("step issue", () => {
    const issue = github.byItem("step:1.2");
    expect([issue.title, issue.labels, issue.assignees]).toEqual([
      "Limiter client with circuit breaker",
      ["plan-step"],
      ["mkowalski"],
    ]);
    expect(renderedPartOf(issue.body)).toMatchInlineSnapshot(`
      "Part of #1 · plan **Per-tenant API rate limiter** · Phase 1: Limiter core · Step 1.2

      ### What
      The Go client the middleware calls.

      ### Why
      Redis outages must not take the gateway down.

      ### How
      Wrap \`Decide\` in a breaker that fails open after 5 errors in 10 s.

      ### Files
      - Create: \`gateway/limiter/client.go\`
      - Modify: \`gateway/config/config.go\`

      ### Validation
      - [ ] Run \`just test-limiter\`
      - [ ] Manual test: stop Redis, requests still pass

      ### Dependencies
      Blocked by #2

      <sub>From [\`plans/rate-limiter.md\` lines 65–77](https://github.com/acme/gateway/blob/a1b2c3d/plans/rate-limiter.md#L65-L77)</sub>"
    `);
  });

  test("step with code and a checked validation box", () => {
    expect(renderedPartOf(github.byItem("step:1.1").body)).toMatchInlineSnapshot(`
      "Part of #1 · plan **Per-tenant API rate limiter** · Phase 1: Limiter core · Step 1.1

      ### What
      A Lua script that refills and takes tokens atomically.

      ### Why
      One round trip per request, no races between replicas.

      ### How
      \`EVALSHA\` with the bucket key, rate, burst and now; returns allowed and wait time.

      ### Files
      - Create: \`gateway/limiter/bucket.lua\`
      - Create: \`gateway/limiter/script.go\`

      ### Code example
      \`\`\`go
      // Decide takes one token from the tenant's bucket.
      func (l *Limiter) Decide(ctx context.Context, key string) (Decision, error) {
          // ...
      }
      \`\`\`

      ### Validation
      - [ ] Run \`just test-limiter\`
      - [ ] 1,000 concurrent takes never exceed the burst

      <sub>From [\`plans/rate-limiter.md\` lines 45–63](https://github.com/acme/gateway/blob/a1b2c3d/plans/rate-limiter.md#L45-L63)</sub>"
    `);
  });

  test("question with its answer", () => {
    const issue = github.byItem("question:question-do-we-count-requests-or-request-cost-units");
    expect([issue.title, issue.state, issue.stateReason]).toEqual([
      "Do we count requests or request cost units?",
      "closed",
      "completed",
    ]);
    expect(renderedPartOf(issue.body)).toMatchInlineSnapshot(`
      "Part of #1 · plan **Per-tenant API rate limiter** · Open question

      > Do we count requests or request cost units?

      ### Answer
      Requests, for now.

      <sub>From [\`plans/rate-limiter.md\` line 193](https://github.com/acme/gateway/blob/a1b2c3d/plans/rate-limiter.md#L193)</sub>"
    `);
  });

  test("the whole sync: writes and a fixed point", () => {
    expect(
      github.issues.map((issue) => [
        issue.number,
        issue.title,
        issue.state,
        issue.parent,
        [...issue.blockedBy],
      ]),
    ).toMatchInlineSnapshot(`
      [
        [
          1,
          "Plan: Per-tenant API rate limiter",
          "open",
          null,
          [
            "acme/gateway#41",
          ],
        ],
        [
          2,
          "Token bucket script",
          "open",
          1,
          [],
        ],
        [
          3,
          "Limiter client with circuit breaker",
          "open",
          1,
          [
            "acme/gateway#2",
          ],
        ],
        [
          4,
          "Middleware",
          "open",
          1,
          [
            "acme/gateway#3",
          ],
        ],
        [
          5,
          "Limits admin endpoint",
          "open",
          1,
          [
            "acme/gateway#4",
          ],
        ],
        [
          6,
          "Shadow mode",
          "closed",
          1,
          [
            "acme/gateway#4",
          ],
        ],
        [
          7,
          "Enforce for all tenants",
          "open",
          1,
          [
            "acme/gateway#6",
            "acme/gateway#5",
          ],
        ],
        [
          8,
          "Should internal tenants be exempt?",
          "open",
          1,
          [],
        ],
        [
          9,
          "Do we count requests or request cost units?",
          "closed",
          1,
          [],
        ],
        [
          10,
          "Who owns the limits admin UI?",
          "open",
          1,
          [],
        ],
      ]
    `);
    expect(result.writes).toBe(29);
    expect(reconcile({ ...input, issues: github.snapshot() })).toEqual([]);
  });
});

test("kiro nested checklist: sub-tasks under their parent task, named after the folder", () => {
  const { github } = syncedFixture("kiro nested");
  expect(github.issues.map((issue) => [issue.number, issue.title, issue.labels, issue.parent, issue.state]))
    .toMatchInlineSnapshot(`
    [
      [
        1,
        "Plan: notification-preferences",
        [
          "plan",
        ],
        null,
        "open",
      ],
      [
        2,
        "Set up the notification preferences module",
        [
          "plan-step",
        ],
        1,
        "closed",
      ],
      [
        3,
        "Implement preference storage",
        [
          "plan-step",
        ],
        1,
        "open",
      ],
      [
        4,
        "Create the \`notification_preferences\` table migration",
        [
          "plan-step",
        ],
        3,
        "closed",
      ],
      [
        5,
        "Implement \`PreferencesRepository\` with get and upsert",
        [
          "plan-step",
        ],
        3,
        "open",
      ],
      [
        6,
        "Write property test for upsert idempotence",
        [
          "plan-step",
          "optional",
        ],
        3,
        "open",
      ],
      [
        7,
        "Expose preferences over the API",
        [
          "plan-step",
        ],
        1,
        "open",
      ],
      [
        8,
        "Add GET and PUT \`/api/me/notification-preferences\`",
        [
          "plan-step",
        ],
        7,
        "open",
      ],
      [
        9,
        "Checkpoint - Make sure all tests pass",
        [
          "plan-step",
        ],
        1,
        "open",
      ],
    ]
  `);
  expect(renderedPartOf(github.issue(1).body)).toMatchInlineSnapshot(`
    "Tracking issue of the plan [\`.kiro/specs/notification-preferences/tasks.md\`](https://github.com/acme/gateway/blob/main/.kiro/specs/notification-preferences/tasks.md).

    **Progress**: \`███░░░░░░░\` 25% · 1 of 4 sub-issues closed · 2 of 8 steps done

    ## Steps
    <sub>✅ done · 🔄 in progress · ⚪ to do</sub>

    - ✅ #2 Step 1: Set up the notification preferences module
    - ⚪ #3 Step 2: Implement preference storage
      - ✅ #4 Step 2.1: Create the \`notification_preferences\` table migration
      - ⚪ #5 Step 2.2: Implement \`PreferencesRepository\` with get and upsert
      - ⚪ #6 Step 2.3: Write property test for upsert idempotence
    - ⚪ #7 Step 3: Expose preferences over the API
      - ⚪ #8 Step 3.1: Add GET and PUT \`/api/me/notification-preferences\`
    - ⚪ #9 Step 4: Checkpoint - Make sure all tests pass"
  `);
});

test("spec-kit task list: [P] and [US1] labels, T-ids in the tracking list", () => {
  const { github } = syncedFixture("spec-kit");
  expect(
    github.issues.map((issue) => [
      issue.number,
      issue.title,
      issue.labels.join(","),
      [...issue.blockedBy].join(","),
    ]),
  ).toMatchInlineSnapshot(`
    [
      [
        1,
        "Plan: Password reset by email",
        "plan",
        "",
      ],
      [
        2,
        "Add \`itsdangerous\` to requirements.txt",
        "plan-step",
        "",
      ],
      [
        3,
        "Add \`RESET_TOKEN_TTL\` and \`MAIL_FROM\` settings in app/config.py",
        "plan-step,parallel",
        "",
      ],
      [
        4,
        "Create \`password_reset_tokens\` table migration in migrations/versions/0007_reset_tokens.py",
        "plan-step",
        "",
      ],
      [
        5,
        "Create ResetToken model in app/models/reset_token.py",
        "plan-step,parallel",
        "",
      ],
      [
        6,
        "Implement token issue and check in app/services/reset.py",
        "plan-step,US1",
        "acme/gateway#5,acme/gateway#4",
      ],
      [
        7,
        "Add reset email template in app/templates/email/reset.html",
        "plan-step,parallel,US1",
        "",
      ],
      [
        8,
        "Add POST /password/forgot and POST /password/reset in app/routes/password.py",
        "plan-step,US1",
        "acme/gateway#6,acme/gateway#7",
      ],
      [
        9,
        "Rate-limit POST /password/forgot per address and per IP in app/routes/password.py",
        "plan-step",
        "acme/gateway#4",
      ],
    ]
  `);
});

describe("titles", () => {
  test.each([
    [{ title: "Checkout" }, "plans/x.md", "Checkout"],
    [{ title: null }, ".kiro/specs/notification-preferences/tasks.md", "notification-preferences"],
    [{ title: null }, "IMPLEMENTATION_PLAN.md", "IMPLEMENTATION_PLAN"],
    [{ title: null }, "src/search.plan.md", "search"],
    [{ title: "  " }, "docs/plans/payments/implementation-plan.md", "payments"],
  ])("plan %j at %s → %s", (plan, path, expected) => {
    expect(planDisplayTitle(plan, path)).toBe(expected);
  });

  test.each([
    ["{title}", { number: "1.2", title: "Client" }, "Client"],
    ["[{plan}] {number} {title}", { number: "1.2", title: "Client" }, "[Limiter] 1.2 Client"],
    ["[{plan}] {number} {title}", { number: null, title: "Client" }, "[Limiter] Client"],
    ["{number}: {title}", { number: "T005", title: "x".repeat(300) }, `T005: ${"x".repeat(249)}…`],
  ])("title_format %s", (format, step, expected) => {
    expect(stepTitle(step, "Limiter", config({ title_format: format }))).toBe(expected);
  });
});
