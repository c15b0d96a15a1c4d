import { describe, expect, it } from "vitest";
import type { Analysis, MapView, Step } from "./bindings";
import { view as titled } from "./fixtures";
import { restoreKept } from "./kept";

const step = (id: string, score: number | null): Step => ({ id, title: id, stage: "s1", department: "d1", visibility: "frontstage", score });

/** A view numbered `version` of `steps`, with a problem, an agreement and a flow to leave out. */
function view(version: number, steps: Step[], extra: Partial<MapView> = {}): MapView {
  const base = titled("t");
  return {
    ...base,
    drawing: { kind: "changes", version, base: version - 1, parts: [] },
    step_count: steps.length,
    problems: [{ severity: "warning", path: "flows", element: "", message: "not connected" }] as MapView["problems"],
    analysis: { agreements: [{ provider: "d1" }] } as unknown as Analysis,
    map: { ...base.map, steps, flows: [{ from: "a", to: "b" }] as MapView["map"]["flows"] },
    ...extra,
  };
}

describe("restoreKept", () => {
  it("takes a view that leaves nothing out as it is", () => {
    const next = view(2, [step("a", 3)]);
    expect(restoreKept(null, next)).toBe(next);
  });

  it("puts back the steps that did not change and the parts left out, from the view it has", () => {
    const have = view(4, [step("a", 3), step("b", 2), step("c", null)]);
    const next = view(5, [], {
      problems: [],
      analysis: { agreements: [] } as unknown as Analysis,
      kept: { base: 4, steps: [{ index: 1, step: step("b", 4) }], flows: true, pain_points: false, problems: true, agreements: true },
    });
    next.map.flows = [];
    next.map.pain_points = [{ id: "p", step: "a", text: "queue", votes: 1 }] as MapView["map"]["pain_points"];
    const whole = restoreKept(have, next);
    expect(whole?.map.steps).toEqual([step("a", 3), step("b", 4), step("c", null)]);
    expect(whole?.map.flows).toBe(have.map.flows);
    expect(whole?.map.pain_points).toBe(next.map.pain_points);
    expect(whole?.problems).toBe(have.problems);
    expect(whole?.analysis?.agreements).toBe(have.analysis?.agreements);
    expect(whole?.kept).toBeNull();
    // Neither view is changed.
    expect(have.map.steps[1]?.score).toBe(2);
    expect(next.map.steps).toEqual([]);
  });

  it("cannot restore from another view than the one the parts were left out of", () => {
    const next = view(7, [], { kept: { base: 5, steps: [], flows: true, pain_points: false, problems: false, agreements: false } });
    expect(restoreKept(view(6, [step("a", 1)]), next)).toBeNull();
    expect(restoreKept(null, next)).toBeNull();
    const past = view(6, [], { kept: { base: 5, steps: [{ index: 3, step: step("d", 1) }], flows: false, pain_points: false, problems: false, agreements: false } });
    expect(restoreKept(view(5, [step("a", 1)]), past)).toBeNull();
  });
});
