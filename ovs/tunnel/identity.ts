/**
 * external_ids on the plumbing ports ovs-sdn creates for cross-host traffic (tunnel port, provider
 * patch ports, uplink). Deliberately NOT the container ports' owner key (ovs/port-identity.ts):
 * whatever watches, lists or garbage-collects container ports by that key must never see these.
 * Their own key says what they are, so they are found again and a foreign port is never taken.
 */
export const PlumbingKey = {
  /** "tunnel", "provider-patch" or "uplink". */
  role: "ovs-sdn/plumbing",
  /** The provider VLAN a patch port carries. */
  vlan: "ovs-sdn/vlan",
} as const;

export type PlumbingRole = "tunnel" | "provider-patch" | "uplink";

export function plumbingIds(role: PlumbingRole, extra: Record<string, string> = {}): Record<string, string> {
  return { [PlumbingKey.role]: role, ...extra };
}

export function isOurs(ids: Record<string, string>, role: PlumbingRole): boolean {
  return ids[PlumbingKey.role] === role;
}
