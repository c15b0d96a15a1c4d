import { describe, expect, it } from "vitest";
import { SCORE_ENTRY_MS, mayAmend, scoreEntryText, scoreKey } from "./score-keys";

describe("scoring on the keys", () => {
  it("scores a whole number at once, then refines it by a point and a digit into one amended score", () => {
    const three = scoreKey(null, "photo", "3", 0);
    expect(three).toMatchObject({ score: 3, amend: false, taken: true });
    const point = scoreKey(three.entry, "photo", ".", 400);
    expect(point.score).toBeUndefined();
    expect(point.taken).toBe(true);
    expect(scoreEntryText(point.entry)).toBe("3.");
    const half = scoreKey(point.entry, "photo", "5", 800);
    expect(half).toMatchObject({ score: 3.5, amend: true, entry: null });
  });

  it("takes a comma as the decimal point, and x.0 is a score too", () => {
    const four = scoreKey(null, "s", "4", 0);
    const comma = scoreKey(four.entry, "s", ",", 10);
    expect(scoreKey(comma.entry, "s", "0", 20)).toMatchObject({ score: 4, amend: true });
  });

  it("passes 5.5 on for the core to refuse, rather than quietly making it 5", () => {
    const five = scoreKey(null, "s", "5", 0);
    const point = scoreKey(five.entry, "s", ".", 10);
    expect(scoreKey(point.entry, "s", "5", 20).score).toBe(5.5);
  });

  it("starts afresh after a pause, on another step, or after another key", () => {
    const three = scoreKey(null, "a", "3", 0);
    const late = scoreKey(three.entry, "a", ".", SCORE_ENTRY_MS + 1);
    expect(late).toEqual({ entry: null, taken: false });
    const elsewhere = scoreKey(scoreKey(three.entry, "a", ".", 10).entry, "b", "5", 20);
    // A new step's key is its own whole score.
    expect(elsewhere).toMatchObject({ score: 5, amend: false });
    expect(scoreKey(three.entry, "a", "x", 10)).toEqual({ entry: null, taken: false });
    // A second digit is a new score.
    expect(scoreKey(three.entry, "a", "2", 10)).toMatchObject({ score: 2, amend: false });
  });

  it("leaves 0 and 6–9 alone when no point was typed", () => {
    for (const key of ["0", "6", "9"]) expect(scoreKey(null, "a", key, 0).taken).toBe(false);
  });

  it("folds the decimal in only when the whole number's edit is still the last one stored", () => {
    expect(mayAmend(4, 4, 0)).toBe(true);
    expect(mayAmend(null, 4, 0)).toBe(false); // the 3 stored nothing
    expect(mayAmend(4, 5, 0)).toBe(false); // another edit since
    expect(mayAmend(4, 3, 1)).toBe(false); // undone since
  });
});
