import { describe, expect, it } from "vitest";
import type { Map as JourneyMap } from "./bindings";
import { owners, painInFocus, stepsInFocus } from "./filter";

const map: JourneyMap = {
  title: "t",
  stages: [{ id: "s", name: "S" }],
  departments: [
    { id: "desk", name: "Desk", facing: "customer" },
    { id: "it", name: "IT", facing: "internal" },
  ],
  steps: [
    { id: "a", title: "A", stage: "s", department: "desk", visibility: "frontstage", owner: "Marta", ratings: [] },
    { id: "b", title: "B", stage: "s", department: "it", visibility: "backstage", owner: "Ravi", ratings: [] },
  ],
  flows: [],
  pain_points: [
    { id: "p1", step: "a", text: "slow", votes: 2, owner: "Ravi", status: "open", dots: [] },
    { id: "p2", step: "b", text: "down", votes: 5, status: "open", dots: [] },
  ],
  workshop: { participants: [], dot_budget: null },
  charter: [],
  commitments: [],
};

describe("focus", () => {
  it("shows one department's steps and the pain points on them", () => {
    const f = { kind: "department", id: "it" } as const;
    expect([...stepsInFocus(map, f)]).toEqual(["b"]);
    expect(painInFocus(map, f).map((p) => p.id)).toEqual(["p2"]);
  });
  it("shows one owner's steps and every pain point they own or that sits on their steps", () => {
    const f = { kind: "owner", name: "Ravi" } as const;
    // Ravi's own step, and the step where the pain point he owns sits.
    expect([...stepsInFocus(map, f)].sort()).toEqual(["a", "b"]);
    expect([...stepsInFocus(map, { kind: "owner", name: "Marta" })]).toEqual(["a"]);
    expect(painInFocus(map, f).map((p) => p.id)).toEqual(["p2", "p1"]);
  });
  it("lists the owners", () => {
    expect(owners(map)).toEqual(["Marta", "Ravi"]);
  });
});
