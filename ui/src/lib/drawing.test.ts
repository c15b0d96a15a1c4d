import { describe, expect, it } from "vitest";
import { planDrawing, portOf, scrollToCentre } from "./drawing";

describe("the part of the drawing the canvas shows", () => {
  it("is the scrolled window over the zoom, from the drawing's corner inside the padding", () => {
    expect(portOf({ left: 416, top: 216 }, { width: 1000, height: 800 }, { left: 16, top: 16 }, 0.5)).toEqual({
      x: 800,
      y: 400,
      width: 2000,
      height: 1600,
    });
  });

  it("puts a card at the middle of the canvas when scrolled to", () => {
    const box = { x: 3000, y: 2000, width: 200, height: 100 };
    const size = { width: 1000, height: 800 };
    const to = scrollToCentre(box, size, { left: 16, top: 16 }, 0.5);
    const port = portOf(to, size, { left: 16, top: 16 }, 0.5);
    expect(port.x + port.width / 2).toBeCloseTo(box.x + box.width / 2);
    expect(port.y + port.height / 2).toBeCloseTo(box.y + box.height / 2);
    // Near the drawing's corner it scrolls no further than the corner.
    expect(scrollToCentre({ x: 0, y: 0, width: 10, height: 10 }, size, { left: 16, top: 16 }, 1)).toEqual({ left: 0, top: 0 });
  });
});

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
