// Text of mdast nodes, as written in the file or as plain text.
import type { Nodes } from "mdast";

/** The markdown source of a node, exactly as written (positions are offsets into `body`). */
export function sourceOf(body: string, node: Nodes): string {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (start === undefined || end === undefined) return "";
  return body.slice(start, end);
}

/** Plain text of a node: the values of its text-like descendants, without markup. */
export function plainText(node: Nodes): string {
  if ("value" in node && typeof node.value === "string") {
    return node.type === "html" ? "" : node.value;
  }
  if ("children" in node) {
    return (node.children as Nodes[]).map(plainText).join("");
  }
  return node.type === "break" ? "\n" : "";
}

export function startLine(node: Nodes): number {
  return node.position?.start.line ?? 1;
}

export function startColumn(node: Nodes): number {
  return node.position?.start.column ?? 1;
}

export function endLine(node: Nodes): number {
  return node.position?.end.line ?? startLine(node);
}
