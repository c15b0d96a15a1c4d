import { describe, expect, it } from "vitest";
import { changeText, trend, verdictText } from "./review";

describe("review wording", () => {
  it("phrases a change with its sign, or says there was none", () => {
    expect(changeText({ before: 3.41, after: 3.6, delta: 0.19 })).toBe("3.41 → 3.60 (+0.19)");
    expect(changeText({ before: 3.6, after: 3.41, delta: -0.19 })).toBe("3.60 → 3.41 (−0.19)");
    expect(changeText({ before: 3.6, after: 3.6, delta: 0 })).toBe("3.60 → 3.60 (no change)");
    expect(changeText({ before: null, after: 0.5, delta: null }, true)).toBe("– → 50%");
    expect(changeText({ before: 0.5, after: 0.75, delta: 0.25 }, true)).toBe("50% → 75% (+25%)");
    // The change of the figures shown, not of the unrounded ones (1.032).
    expect(changeText({ before: 3.414, after: 4.446, delta: 1.032 })).toBe("3.41 → 4.45 (+1.04)");
    expect(changeText({ before: 3.601, after: 3.604, delta: 0.003 })).toBe("3.60 → 3.60 (no change)");
  });

  it("says which way a figure moved", () => {
    expect(trend({ before: 3, after: 3.5, delta: 0.5 })).toBe("up");
    expect(trend({ before: 3, after: 2.5, delta: -0.5 })).toBe("down");
    expect(trend({ before: null, after: 2.5, delta: null })).toBe("flat");
  });

  it("marks the charter verdicts that are bad news", () => {
    expect(verdictText("cannot_be_met")).toEqual({ text: "cannot be met", bad: true });
    expect(verdictText("missed_in_practice").bad).toBe(true);
    expect(verdictText("achievable").bad).toBe(false);
  });
});
