// spec-kit task lists (SPEC.md §1 format 2). Stub: the parser-formats engineer replaces the bodies.
import type { Root } from "mdast";
import { emptyReading, type FormatReader } from "./reading.js";

export function looksLikeTaskList(_tree: Root): boolean {
  return false;
}

export const readTaskList: FormatReader = () => emptyReading("task-list");
