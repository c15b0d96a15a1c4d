/** Arrow-key navigation between cards. → and ← walk every card in reading
 * order, column by column and top to bottom within a column, so a presenter
 * pressing → tours the whole journey stage by stage and never skips a card
 * in another lane. ↑ and ↓ move to the nearest card above or below,
 * preferring ones straight ahead over ones off to the side. */
export type Box = { id: string; x: number; y: number };
export type Arrow = "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown";

/** Cards whose centres are this close horizontally share a column. */
const SAME_COLUMN = 8;

export function nextCard(boxes: readonly Box[], from: string | null, arrow: Arrow): string | null {
  const start = boxes.find((b) => b.id === from);
  if (!start) return readingOrder(boxes)[0]?.id ?? null;
  if (arrow === "ArrowLeft" || arrow === "ArrowRight") {
    const order = readingOrder(boxes);
    const at = order.findIndex((b) => b.id === start.id);
    const next = order[at + (arrow === "ArrowRight" ? 1 : -1)];
    return next?.id ?? start.id;
  }
  // ↑ or ↓: the nearest card that way.
  const dy = arrow === "ArrowDown" ? 1 : -1;
  let best: Box | null = null;
  let bestCost = Infinity;
  for (const b of boxes) {
    if (b.id === start.id) continue;
    const ahead = (b.y - start.y) * dy; // distance along the arrow
    if (ahead <= 1) continue;
    const side = Math.abs(b.x - start.x); // off to the side
    const cost = ahead + 2 * side;
    if (cost < bestCost) {
      bestCost = cost;
      best = b;
    }
  }
  return best?.id ?? start.id;
}

/** Columns first (a card joins the column of the card before it when their
 * centres are within SAME_COLUMN), then top to bottom within each column.
 * Grouping before sorting keeps the order total even when centres drift. */
function readingOrder(boxes: readonly Box[]): Box[] {
  const byX = [...boxes].sort((a, b) => a.x - b.x);
  const column = new Map<Box, number>();
  let col = 0;
  byX.forEach((b, i) => {
    const before = byX[i - 1];
    if (before && b.x - before.x > SAME_COLUMN) col += 1;
    column.set(b, col);
  });
  return byX.sort((a, b) => (column.get(a) ?? 0) - (column.get(b) ?? 0) || a.y - b.y);
}
