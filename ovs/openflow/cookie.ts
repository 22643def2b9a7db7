/**
 * Cookie layout (64 bits) of every ovs-sdn flow:
 *
 *   63..48  marker   0x5d0e: "this flow is ovs-sdn's"; dumps and deletes filter on it, so flows
 *                    of anyone else on the bridge are never read or touched.
 *   47..40  purpose  which builder made the flow (classifier port, ARP reply, ACL rule...); lets
 *                    tools and `dump-flows cookie=.../mask` select one kind of flow.
 *   39..0   content  40 bits of SHA-256 over the rendered flow (table, priority, match, actions).
 *
 * The content hash makes a cookie name one exact flow. Reconciling is then a set difference of
 * cookies: an installed flow whose cookie is still desired is identical and stays (counters and
 * all); one whose cookie is no longer desired is deleted by cookie, a new one is added. This is
 * what makes restarts hitless without a generation number: a fresh controller compiles the same
 * flows, hence the same cookies, and finds nothing to change.
 */
import { createHash } from "node:crypto";

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
  const digest = createHash("sha256").update(salt === 0 ? flowText : `${salt}\0${flowText}`).digest();
  const content = BigInt(digest.readUIntBE(0, 5)); // 40 bits
  return (COOKIE_MARKER << MARKER_SHIFT) | (BigInt(purpose) << PURPOSE_SHIFT) | content;
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
