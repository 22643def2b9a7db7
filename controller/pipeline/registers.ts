/**
 * Named register fields: the packet's metadata between tables. Each is a whole 32-bit register.
 * Set early, matched later; nothing else in the pipeline uses registers.
 */
export const REG = {
  /** Source network id (classifier). Its low 16 bits are the conntrack zone. */
  srcNetwork: 0,
  /** Source subnet id (SpoofGuard; 0 for link-local IPv6 sources). */
  srcSubnet: 1,
  /** Tenant id of the source port (classifier). */
  tenant: 2,
  /** Destination subnet id (destination). */
  dstSubnet: 3,
  /** Destination network id (destination); conntrack zone of routed traffic's egress side. */
  dstNetwork: 4,
  /** Output port (L2Forward). */
  outPort: 5,
} as const;

export type RegName = keyof typeof REG;
