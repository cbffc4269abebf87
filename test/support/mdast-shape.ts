// What src/plan and src/sync read of an mdast tree, as one comparable value: every block with its
// position, the fields read (depth, ordered, start, checked, lang, meta, values of code and HTML),
// and inline content as text runs and the marks that lead a paragraph (strong, emphasis…). Links
// are read by their text, so remark's autolink literals and reference links compare equal to
// markdown-it's text and links; footnote definitions compare as definitions.
import type { Nodes } from "mdast";

export interface Shape {
  type: string;
  at?: string;
  fields?: Record<string, unknown>;
  children?: Shape[];
}

const INLINE_PARENTS = new Set(["paragraph", "heading", "tableCell"]);
const FIELDS = ["depth", "ordered", "start", "checked", "lang", "meta", "alt"] as const;

export function shapeOf(node: Nodes, inline = false, columns = Infinity): Shape {
  const shape: Shape = { type: node.type === "footnoteDefinition" ? "definition" : node.type };
  const position = node.position;
  if (!inline && node.type !== "root" && node.type !== "tableRow" && node.type !== "tableCell" && position) {
    const { start, end } = position;
    shape.at = `${start.line}:${start.column}@${start.offset}-${end.line}:${end.column}@${end.offset}`;
  }
  const fields: Record<string, unknown> = {};
  for (const key of FIELDS) if (key in node) fields[key] = (node as unknown as Record<string, unknown>)[key];
  if ("value" in node && (inline || node.type === "code" || node.type === "html")) fields.value = node.value;
  if (Object.keys(fields).length > 0) shape.fields = fields;
  if (node.type === "definition" || node.type === "footnoteDefinition" || !("children" in node)) return shape;
  const children: Shape[] = [];
  const push = (child: Shape) => {
    const last = children.at(-1);
    if (child.type === "text" && last?.type === "text" && last.fields && child.fields)
      last.fields.value = `${String(last.fields.value)}${String(child.fields.value)}`;
    else children.push(child);
  };
  const inner = inline || INLINE_PARENTS.has(node.type);
  const width = node.type === "table" ? (node.children[0]?.children.length ?? 0) : columns;
  for (const child of node.children as Nodes[]) {
    if (node.type === "tableRow" && children.length >= columns) break;
    const shaped = shapeOf(child, inner, width);
    if (shaped.type === "tableCell" && !shaped.children) continue;
    if (shaped.type === "link" || shaped.type === "linkReference") (shaped.children ?? []).forEach(push);
    else if (shaped.type === "footnoteReference")
      push({ type: "text", fields: { value: `[^${"label" in child ? child.label : ""}]` } });
    else push(shaped);
  }
  if (children.length > 0) shape.children = children;
  return shape;
}
