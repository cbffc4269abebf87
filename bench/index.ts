// `npm run bench`: runs every bench module in turn. A bench is a module exporting `run()`;
// add yours to the list (e.g. fidelity, API calls).
import * as apiCalls from "./api-calls.js";
import * as fidelity from "./fidelity.js";
import * as hostile from "./hostile.js";
import * as parse from "./parse.js";
import * as queue from "./queue.js";
import * as webhookDuringParse from "./webhook-during-parse.js";

interface BenchModule {
  run(): Promise<void>;
}

const benches: [name: string, bench: BenchModule][] = [
  ["parse", parse],
  ["hostile", hostile],
  ["fidelity", fidelity],
  ["api-calls", apiCalls],
  ["webhook-during-parse", webhookDuringParse],
  ["queue", queue],
];

const only = process.argv.slice(2);
for (const [name, bench] of benches) {
  if (only.length > 0 && !only.includes(name)) continue;
  await bench.run();
}
