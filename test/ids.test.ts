import { describe, expect, it } from "vitest";
import { isIdOf, TimeSortableIds } from "../src/core/ids.js";
import { ManualClock } from "../src/core/ports.js";

describe(TimeSortableIds.name, () => {
  it("should make ids that sort in creation order, within and across milliseconds", () => {
    const clock = new ManualClock("2026-01-01T00:00:00.000Z");
    const ids = new TimeSortableIds(clock);
    const made: string[] = [];
    for (let i = 0; i < 2000; i++) {
      made.push(ids.next("user"));
      if (i % 100 === 0) {
        clock.advance(1);
      }
    }
    expect(new Set(made).size).toBe(made.length);
    expect([...made].sort()).toEqual(made);
  });

  it("should keep order when the clock goes backwards", () => {
    const clock = new ManualClock("2026-01-01T00:00:01.000Z");
    const ids = new TimeSortableIds(clock);
    const first = ids.next("workspace");
    clock.advance(-500);
    expect(ids.next("workspace") > first).toBe(true);
  });

  it("should sort later milliseconds after earlier ones across far-apart times", () => {
    const early = new TimeSortableIds(new ManualClock("2001-01-01T00:00:00.000Z")).next("apiKey");
    const late = new TimeSortableIds(new ManualClock("2099-12-31T23:59:59.999Z")).next("apiKey");
    expect(early < late).toBe(true);
  });

  it("should carry the kind's prefix and a fixed shape", () => {
    const id = new TimeSortableIds().next("apiKey");
    expect(id).toMatch(/^apikey_01[1-9A-HJ-NP-Za-km-z]{23}$/);
    expect(isIdOf("apiKey", id)).toBe(true);
    expect(isIdOf("user", id)).toBe(false);
  });
});
