import { describe, expect, it } from "vitest";
import { duration } from "./format";
import table from "../../../tests/fixtures/durations.json";

describe("duration", () => {
  it("writes every time as the core's analysis::duration does (the shared table)", () => {
    expect(table.cases.length).toBeGreaterThan(10);
    for (const [minutes, words] of table.cases as [number, string][]) expect(duration(minutes)).toBe(words);
  });
});
