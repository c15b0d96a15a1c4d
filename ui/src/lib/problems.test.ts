import { describe, expect, it } from "vitest";
import type { Problem } from "./bindings";
import { problemsOfStep } from "./problems";

const problem = (path: string, message: string): Problem => ({ severity: "warning", path, element: "", message });

describe("problemsOfStep", () => {
  it("finds the step's own problems and its fields', not its neighbours'", () => {
    const all = [
      problem("steps[1]", "no customer starts here"),
      problem("steps[1].score", "not scored"),
      problem("steps[12]", "someone else"),
      problem("flows[1]", "a flow"),
    ];
    expect(problemsOfStep(all, 1).map((p) => p.message)).toEqual(["no customer starts here", "not scored"]);
    expect(problemsOfStep(all, 2)).toEqual([]);
  });
});
