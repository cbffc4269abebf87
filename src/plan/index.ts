export type * from "./model.js";
export { parseMarkdown } from "./markdown.js";
export { parsePlan, DEFAULT_MAX_BYTES, DEFAULT_MAX_ITEMS, DEFAULT_MAX_LINES } from "./parse.js";
export { explainPlan, type ExplainLine } from "./explain.js";
