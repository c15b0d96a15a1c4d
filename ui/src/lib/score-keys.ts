/** Scoring on the keyboard, as a facilitator does while the room calls out
 * numbers: a key 1–5 scores the selected step at once; "." (or ",") and one
 * more digit, typed soon after, refine it to one decimal: 3 . 5 gives 3.5.
 *
 * The whole number is stored the moment it is pressed (the room sees it), so
 * the decimal arrives as an amendment of that edit: one undo takes back both. */

/** How long after a key the next one still belongs to the same score. */
export const SCORE_ENTRY_MS = 2500;

/** A score being typed: its step, the whole number, whether "." came. */
export type ScoreEntry = { step: string; whole: number; point: boolean; at: number };

export type ScoreKey = {
  /** The entry after this key; `null` when no score is being typed. */
  entry: ScoreEntry | null;
  /** The score to store, if this key completes one. */
  score?: number;
  /** The score refines the one stored by the entry's first key. */
  amend?: boolean;
  /** The key was taken for the score (so the page should not act on it). */
  taken: boolean;
};

/** What `key`, pressed at `now` with `step` selected, does to a score being typed. */
export function scoreKey(entry: ScoreEntry | null, step: string, key: string, now: number): ScoreKey {
  const live = entry !== null && entry.step === step && now - entry.at <= SCORE_ENTRY_MS ? entry : null;
  if (live?.point && /^[0-9]$/.test(key)) {
    // One decimal: 3 . 5 → 3.5; the core refuses 5.5 with its own message.
    return { entry: null, score: (live.whole * 10 + Number(key)) / 10, amend: true, taken: true };
  }
  if (live && !live.point && (key === "." || key === ",")) {
    return { entry: { ...live, point: true, at: now }, taken: true };
  }
  if (/^[1-5]$/.test(key)) {
    return { entry: { step, whole: Number(key), point: false, at: now }, score: Number(key), amend: false, taken: true };
  }
  return { entry: null, taken: false };
}

/** True when the decimal may be folded into the edit the whole number made:
 * that edit stored something (`stored`, the undo depth it left; `null` when
 * it was refused or changed nothing) and is still the last one: nothing was
 * done or undone since. Otherwise the amendment would swallow some other
 * edit into its undo step, so the decimal is stored as an edit of its own. */
export function mayAmend(stored: number | null, undo: number, redo: number): boolean {
  return stored !== null && stored === undo && redo === 0;
}

/** What the window shows while a score is being typed ("3." after the point). */
export function scoreEntryText(entry: ScoreEntry | null): string | null {
  return entry?.point ? `${entry.whole}.` : null;
}
