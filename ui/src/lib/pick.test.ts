import { describe, expect, it } from "vitest";
import type { Step } from "./bindings";
import { findSteps } from "./pick";

const step = (id: string, title: string): Step => ({ id, title, stage: "s", department: "d", visibility: "frontstage", ratings: [] }) as Step;
const steps = [step("wait", "Wait in line"), step("pay", "Pay at the counter"), step("line_b", "Line B"), step("paylater", "Pay later")];

describe("findSteps", () => {
  it("ranks an exact title first, then titles that start with the letters, then titles that contain them", () => {
    expect(findSteps("line b", steps, null).matches.map((s) => s.id)).toEqual(["line_b"]);
    expect(findSteps("LINE", steps, null).matches.map((s) => s.id)).toEqual(["line_b", "wait"]);
    expect(findSteps("pay", steps, null).matches.map((s) => s.id)).toEqual(["pay", "paylater"]);
  });

  it("leaves out the step being edited and finds nothing for nothing typed", () => {
    expect(findSteps("pay", steps, "pay").matches.map((s) => s.id)).toEqual(["paylater"]);
    expect(findSteps("  ", steps, null)).toEqual({ matches: [], more: 0 });
  });

  it("shows a few of many and says how many more", () => {
    const many = Array.from({ length: 10000 }, (_, i) => step(`s${i}`, `Step ${i}`));
    const { matches, more } = findSteps("step 1", many, null, 8);
    expect(matches).toHaveLength(8);
    expect(matches[0]?.id).toBe("s1");
    expect(more).toBe(1111 - 8); // "Step 1", "Step 10"…"Step 19", … "Step 1999": 1 + 10 + 100 + 1000
  });
});
