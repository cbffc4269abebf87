// Where a parse has got to, for a caller that must say so if it stops the parse: the server's parse worker
// names that line in its `parse-timeout` diagnostic (issue #14). parsePlan installs the caller's
// ParseProgress for its own duration; the readers mark each stage and the lines they reach. A parse is
// synchronous and never re-entered, so one slot is enough, and with no ParseProgress a mark costs one check.

/** The stages of a parse, in order; each reports the 1-based lines of the file it reaches. */
export const PARSE_STAGES = [
  "starting",
  "front matter",
  "markdown blocks",
  "inline text",
  "markdown tree",
  "steps",
  "checks",
] as const;

export type ParseStage = (typeof PARSE_STAGES)[number];

export interface ParseProgress {
  /** A new stage begins (a few times per parse). */
  stage(stage: ParseStage): void;
  /** The parse has reached this line (often: keep it cheap). */
  line(line: number): void;
}

let current: ParseProgress | null = null;

/** Runs `parse` with `progress` told where it is; the slot is cleared however `parse` ends. */
export function withProgress<T>(progress: ParseProgress | undefined, parse: () => T): T {
  if (!progress) return parse();
  const outer = current;
  current = progress;
  try {
    return parse();
  } finally {
    current = outer;
  }
}

export function enterStage(stage: ParseStage): void {
  current?.stage(stage);
}

/** `line` is 1-based, of the whole file (front matter is kept as blank lines, so body lines are file lines). */
export function reachLine(line: number): void {
  current?.line(line);
}
