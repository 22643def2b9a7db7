/**
 * Cookie layout (64 bits) of every ovs-sdn flow:
 *
 *   63..48  marker   0x5d0e: "this flow is ovs-sdn's"; dumps and deletes filter on it, so flows
 *                    of anyone else on the bridge are never read or touched.
 *   47..40  purpose  which builder made the flow (classifier port, ARP reply, ACL rule...); lets
 *                    tools and `dump-flows cookie=.../mask` select one kind of flow.
 *   39..0   content  40-bit hash of the rendered flow (table, priority, match, actions).
 *
 * The content hash makes a cookie name one exact flow. Reconciling is then a set difference of
 * cookies: an installed flow whose cookie is still desired is identical and stays (counters and
 * all); one whose cookie is no longer desired is deleted by cookie, a new one is added. This is
 * what makes restarts hitless without a generation number: a fresh controller compiles the same
 * flows, hence the same cookies, and finds nothing to change.
 */

export const COOKIE_MARKER = 0x5d0en;
const MARKER_SHIFT = 48n;
const PURPOSE_SHIFT = 40n;
const CONTENT_MASK = (1n << PURPOSE_SHIFT) - 1n;
const UINT64_MASK = (1n << 64n) - 1n;
export const MARKER_MASK = 0xffffn << MARKER_SHIFT;
const PURPOSE_MASK = 0xffn << PURPOSE_SHIFT;

/** The cookie of a flow with this purpose and rendering; `salt` > 0 only to resolve a collision. */
export function cookieOf(purpose: number, flowText: string, salt = 0): bigint {
  if (!Number.isInteger(purpose) || purpose < 0 || purpose > 0xff) throw new RangeError(`cookie purpose must be 0..255: ${purpose}`);
  const content = hash40(salt === 0 ? flowText : `${salt}\0${flowText}`);
  return (COOKIE_MARKER << MARKER_SHIFT) | (BigInt(purpose) << PURPOSE_SHIFT) | content;
}

/**
 * A fast 40-bit string hash: two independent 32-bit multiply-xorshift lanes (the cyrb53 scheme)
 * over the UTF-16 code units, 20 bits taken from each. Not cryptographic, and it need not be: a
 * collision only costs a re-install (desired.ts salts duplicates, diff.ts checks table/priority).
 */
export function hash40(text: string): bigint {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (BigInt((h1 >>> 12) & 0xfffff) << 20n) | BigInt((h2 >>> 12) & 0xfffff);
}

export function isOurCookie(cookie: bigint): boolean {
  return (cookie & MARKER_MASK) === COOKIE_MARKER << MARKER_SHIFT;
}

export function purposeOf(cookie: bigint): number {
  return Number((cookie & PURPOSE_MASK) >> PURPOSE_SHIFT);
}

export function contentOf(cookie: bigint): bigint {
  return cookie & CONTENT_MASK;
}

export function formatCookie(cookie: bigint): string {
  return `0x${(cookie & UINT64_MASK).toString(16)}`;
}

/** `cookie=value/mask` selecting every ovs-sdn flow (for dump-flows and del-flows). */
export function ourCookieFilter(): string {
  return `cookie=${formatCookie(COOKIE_MARKER << MARKER_SHIFT)}/${formatCookie(MARKER_MASK)}`;
}

/** `cookie=value/mask` selecting ovs-sdn flows of one purpose. */
export function purposeCookieFilter(purpose: number): string {
  const value = (COOKIE_MARKER << MARKER_SHIFT) | (BigInt(purpose) << PURPOSE_SHIFT);
  return `cookie=${formatCookie(value)}/${formatCookie(MARKER_MASK | PURPOSE_MASK)}`;
}
