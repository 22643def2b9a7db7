/**
 * The three definition kinds. Documents are shaped like Kubernetes objects
 * ({apiVersion, kind, metadata: {name}, spec}) so the same JSON Schemas serve as CRD schemas.
 * Field meanings and rules: docs/model.md.
 */
export const API_GROUP = "ovs-sdn.io";
export const API_VERSION = "ovs-sdn.io/v1alpha1";

export const KINDS = ["Network", "Subnet", "IsolationPolicy"] as const;
export type Kind = (typeof KINDS)[number];

export interface Metadata {
  name: string;
  /** Set by the service while a subnet is being deleted (two-phase delete against new leases). */
  deletionTimestamp?: string;
}

export type Verdict = "allow" | "deny";

export interface NetworkSpec {
  tenant: string;
  /** Local VLAN on br-int, 1..4094, unique on the host. Allocated when omitted. */
  vlan?: number;
  /** VXLAN/Geneve VNI for cross-host traffic, 1..16777215, unique. Allocated when omitted. */
  vni?: number;
  /** Provider network: carried between hosts as this 802.1Q VLAN on the physical network, not tunnelled. Unique. */
  providerVlan?: number;
  /** Container interface MTU. Default 1500. */
  mtu?: number;
  /** Verdict for traffic between different subnets of this network when no policy rule matches. Default deny. */
  interSubnet?: Verdict;
}

export interface Network {
  apiVersion?: string;
  kind: "Network";
  metadata: Metadata;
  spec: NetworkSpec;
}

export interface AddressRange {
  start: string;
  end: string;
}

export interface Route {
  dst: string;
  /** Next hop inside the subnet; default the subnet's gateway. */
  gw?: string;
}

export interface Dns {
  nameservers?: string[];
  search?: string[];
  domain?: string;
}

export interface Reservation {
  /** Owner key: "namespace/name" of a pod, or any stable name the runtime passes. */
  owner: string;
  ip: string;
}

export interface SubnetSpec {
  network: string;
  cidr: string;
  /** Virtual gateway address; default the first address after the network address. */
  gateway?: string;
  /** Dynamic allocation ranges (inclusive); default the whole subnet. */
  ranges?: AddressRange[];
  /** Addresses or CIDRs never handed out. */
  exclude?: string[];
  dns?: Dns;
  routes?: Route[];
  reservations?: Reservation[];
}

export interface Subnet {
  apiVersion?: string;
  kind: "Subnet";
  metadata: Metadata;
  spec: SubnetSpec;
}

/** Exactly one field is set. */
export interface Peer {
  subnet?: string;
  network?: string;
  cidr?: string;
}

export type Protocol = "tcp" | "udp" | "icmp" | "icmpv6" | "any";

export interface PortRange {
  port: number;
  /** Inclusive end of a range; default `port`. */
  endPort?: number;
}

export interface PolicyRule {
  action: Verdict;
  /** Sources; empty or omitted means every endpoint of the tenant. */
  from?: Peer[];
  /** Destinations; empty or omitted means every endpoint of the tenant. */
  to?: Peer[];
  /** Default "any". */
  protocol?: Protocol;
  /** Destination ports (tcp/udp only); omitted means all. */
  ports?: PortRange[];
}

export interface IsolationPolicySpec {
  tenant: string;
  /** Policies of a tenant are evaluated by ascending priority, then name. Default 100. */
  priority?: number;
  rules: PolicyRule[];
}

export interface IsolationPolicy {
  apiVersion?: string;
  kind: "IsolationPolicy";
  metadata: Metadata;
  spec: IsolationPolicySpec;
}

export type Definition = Network | Subnet | IsolationPolicy;

export type DefinitionOfKind<K extends Kind> = Extract<Definition, { kind: K }>;

/** A network as stored: every defaultable field filled in. */
export type AppliedNetwork = Network & { spec: Required<Omit<NetworkSpec, "providerVlan">> & Pick<NetworkSpec, "providerVlan"> };
/** A subnet as stored: the gateway filled in. */
export type AppliedSubnet = Subnet & { spec: SubnetSpec & { gateway: string } };

/** The whole set of definitions, keyed by name per kind. */
export interface DefinitionSet {
  networks: Map<string, Network>;
  subnets: Map<string, Subnet>;
  policies: Map<string, IsolationPolicy>;
}

export const DEFAULT_MTU = 1500;
export const DEFAULT_INTER_SUBNET: Verdict = "deny";
export const DEFAULT_POLICY_PRIORITY = 100;
export const VLAN_MIN = 1;
export const VLAN_MAX = 4094;
export const VNI_MIN = 1;
export const VNI_MAX = 16_777_215;

export function emptyDefinitionSet(): DefinitionSet {
  return { networks: new Map(), subnets: new Map(), policies: new Map() };
}
