/** A share as a whole percentage; tiny non-zero shares read "<1%". */
export function percent(x: number): string {
  if (x > 0 && x < 0.005) return "<1%";
  return `${Math.round(x * 100)}%`;
}

/** A score or experience figure, two decimals. */
export function figure(x: number | null | undefined): string {
  return x == null ? "–" : x.toFixed(2);
}
