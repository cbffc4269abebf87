// GFM task list items, as mdast reads them: `[ ]`, `[x]` or `[X]` opening an item's first
// paragraph, followed by a space or tab and more text, or by a line ending, makes the item a task
// (`checked`). The box leaves the paragraph; when text follows, the paragraph starts after the box
// and one space (mdast-util-gfm-task-list-item does exactly this).
import type { ListItem, Text } from "mdast";
import type { Point } from "unist";

export function readTaskBox(item: ListItem, text: string, pointAt: (offset: number) => Point): void {
  const paragraph = item.children[0];
  if (paragraph?.type !== "paragraph" || !paragraph.position) return;
  const start = paragraph.position.start.offset ?? 0;
  const end = paragraph.position.end.offset ?? 0;
  const box = text[start + 1];
  if (
    text[start] !== "[" ||
    text[start + 2] !== "]" ||
    (box !== " " && box !== "\t" && box !== "x" && box !== "X")
  )
    return;
  let after = start + 3;
  if (after >= end) return;
  if (text[after] !== "\n") {
    while (after < end && (text[after] === " " || text[after] === "\t")) after += 1;
    if (after === start + 3 || after >= end) return;
  }
  const head = paragraph.children[0];
  if (head?.type !== "text" || !head.value.startsWith("[")) return;
  item.checked = box === "x" || box === "X";
  (head as Text).value = head.value.slice(4);
  if (head.value === "") {
    paragraph.children.shift();
    return;
  }
  const moved = pointAt(start + 3);
  paragraph.position.start = { ...moved, column: moved.column + 1, offset: (moved.offset ?? 0) + 1 };
}
