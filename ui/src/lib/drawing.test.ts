import { describe, expect, it } from "vitest";
import { planDrawing } from "./drawing";

describe("planDrawing", () => {
  it("inserts a whole drawing whatever the window had", () => {
    expect(planDrawing(null, { kind: "whole", version: 1, svg: "<svg/>" })).toEqual({ kind: "whole", svg: "<svg/>" });
    expect(planDrawing(7, { kind: "whole", version: 8, svg: "<svg/>" }).kind).toBe("whole");
  });

  it("patches the drawing it has", () => {
    const parts = [{ kind: "item" as const, set: "cards", id: "a", markup: "<g/>" }];
    expect(planDrawing(4, { kind: "changes", version: 5, base: 4, parts })).toEqual({ kind: "patch", parts });
  });

  it("asks for the whole drawing when the changes are to another one, or it has none", () => {
    expect(planDrawing(3, { kind: "changes", version: 5, base: 4, parts: [] }).kind).toBe("resync");
    expect(planDrawing(null, { kind: "changes", version: 2, base: 1, parts: [] }).kind).toBe("resync");
  });
});
