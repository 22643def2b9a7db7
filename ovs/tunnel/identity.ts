/**
 * external_ids on the plumbing ports ovs-sdn creates for cross-host traffic (tunnel port, provider
 * patch ports, uplink): the same owner key as container ports plus a role, so they are found again
 * (and never mistaken for container ports: they carry no container id).
 */
import { OWNER_VALUE, PortKey } from "../port-identity.js";

export const PlumbingKey = {
  owner: PortKey.owner,
  /** "tunnel", "provider-patch" or "uplink". */
  role: "ovs-sdn/role",
  /** The provider VLAN a patch port carries. */
  vlan: "ovs-sdn/vlan",
} as const;

export type PlumbingRole = "tunnel" | "provider-patch" | "uplink";

export function plumbingIds(role: PlumbingRole, extra: Record<string, string> = {}): Record<string, string> {
  return { [PlumbingKey.owner]: OWNER_VALUE, [PlumbingKey.role]: role, ...extra };
}

export function isOurs(ids: Record<string, string>, role: PlumbingRole): boolean {
  return ids[PlumbingKey.owner] === OWNER_VALUE && ids[PlumbingKey.role] === role;
}
