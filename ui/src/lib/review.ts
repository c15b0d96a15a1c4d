// Words and numbers for the Review and Agreements tabs. The core computes
// every figure; these only phrase them, the same way the report does.
import type { Change, Commitment, PromiseVerdict } from "./bindings";

/** "3.41 → 3.60 (+0.19)", with `digits` decimals; a percentage when `percent`. */
export function changeText(c: Change, percent = false): string {
  const fmt = (x: number | null) => (x == null ? "–" : percent ? `${Math.round(x * 100)}%` : x.toFixed(2));
  const d = c.delta;
  let delta = "";
  if (d != null) {
    if (Math.abs(d) < 0.0005) delta = " (no change)";
    else delta = ` (${d > 0 ? "+" : "−"}${fmt(Math.abs(d))})`;
  }
  return `${fmt(c.before)} → ${fmt(c.after)}${delta}`;
}

/** Which way a change went, for colouring: up is good for every figure shown. */
export function trend(c: Change): "up" | "down" | "flat" {
  if (c.delta == null || Math.abs(c.delta) < 0.0005) return "flat";
  return c.delta > 0 ? "up" : "down";
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

/** Past due and not done, as of `today` (YYYY-MM-DD strings compare as dates). */
export function isOverdue(c: Commitment, today: string): boolean {
  return c.status !== "done" && c.due != null && c.due < today;
}
