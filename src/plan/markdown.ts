// Markdown → mdast with exact positions in the whole file.
// TODO(parser): make this linear in size (micromark is quadratic on some long documents, micromark/micromark#169).
import type { Root } from "mdast";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import { unified } from "unified";
import type { Diagnostic } from "./model.js";

const processor = unified().use(remarkParse).use(remarkGfm);

export function parseMarkdown(source: string): Root {
  return processor.parse(source);
}

export function parseMarkdownWithLimits(source: string): { tree: Root; diagnostics: Diagnostic[] } {
  return { tree: parseMarkdown(source), diagnostics: [] };
}
