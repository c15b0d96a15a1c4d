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
  it("moves to the nearest card in the arrow's direction", () => {
    expect(nextCard(boxes, "a", "ArrowRight")).toBe("b");
    expect(nextCard(boxes, "b", "ArrowRight")).toBe("c");
    expect(nextCard(boxes, "a", "ArrowDown")).toBe("d");
    expect(nextCard(boxes, "c", "ArrowDown")).toBe("e");
    expect(nextCard(boxes, "d", "ArrowRight")).toBe("e");
  });
  it("stays put at the edge and starts at the first card with nothing selected", () => {
    expect(nextCard(boxes, "c", "ArrowRight")).toBe("c");
    expect(nextCard(boxes, null, "ArrowRight")).toBe("a");
  });
});
