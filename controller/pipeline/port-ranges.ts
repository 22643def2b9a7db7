/**
 * A port range as the fewest value/mask pairs that cover exactly it (OpenFlow matches ports
 * bitwise, not by range): 1000-1999 becomes 1000/0xfff8, 1008/0xfff0, ... A single port has no mask.
 */
export interface MaskedPort {
  value: number;
  mask?: number;
}

export function portRangeMasks(from: number, to: number): MaskedPort[] {
  const out: MaskedPort[] = [];
  let start = from;
  while (start <= to) {
    let size = 1;
    // Grow the block while it stays aligned at `start` and inside the range.
    while (size < 0x10000 && start % (size * 2) === 0 && start + size * 2 - 1 <= to) size *= 2;
    out.push(size === 1 ? { value: start } : { value: start, mask: 0xffff & ~(size - 1) });
    start += size;
  }
  return out;
}
