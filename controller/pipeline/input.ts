/**
 * What the pipeline compiler needs to know, and nothing more. Self-contained on purpose: the
 * controller maps its model (definitions from the store + ports from the OVSDB monitor) into this.
 *
 * Identifiers that end up in flows are explicit and must be stable across restarts: a network's
 * `id` is its conntrack zone (changing it forgets every connection of the network), a subnet's `id`
 * is carried in registers and derives the gateway MAC. Tenant ids are derived from the names.
 */

export interface NetworkInput {
  name: string;
  tenant: string;
  /** 1..65535, unique: register value and conntrack zone of the network. The local VLAN fits. */
  id: number;
  /** Traffic between two subnets of this network when no policy rule decides. */
  interSubnetDefault: "allow" | "deny";
}

export interface SubnetInput {
  name: string;
  network: string;
  /** 1..2^32-1, unique across all subnets. */
  id: number;
  /** "10.1.0.0/24" or "fd10:1::/64". */
  cidr: string;
  /** The virtual gateway address, inside the CIDR. */
  gateway: string;
}

/** A place a rule selects traffic from or to. Absent or empty list = anywhere in the tenant. */
export type Peer = { subnet: string } | { network: string } | { cidr: string };

export interface PortRange {
  from: number;
  /** Inclusive; equal to `from` (or absent) for a single port. */
  to?: number;
}

export interface RuleInput {
  action: "allow" | "deny";
  from?: Peer[];
  to?: Peer[];
  protocol?: "tcp" | "udp" | "icmp" | "icmpv6" | "any";
  /** Destination ports; only with tcp or udp. Absent or empty = every port. */
  ports?: PortRange[];
}

/**
 * Policies are evaluated per tenant in array order, rules in order inside each policy; the first
 * rule that matches a new connection decides. Established and related traffic always passes.
 */
export interface PolicyInput {
  name: string;
  tenant: string;
  rules: RuleInput[];
}

/** A container interface attached to br-int, as learnt from OVSDB. */
export interface PortInput {
  /** The OVS interface name (for messages and documentation). */
  name: string;
  ofport: number;
  network: string;
  mac: string;
  /** Its addresses, with or without prefix length ("10.1.0.5" or "10.1.0.5/24"). */
  ips: string[];
}

export interface PipelineInput {
  networks: NetworkInput[];
  subnets: SubnetInput[];
  policies: PolicyInput[];
  ports: PortInput[];
}
