export type * from "./model.js";
export {
  configSchema,
  parseConfig,
  defaultConfig,
  isPlanPath,
  DEFAULT_PLAN_PATHS,
  type Config,
} from "./config.js";
export { encodeMarker, decodeMarker, decodeCommentMarker, type CommentMarker } from "./marker.js";
export { reconcile } from "./reconcile.js";
export { summarizeOperations, writesOf, type OperationSummary } from "./summary.js";
export { MAX_BODY_LENGTH } from "./body.js";
