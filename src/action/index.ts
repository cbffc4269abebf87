// The entry action.yml runs (bundled to action/dist/index.js by scripts/bundle-action.ts): handle the event,
// then tell the workflow — failures as error annotations, the job summary, the step's outputs, the exit code.
import { createApp } from "../runtime/create-app.js";
import { renderJobSummary } from "./job-summary.js";
import { repoLinksOf } from "./links.js";
import { ActionSetupError, botLoginOf, runAction } from "./main.js";
import { ActionReporter } from "./reporter.js";
import { stepOutputs, writeStepFiles } from "./step-outputs.js";
import { workflowCommand } from "./workflow-commands.js";

const env = process.env;
const links = repoLinksOf(env);
const reporter = new ActionReporter(links);
let failures: string[];
try {
  // Issues written with the workflow's token belong to its bot: the app must manage those as its own. The work
  // runs before `receive` returns (no background): the step must not end before it, and its errors fail the step.
  // The reporter tells the step's log what each job did: the jobs' own start and end lines are debug, or they
  // would clutter it between its groups.
  const appFn = createApp({
    botLogins: [botLoginOf(env)],
    background: false,
    reporter,
    jobLogLevel: "debug",
  });
  ({ failures } = await runAction(appFn, { env }));
} catch (error) {
  failures = [error instanceof ActionSetupError ? error.message : String((error as Error)?.stack ?? error)];
}
reporter.closeGroup();
for (const failure of failures) console.log(workflowCommand("error", {}, failure));
try {
  const summary = renderJobSummary(reporter.run, failures, links);
  await writeStepFiles(env, { outputs: stepOutputs(reporter.run), summary });
} catch (error) {
  failures.push(`could not write the job summary or outputs: ${(error as Error).message}`);
  console.log(workflowCommand("error", {}, failures.at(-1) ?? ""));
}
process.exitCode = failures.length > 0 ? 1 : 0;
