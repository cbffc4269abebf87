// Workflow commands: lines on stdout the runner acts on (annotations, log groups). A command is
// `::name key=value,key=value::message`; the runner decodes `%XX` escapes, so whatever could end a command
// early must be escaped: CR and LF in the message, and also `:` and `,` in property values (they separate the
// properties). `%` first, or an escape written by the plan's own text would be decoded too.
// https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions
// (The same encoding as @actions/core's command.ts; four lines do not earn a dependency in the bundle.)
import type { Diagnostic } from "../plan/model.js";

export function escapeCommandData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

export function escapeCommandProperty(text: string): string {
  return escapeCommandData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export type CommandProperties = Record<string, string | number | undefined>;

/** One command line (no newline). Properties without a value are left out. */
export function workflowCommand(name: string, properties: CommandProperties, message: string): string {
  const props = Object.entries(properties)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${escapeCommandProperty(String(value))}`);
  return `::${name}${props.length > 0 ? ` ${props.join(",")}` : ""}::${escapeCommandData(message)}`;
}

/**
 * A plan's diagnostic as an annotation on its file and line: it shows on the workflow run and, on a pull
 * request, beside the line in the files view. The rule names the kind of problem (its title).
 */
export function diagnosticCommand(path: string, diagnostic: Diagnostic): string {
  return workflowCommand(
    diagnostic.severity === "error" ? "error" : "warning",
    {
      file: path,
      line: Math.max(1, diagnostic.line),
      col: Math.max(1, diagnostic.column),
      title: diagnostic.rule,
    },
    diagnostic.message,
  );
}

/** Lines between `::group::` and `::endgroup::` fold under the title in the log (groups do not nest). */
export const startGroup = (title: string): string => workflowCommand("group", {}, title);
export const END_GROUP = "::endgroup::";
