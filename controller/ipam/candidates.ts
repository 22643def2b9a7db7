/**
 * The order dynamic allocation tries addresses in: through the ranges in ascending order, starting
 * just after a hint (the most recently allocated address) and wrapping around once, skipping the
 * gateway, excluded addresses and reservations. Excluded intervals are jumped over, so a /64 is
 * never enumerated: the cost is proportional to the addresses skipped, not to the range size.
 */
import type { IpInterval } from "../model/ip.js";
import type { SubnetLayout } from "../model/subnet-layout.js";

function* walk(layout: SubnetLayout, from: bigint, to: bigint): Generator<bigint> {
  for (const range of layout.ranges) {
    let x = range.first > from ? range.first : from;
    const end = range.last < to ? range.last : to;
    while (x <= end) {
      const excluded = findInterval(layout.excluded, x);
      if (excluded) {
        x = excluded.last + 1n;
        continue;
      }
      if (x !== layout.gateway && !layout.reservedBy.has(x)) yield x;
      x++;
    }
  }
}

/** Binary search in sorted, merged intervals. */
function findInterval(list: IpInterval[], x: bigint): IpInterval | undefined {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const iv = list[mid] as IpInterval;
    if (x < iv.first) hi = mid - 1;
    else if (x > iv.last) lo = mid + 1;
    else return iv;
  }
  return undefined;
}

export function* candidates(layout: SubnetLayout, after: bigint | undefined): Generator<bigint> {
  const start = after === undefined ? layout.cidr.first : after + 1n;
  yield* walk(layout, start, layout.cidr.last);
  if (start > layout.cidr.first) yield* walk(layout, layout.cidr.first, start - 1n);
}

export function isAllocatable(layout: SubnetLayout, x: bigint): boolean {
  return x >= layout.cidr.first && x <= layout.cidr.last && x !== layout.gateway && !findInterval(layout.excluded, x);
}
