// Words and numbers for the Review and Agreements tabs. The core computes
// every figure; these only phrase them, the same way the report does.
import type { Change, PromiseVerdict } from "./bindings";

/** The change between the figures as shown, in hundredths: scores show two
 * decimals and shares whole percentages, so 3.414 → 4.446 reads 3.41 → 4.45
 * and must change by +1.04, as the core's `review::text::change` prints it. */
function shownDelta(c: Change): number | null {
  if (c.before == null || c.after == null) return null;
  return Math.round(c.after * 100) - Math.round(c.before * 100);
}

/** "3.41 → 3.60 (+0.19)"; a percentage when `percent`. */
export function changeText(c: Change, percent = false): string {
  // Rounded to hundredths first, as the core's review::text rounds (3.125 → 3.13).
  const fmt = (x: number | null) => (x == null ? "–" : percent ? `${Math.round(x * 100)}%` : (Math.round(x * 100) / 100).toFixed(2));
  const d = shownDelta(c);
  let delta = "";
  if (d != null) delta = d === 0 ? " (no change)" : ` (${d > 0 ? "+" : "−"}${fmt(Math.abs(d) / 100)})`;
  return `${fmt(c.before)} → ${fmt(c.after)}${delta}`;
}

/** Which way a change went, for colouring: up is good for every figure shown. */
export function trend(c: Change): "up" | "down" | "flat" {
  const d = shownDelta(c);
  if (d == null || d === 0) return "flat";
  return d > 0 ? "up" : "down";
}

/** A charter verdict in words; `bad` when the promise cannot be kept. */
export function verdictText(v: PromiseVerdict): { text: string; bad: boolean } {
  switch (v) {
    case "achievable":
      return { text: "can be kept", bad: false };
    case "cannot_be_met":
      return { text: "cannot be met", bad: true };
    case "missed_in_practice":
      return { text: "missed in practice", bad: true };
    case "no_agreements":
      return { text: "no agreement behind it", bad: false };
    case "no_time_given":
      return { text: "no time promised", bad: false };
  }
}
