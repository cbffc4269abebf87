// A plan of a given size in the shape real plans have: phases, step headings with bold fields,
// checklists, tables and code blocks. Deterministic, so runs compare.

function step(phase: number, index: number): string {
  const n = `${phase}.${index}`;
  return [
    `#### Step ${n}: Build component ${n}`,
    `**What**: The ${n} part of the service, with its tests.`,
    `**Why**: Step ${n} unblocks the next ones; see #${100 + index}.`,
    `**How**: Add a \`Handler${index}\` that reads the **config** and writes _events_.`,
    index > 1 ? `**Depends on**: Step ${phase}.${index - 1}` : `**Status**: Done`,
    `**Files**:`,
    `- Create: \`src/part${phase}/handler${index}.ts\``,
    `- Modify: \`src/part${phase}/index.ts\``,
    "",
    "**Code Example**:",
    "```ts",
    `export function handler${index}(input: string): string {`,
    "  return input.trim();",
    "}",
    "```",
    "",
    "| Case | Input | Expected |",
    "|------|-------|----------|",
    `| empty | \`""\` | \`""\` |`,
    `| spaces | \`" a "\` | \`"a"\` |`,
    "",
    "**Validation**:",
    `- [ ] Run \`npm test -- part${phase}\``,
    `- [x] Handler ${n} returns trimmed input`,
    "",
  ].join("\n");
}

/** A plan of at least `bytes` bytes (UTF-8), cut at a step boundary. */
export function generatePlan(bytes: number): string {
  const parts = [
    "# Implementation Plan: Generated",
    "",
    "**Status**: In Progress",
    "",
    "## Implementation Steps",
    "",
  ];
  let size = parts.join("\n").length;
  for (let phase = 1; size < bytes; phase += 1) {
    const heading = `### Phase ${phase}: Part ${phase}\n`;
    parts.push(heading);
    size += heading.length + 1;
    for (let index = 1; index <= 20 && size < bytes; index += 1) {
      const text = step(phase, index);
      parts.push(text);
      size += text.length + 1;
    }
  }
  return parts.join("\n");
}
