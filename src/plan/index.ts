export type * from "./model.js";
export { parseMarkdown } from "./markdown.js";
