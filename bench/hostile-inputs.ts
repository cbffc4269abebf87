// Worst cases for a markdown plan parser (issue #14), each grown to just under 64 KiB: repeated
// container markers, brackets, emphasis runs, backticks, spaces around titles, long lines, deep
// nesting and CRLF. Shared by `npm run bench -- hostile` and the hostile-growth test.

export const HOSTILE_BYTES = 64 * 1024 - 1024;

/** Each case: a name and `make(n)`, a text growing with n (about linearly in bytes). */
export const HOSTILE_CASES: [name: string, make: (n: number) => string][] = [
  ["list markers, one space", (n) => `${"- ".repeat(n)}x\n`],
  ["list markers, two spaces", (n) => `${"-  ".repeat(n)}x\n`],
  ["ordered markers", (n) => `${"1. ".repeat(n)}x\n`],
  ["quote markers", (n) => `${"> ".repeat(n)}x\n`],
  ["quote and list markers", (n) => `${"> - ".repeat(n)}x\n`],
  ["open brackets", (n) => `${"[".repeat(n)}x\n`],
  ["bracket pairs without a link", (n) => `${"[a]".repeat(n)}(\n`],
  ["links left open", (n) => `${"[a](".repeat(n)}x\n`],
  ["emphasis runs", (n) => `${"*".repeat(n)}x\n`],
  ["alternating emphasis", (n) => `${"*a_".repeat(n)}x\n`],
  ["strong openers", (n) => `${"**a ".repeat(n)}x\n`],
  ["backticks", (n) => `${"`".repeat(n)}x\n`],
  [
    "backtick runs of growing length",
    (n) => Array.from({ length: Math.sqrt(n) | 0 }, (_, i) => "`".repeat(i + 1)).join("a") + "\n",
  ],
  ["spaces after a title", (n) => `# Plan${" ".repeat(n)}x\n`],
  ["spaces after a step title", (n) => `## Step 1: Title${" ".repeat(n)}x\n`],
  ["spaces before a phase title", (n) => `## Phase 1:${" ".repeat(n)}Title ✅${" ".repeat(n)}x\n`],
  ["a long line of words", (n) => `${"word ".repeat(n)}\n`],
  ["a long field line", (n) => `### Step 1: A\n**Depends on**: ${"Step 1, ".repeat(n)}\n`],
  [
    "lists nested by indent",
    (n) => Array.from({ length: n }, (_, i) => `${"  ".repeat(i % 40)}- x`).join("\n"),
  ],
  ["quotes nested 32 deep, repeated", (n) => `${"> ".repeat(32)}x\n`.repeat(Math.max(1, n >> 6))],
  ["CRLF blank lines", (n) => `# Plan\r\n${"\r\n".repeat(n)}x\r\n`],
  ["lone CRs", (n) => `# Plan${"\r".repeat(n)}x\n`],
  ["a CRLF plan", (n) => `### Step 1: A\r\n**What**: x\r\n- [ ] y\r\n\r\n`.repeat(Math.max(1, n >> 5))],
  [
    "plan-shaped fragments",
    (n) => "#### Step 1.1: - [ ] **Depends on**: `x` > 1. [a](".repeat(Math.max(1, n >> 5)),
  ],
  ["HTML comments left open", (n) => `${"<!-- ".repeat(n)}x\n`],
  ["table cells", (n) => `| a | b |\n|---|---|\n${"| x ".repeat(n)}|\n`],
  // Shapes many times over: each phase scanned the rest of the file, each cycle member named them all.
  ["many phases, heading only", (n) => phases(n, (i) => `### Phase ${i}: P ✅\n`)],
  ["many phases, one step each", (n) => phases(n, (i) => `### Phase ${i}: P\n#### Step ${i}.1: S\n`)],
  ["checkbox steps under phases", (n) => phases(n, (i) => `### Phase ${i}: P\n- [x] Task ${i}.1: T\n`)],
  [
    "a dependency cycle through every step",
    (n) => phases(n, (i, k) => `#### Step 1.${i + 1}: T\n**Depends on**: Step 1.${i === 0 ? k : i}\n\n`),
  ],
  [
    "pieces refused between headings",
    (n) => phases(n >> 7, () => `## H\n${"> ".repeat(33)}x\n${"w ".repeat(2048)}\n`),
  ],
];

/** `k` numbered parts for a text of about `n` bytes: `part(i, k)` for i from 0. */
function phases(n: number, part: (i: number, k: number) => string): string {
  const k = Math.max(1, n >> 5);
  return Array.from({ length: k }, (_, i) => part(i, k)).join("");
}

/** `make(n)` with the largest n whose text stays within `bytes`. */
export function grownTo(make: (n: number) => string, bytes: number): string {
  let low = 1;
  let high = 2;
  while (Buffer.byteLength(make(high)) <= bytes && high < 1 << 22) [low, high] = [high, high * 2];
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if (Buffer.byteLength(make(middle)) <= bytes) low = middle;
    else high = middle;
  }
  return make(low);
}
