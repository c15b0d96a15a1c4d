/** Arrow-key navigation between cards: from the card at `from`, the nearest
 * card whose centre lies in the arrow's direction, preferring ones straight
 * ahead over ones off to the side. */
export type Box = { id: string; x: number; y: number };
export type Arrow = "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown";

export function nextCard(boxes: readonly Box[], from: string | null, arrow: Arrow): string | null {
  const start = boxes.find((b) => b.id === from);
  if (!start) return boxes[0]?.id ?? null;
  const directions: Record<Arrow, readonly [number, number]> = {
    ArrowLeft: [-1, 0],
    ArrowRight: [1, 0],
    ArrowUp: [0, -1],
    ArrowDown: [0, 1],
  };
  const [dx, dy] = directions[arrow];
  let best: Box | null = null;
  let bestCost = Infinity;
  for (const b of boxes) {
    if (b.id === start.id) continue;
    const ahead = (b.x - start.x) * dx + (b.y - start.y) * dy; // distance along the arrow
    if (ahead <= 1) continue;
    const side = Math.abs((b.x - start.x) * dy) + Math.abs((b.y - start.y) * dx); // off to the side
    const cost = ahead + 2 * side;
    if (cost < bestCost) {
      bestCost = cost;
      best = b;
    }
  }
  return best?.id ?? start.id;
}
