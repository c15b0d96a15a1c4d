import { describe, expect, it } from "vitest";
import { cellAt, isDrag, moved } from "./drag";

function el(attrs: Record<string, string>) {
  return { getAttribute: (name: string) => attrs[name] ?? null };
}

const step = { id: "photo", stage: "pay", department: "photo", title: "Photo" };

describe("dragging a card", () => {
  it("needs a few pixels of travel, so a click still selects", () => {
    expect(isDrag(2, 3)).toBe(false);
    expect(isDrag(5, 5)).toBe(true);
  });

  it("reads the stage column and the lane under the pointer", () => {
    const cell = cellAt([el({ class: "step-title" }), el({ "data-lane": "it" }), el({ "data-stage-column": "arrive" })]);
    expect(cell).toEqual({ stage: "arrive", department: "it" });
    expect(moved(step, cell)).toEqual({ ...step, stage: "arrive", department: "it" });
  });

  it("changes nothing when dropped where it was or off the grid", () => {
    expect(moved(step, { stage: "pay", department: "photo" })).toBeNull();
    expect(moved(step, { stage: "arrive", department: null })).toBeNull();
  });

  it("keeps the stage when dropped on a lane's header", () => {
    expect(moved(step, { stage: null, department: "desk" })).toEqual({ ...step, department: "desk" });
  });
});
