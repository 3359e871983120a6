import { describe, expect, it, vi } from "vitest";

// Random bits all ones: the low half of the random part starts at its largest value, so the next
// id in the same millisecond carries into the high half.
vi.mock("node:crypto", async (importOriginal) => ({
  ...(await importOriginal<typeof import("node:crypto")>()),
  randomFillSync: (buffer: Buffer) => buffer.fill(0xff),
}));

const { TimeSortableIds } = await import("../src/core/ids.js");
const { ManualClock } = await import("../src/core/ports.js");

describe("TimeSortableIds, when the low half of the random part overflows", () => {
  it("should carry into the high half and keep ids increasing", () => {
    const clock = new ManualClock("2026-01-01T00:00:00.000Z");
    const ids = new TimeSortableIds(clock);
    const made = [ids.next("user"), ids.next("user"), ids.next("user")];
    // prefix, 01, 9 time chars, then 7 high and 7 low chars.
    const high = (id: string) => id.slice("user_01".length + 9, "user_01".length + 16);
    const low = (id: string) => id.slice("user_01".length + 16);
    expect(high(made[1] as string) > high(made[0] as string)).toBe(true);
    expect(low(made[1] as string)).toBe("1111111");
    expect(low(made[2] as string)).toBe("1111112");
    expect([...made].sort()).toEqual(made);
    expect(new Set(made).size).toBe(3);
  });
});
