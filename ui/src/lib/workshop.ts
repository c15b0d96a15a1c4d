// The room's arithmetic, kept out of the components so it can be tested:
// dots a participant has left, and pain points ranked by their votes.
import type { Map, PainPoint } from "./bindings";

/** Dots `name` may still place; `null` when the map sets no budget. */
export function dotsLeft(map: Map, name: string): number | null {
  const budget = map.workshop?.dot_budget;
  if (budget == null) return null;
  const placed = (map.pain_points ?? [])
    .flatMap((p) => p.dots ?? [])
    .filter((d) => d.participant === name)
    .reduce((sum, d) => sum + d.count, 0);
  return Math.max(0, budget - placed);
}

/** Pain points by votes, most first; open ones before resolved ones at equal votes, then in map order. */
export function painByVotes(map: Map): PainPoint[] {
  const order = new Map((map.pain_points ?? []).map((p, i) => [p.id, i]));
  return [...(map.pain_points ?? [])].sort(
    (a, b) =>
      (b.votes ?? 0) - (a.votes ?? 0) ||
      Number(a.status === "resolved") - Number(b.status === "resolved") ||
      (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0),
  );
}

/** `name`'s dots on one pain point. */
export function dotsOf(p: PainPoint, name: string | null): number {
  if (!name) return 0;
  return (p.dots ?? []).find((d) => d.participant === name)?.count ?? 0;
}

/** `name`'s rating of a step, if any. */
export function ratingOf(step: { ratings?: { participant: string; score: number }[] }, name: string): number | null {
  return step.ratings?.find((r) => r.participant === name)?.score ?? null;
}

/** Lowest and highest rating of a step, as the card shows them; `null` when unrated. */
export function ratingSpread(step: { ratings?: { score: number }[] }): [number, number] | null {
  const scores = (step.ratings ?? []).map((r) => r.score);
  return scores.length ? [Math.min(...scores), Math.max(...scores)] : null;
}
