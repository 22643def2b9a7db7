/**
 * Tenant ids for the tenant register: a 31-bit hash of the name, so a tenant keeps its id whatever
 * other tenants come and go. On the (rare) collision, names are taken in sorted order and the later
 * one probes upward: still deterministic for a given set of tenants.
 */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export function assignTenantIds(tenants: Iterable<string>): Map<string, number> {
  const ids = new Map<string, number>();
  const used = new Set<number>();
  for (const name of [...new Set(tenants)].sort()) {
    let id = fnv1a32(`tenant:${name}`) & 0x7fff_ffff || 1;
    while (used.has(id)) id = (id + 1) & 0x7fff_ffff || 1;
    used.add(id);
    ids.set(name, id);
  }
  return ids;
}

/** Unique 32-bit ids from keys (conjunction ids): hash, probe on collision, in the given order. */
export function assignHashedIds(keys: readonly string[]): number[] {
  const used = new Set<number>();
  return keys.map((key) => {
    let id = fnv1a32(key) || 1;
    while (used.has(id)) id = (id + 1) >>> 0 || 1;
    used.add(id);
    return id;
  });
}
