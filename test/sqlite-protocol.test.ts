/** The rows a batch message carries packed (src/db/sqlite/protocol.ts), as both threads see them. */
import { describe, expect, it } from "vitest";
import { forEachPackedRow, packRows } from "../src/db/sqlite/protocol.js";

/** The rows as the database's thread reads them back, one parameter array each. */
function unpacked(rows: unknown[][]): unknown[][] {
  const packed = packRows(rows);
  if (packed === undefined) {
    throw new Error("not packed");
  }
  const read: unknown[][] = [];
  const results = forEachPackedRow(packed, (params) => {
    read.push([...params]);
    return read.length;
  });
  expect([...results]).toEqual(rows.map((_, i) => i + 1));
  return read;
}

describe("packed parameter rows", () => {
  it("carry numbers, strings and nulls as they were given", () => {
    const rows = [
      ["org", 1, null, 0.5, ""],
      ["org", -2, "é😀", Number.MAX_SAFE_INTEGER, "x"],
    ];
    expect(unpacked(rows)).toEqual(rows);
  });

  it("carry each distinct string once", () => {
    const packed = packRows([
      ["org", "a"],
      ["org", "b"],
      ["org", "a"],
    ]);
    expect(packed?.strings).toEqual(["org", "a", "b"]);
    expect(packed?.width).toBe(2);
  });

  it("are not packed when a value is of another kind, rows differ in width, or there are none", () => {
    expect(packRows([[1n]])).toBeUndefined();
    expect(packRows([[true]])).toBeUndefined();
    expect(packRows([[Buffer.from("x")]])).toBeUndefined();
    expect(packRows([[1, 2], [3]])).toBeUndefined();
    expect(packRows([])).toBeUndefined();
    expect(packRows([[]])).toBeUndefined();
  });
});
