import { describe, expect, it } from "vitest";
import { nextCard } from "./navigate";

// a b c
// d   e
const boxes = [
  { id: "a", x: 0, y: 0 },
  { id: "b", x: 100, y: 0 },
  { id: "c", x: 200, y: 0 },
  { id: "d", x: 0, y: 100 },
  { id: "e", x: 200, y: 100 },
];

describe("nextCard", () => {
  it("walks every card with → and ←, column by column, top to bottom", () => {
    const tour: string[] = ["a"];
    for (let i = 0; i < 6; i++) tour.push(nextCard(boxes, tour[tour.length - 1] ?? null, "ArrowRight") ?? "");
    expect(tour).toEqual(["a", "d", "b", "c", "e", "e", "e"]);
    expect(nextCard(boxes, "b", "ArrowLeft")).toBe("d");
    expect(nextCard(boxes, "a", "ArrowLeft")).toBe("a");
  });
  it("moves up and down to the nearest card that way", () => {
    expect(nextCard(boxes, "a", "ArrowDown")).toBe("d");
    expect(nextCard(boxes, "c", "ArrowDown")).toBe("e");
    expect(nextCard(boxes, "e", "ArrowUp")).toBe("c");
    expect(nextCard(boxes, "d", "ArrowDown")).toBe("d");
  });
  it("starts at the first card with nothing selected", () => {
    expect(nextCard(boxes, null, "ArrowRight")).toBe("a");
  });
});
