// `npm run demo`: plan-sync end to end on this machine, no credentials, no network. The real Probot app and a
// fake GitHub both listen on 127.0.0.1; the example plans in examples/ are pushed, edited and proposed in a
// pull request, and what GitHub looks like after each step is printed. Exit 0 on success, 1 on failure.
import { createReporter } from "./demo-report.js";
import { DemoFailure, runDemo } from "./demo-scenario.js";

const USAGE = `usage: npm run demo [-- --quiet | --verbose]
  --quiet    one line per step
  --verbose  the app's own logs (pino, info level) on stdout as well`;

async function main(argv: string[]): Promise<number> {
  const unknown = argv.filter((arg) => !["--quiet", "--verbose", "--help", "-h"].includes(arg));
  if (argv.includes("--help") || argv.includes("-h") || unknown.length > 0) {
    (unknown.length > 0 ? process.stderr : process.stdout).write(`${USAGE}\n`);
    return unknown.length > 0 ? 2 : 0;
  }
  const started = performance.now();
  const report = createReporter((text) => process.stdout.write(text), { quiet: argv.includes("--quiet") });
  try {
    await runDemo(report, { logLevel: argv.includes("--verbose") ? "info" : "silent" });
  } catch (error) {
    const reason = error instanceof DemoFailure ? error.message : ((error as Error)?.stack ?? String(error));
    process.stderr.write(`\ndemo failed: ${reason}\n`);
    return 1;
  }
  process.stdout.write(`\ndemo finished in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
