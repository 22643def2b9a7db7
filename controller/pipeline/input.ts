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
  /** How the network reaches its endpoints on other hosts (docs/overlay.md). Absent: this host only. */
  transport?: TransportInput;
}

/**
 * overlay: VXLAN or Geneve (the tunnel port's type decides, per deployment) with the network's
 * VNI as tunnel key. vlan-provider: carried untunnelled on the physical network as this 802.1Q
 * VLAN, through the host's provider patch port for that VLAN (ovs/tunnel/provider-ports.ts).
 */
export type TransportInput = { type: "overlay"; vni: number } | { type: "vlan-provider"; vlan: number };

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

/** A container interface on another host (from that host's endpoint record). */
export interface RemoteEndpointInput {
  /** The host it lives on (for messages). */
  host: string;
  network: string;
  mac: string;
  ips: string[];
  /** That host's underlay IPv4 address (its tunnel endpoint). */
  tunnelIp: string;
}

/** What this host has of the cross-host plumbing (ofports learnt from OVSDB). */
export interface LocalHostInput {
  /** This host's own underlay address: remote endpoints claiming it are refused. */
  tunnelIp?: string;
  /** ofport on br-int of the flow-based tunnel port (remote_ip=flow, key=flow). Absent: no overlay here. */
  tunnelOfport?: number;
  /** ofport on br-int of the patch port that carries each provider VLAN. */
  providerPorts?: { vlan: number; ofport: number }[];
}

export interface PipelineInput {
  networks: NetworkInput[];
  subnets: SubnetInput[];
  policies: PolicyInput[];
  ports: PortInput[];
  /** Endpoints on other hosts; reached through their network's transport. */
  remoteEndpoints?: RemoteEndpointInput[];
  local?: LocalHostInput;
}
