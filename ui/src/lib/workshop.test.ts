import { describe, expect, it } from "vitest";
import type { Map, PainPoint } from "./bindings";
import { dotsLeft, dotsOf, painByVotes, ratingOf, ratingSpread } from "./workshop";

const pain = (id: string, votes: number, extra: Partial<PainPoint> = {}): PainPoint => ({
  id,
  step: "s",
  text: id,
  votes,
  status: "open",
  dots: [],
  ...extra,
});

function map(pains: PainPoint[], budget: number | null): Map {
  return {
    title: "m",
    stages: [],
    departments: [],
    steps: [],
    flows: [],
    pain_points: pains,
    workshop: { participants: ["Ann", "Bo"], dot_budget: budget },
  } as unknown as Map;
}

describe("dots left", () => {
  it("counts a participant's dots across every pain point against the budget", () => {
    const pains = [
      pain("a", 3, { dots: [{ participant: "Ann", count: 2 }] }),
      pain("b", 2, { dots: [{ participant: "Ann", count: 1 }, { participant: "Bo", count: 1 }] }),
    ];
    const m = map(pains, 5);
    expect(dotsLeft(m, "Ann")).toBe(2);
    expect(dotsLeft(m, "Bo")).toBe(4);
    expect(dotsOf(pains[1]!, "Bo")).toBe(1);
    expect(dotsOf(pains[0]!, null)).toBe(0);
  });

  it("is unlimited without a budget", () => {
    expect(dotsLeft(map([], null), "Ann")).toBeNull();
  });
});

describe("pain points by votes", () => {
  it("puts the most voted first, open before resolved on a tie, then map order", () => {
    const m = map([pain("low", 1), pain("done", 4, { status: "resolved" }), pain("top", 6), pain("tie", 4)], null);
    expect(painByVotes(m).map((p) => p.id)).toEqual(["top", "tie", "done", "low"]);
  });
});

describe("ratings", () => {
  it("finds one participant's rating", () => {
    const step = { ratings: [{ participant: "Ann", score: 2.5 }] };
    expect(ratingOf(step, "Ann")).toBe(2.5);
    expect(ratingOf(step, "Bo")).toBeNull();
  });

  it("spans the lowest and highest rating", () => {
    expect(ratingSpread({ ratings: [{ score: 4 }, { score: 1.5 }, { score: 3 }] })).toEqual([1.5, 4]);
    expect(ratingSpread({ ratings: [] })).toBeNull();
  });
});
