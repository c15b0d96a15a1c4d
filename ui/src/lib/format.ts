/** A share as a whole percentage; tiny non-zero shares read "<1%". */
export function percent(x: number): string {
  if (x > 0 && x < 0.005) return "<1%";
  return `${Math.round(x * 100)}%`;
}

/** A score or experience figure, two decimals. */
export function figure(x: number | null | undefined): string {
  return x == null ? "–" : x.toFixed(2);
}

/** A number of minutes as the core writes it: whole, else one decimal. */
function count(m: number): string {
  return Math.abs(m - Math.round(m)) < 1e-9 ? m.toFixed(0) : m.toFixed(1);
}

/** A time in the unit it reads best in, "40 min", "3 hours", "2 days", as
 * the core's `analysis::duration` writes it in the drawing and the PDF (both
 * are tested against tests/fixtures/durations.json). The map keeps minutes. */
export function duration(m: number): string {
  const unit = (x: number, one: string, many: string) => {
    const n = count(Math.round(x * 10) / 10);
    return `${n} ${n === "1" ? one : many}`;
  };
  if (m < 90) return `${count(Math.round(m * 10) / 10)} min`;
  if (m < 48 * 60) return unit(m / 60, "hour", "hours");
  return unit(m / (24 * 60), "day", "days");
}
