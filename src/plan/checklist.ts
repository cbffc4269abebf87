// Kiro nested checklists (SPEC.md §1 format 3). Stub: the parser-formats engineer replaces the bodies.
import type { Root } from "mdast";
import { emptyReading, type FormatReader } from "./reading.js";

export function looksLikeNestedChecklist(_tree: Root): boolean {
  return false;
}

export const readNestedChecklist: FormatReader = () => emptyReading("nested-checklist");
