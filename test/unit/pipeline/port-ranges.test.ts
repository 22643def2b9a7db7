import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { portRangeMasks } from "../../../controller/pipeline/port-ranges.js";

const covers = (m: { value: number; mask?: number }, port: number) => (port & (m.mask ?? 0xffff)) === m.value;

describe("portRangeMasks", () => {
  it("gives a single port without a mask and aligned blocks as one mask", () => {
    expect(portRangeMasks(80, 80)).toEqual([{ value: 80 }]);
    expect(portRangeMasks(8000, 8063)).toEqual([{ value: 8000, mask: 0xffc0 }]);
    expect(portRangeMasks(1000, 1999)).toEqual([
      { value: 1000, mask: 0xfff8 },
      { value: 1008, mask: 0xfff0 },
      { value: 1024, mask: 0xfe00 },
      { value: 1536, mask: 0xff00 },
      { value: 1792, mask: 0xff80 },
      { value: 1920, mask: 0xffc0 },
      { value: 1984, mask: 0xfff0 },
    ]);
  });

  it("covers exactly the range, with at most 2x16 masks", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 0, max: 65534 }), fc.integer({ min: 0, max: 65535 }), (a, span, probe) => {
        const from = a;
        const to = Math.min(65535, a + span);
        const masks = portRangeMasks(from, to);
        expect(masks.length).toBeLessThanOrEqual(32);
        expect(masks.some((m) => covers(m, probe))).toBe(probe >= from && probe <= to);
      }),
      { numRuns: 2000 },
    );
  });
});
