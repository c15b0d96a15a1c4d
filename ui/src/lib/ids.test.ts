import { describe, expect, it } from "vitest";
import { freshId, matchByLetters, nameOf } from "./ids";

describe("freshId", () => {
  it("makes a readable id and avoids ones in use", () => {
    expect(freshId("Photo line & camera", [])).toBe("photo_line_camera");
    expect(freshId("Photo line", ["photo_line", "photo_line_2"])).toBe("photo_line_3");
    expect(freshId("!!!", [])).toBe("step");
  });
});

describe("matchByLetters", () => {
  const stages = [
    { id: "arrive", name: "Arrival and check-in" },
    { id: "photo", name: "Photo and signature" },
    { id: "after", name: "Leave and receive card" },
  ];
  it("finds a stage from a few letters", () => {
    expect(matchByLetters("pho", stages)?.id).toBe("photo");
    expect(matchByLetters("arr", stages)?.id).toBe("arrive");
    expect(matchByLetters("receive", stages)?.id).toBe("after");
    expect(matchByLetters("zzz", stages)).toBeUndefined();
  });
  it("prefers what the room reads, a name, over an id", () => {
    const lanes = [
      { id: "counter", name: "Licensing counter" },
      { id: "till", name: "Cashier" },
    ];
    expect(matchByLetters("c", lanes)?.name).toBe("Cashier");
    expect(matchByLetters("cou", lanes)?.name).toBe("Licensing counter");
    expect(matchByLetters("til", lanes)?.name).toBe("Cashier");
  });
});

describe("nameOf", () => {
  it("names a stage or lane by id, or gives the id back when there is none", () => {
    const lanes = [{ id: "till", name: "Cashier" }];
    expect(nameOf(lanes, "till")).toBe("Cashier");
    expect(nameOf(lanes, "gone")).toBe("gone");
  });
});
