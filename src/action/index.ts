// The entry action.yml runs (bundled to action/dist/index.js by scripts/bundle-action.ts).
import { createApp } from "../runtime/create-app.js";
import { ActionSetupError, botLoginOf, runAction } from "./main.js";
import { escapeCommandData } from "./log.js";

try {
  // Issues written with the workflow's token belong to its bot: the app must manage those as its own. The work
  // runs before `receive` returns (no background): the step must not end before it, and its errors fail the step.
  const appFn = createApp({ botLogins: [botLoginOf(process.env)], background: false });
  const { failures } = await runAction(appFn, {
    env: process.env,
  });
  for (const failure of failures) console.log(`::error::${escapeCommandData(failure)}`);
  process.exitCode = failures.length > 0 ? 1 : 0;
} catch (error) {
  const message =
    error instanceof ActionSetupError ? error.message : String((error as Error)?.stack ?? error);
  console.log(`::error::${escapeCommandData(message)}`);
  process.exitCode = 1;
}
