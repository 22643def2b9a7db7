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
  /**
   * Where a packet entered (ORIGIN): from a local port (0), or from another host through the
   * tunnel (1) or a provider port (2). From another host, the sender's pipeline has already routed
   * it, so it skips L3, and it may only leave to a local port, never to another host.
   */
  fromRemote: 6,
  /** Outer IPv4 source of a packet from the tunnel (Classifier copies tun_src), 0 otherwise. */
  tunnelSource: 7,
  /** tun_id copied as the 64-bit xreg4: its high half (0 for VXLAN/Geneve) ... */
  tunnelIdHigh: 8,
  /** ... and its low half, the VNI (TunnelIn). */
  tunnelId: 9,
} as const;

/** Values of reg fromRemote. Distinct for tunnel and provider so neither path can pass for the other. */
export const ORIGIN = { local: 0, tunnel: 1, provider: 2 } as const;

/** The 64-bit register that holds tun_id: xreg4 = reg8 (high 32 bits) : reg9 (low 32 bits). */
export const TUNNEL_ID_XREG = "xreg4";

export type RegName = keyof typeof REG;
