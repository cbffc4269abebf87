// markdown-it inline tokens → mdast phrasing nodes (no positions: src/plan reads inline text only).
// Soft line breaks stay inside text values as "\n", as in mdast.
import type { Token } from "markdown-it";
import type { Parent, PhrasingContent, Text } from "mdast";

type Container = Parent & PhrasingContent;

function opened(token: Token): Container | null {
  switch (token.type) {
    case "strong_open":
      return { type: "strong", children: [] };
    case "em_open":
      return { type: "emphasis", children: [] };
    case "s_open":
      return { type: "delete", children: [] };
    case "link_open":
      return { type: "link", url: attr(token, "href") ?? "", title: attr(token, "title"), children: [] };
    default:
      return null;
  }
}

function attr(token: Token, name: string): string | null {
  const value = token.attrGet(name);
  return value === null ? null : String(value);
}

/** Text of inline tokens, as an image's `alt`. */
function altText(tokens: readonly Token[] | null): string {
  return (tokens ?? [])
    .map((t) => (t.type === "image" ? altText(t.children) : t.type === "softbreak" ? "\n" : t.content))
    .join("");
}

export function inlineNodes(inline: Token): PhrasingContent[] {
  const root: Parent = { type: "paragraph", children: [] };
  const stack: Parent[] = [root];
  const push = (node: PhrasingContent) => {
    const siblings = (stack.at(-1) as Parent).children as PhrasingContent[];
    const last = siblings.at(-1);
    if (node.type === "text" && last?.type === "text") (last as Text).value += node.value;
    else siblings.push(node);
  };
  for (const token of inline.children ?? []) {
    if (token.nesting === -1) {
      if (stack.length > 1) stack.pop();
      continue;
    }
    const container = opened(token);
    if (container) {
      push(container);
      stack.push(container);
      continue;
    }
    switch (token.type) {
      case "text":
      case "text_special":
        if (token.content !== "") push({ type: "text", value: token.content });
        break;
      case "softbreak":
        push({ type: "text", value: "\n" });
        break;
      case "hardbreak":
        push({ type: "break" });
        break;
      case "code_inline":
        push({ type: "inlineCode", value: token.content });
        break;
      case "html_inline":
        push({ type: "html", value: token.content });
        break;
      case "image":
        push({
          type: "image",
          url: attr(token, "src") ?? "",
          title: attr(token, "title"),
          alt: altText(token.children),
        });
        break;
      default:
        if (token.content) push({ type: "text", value: token.content });
    }
  }
  return root.children as PhrasingContent[];
}
