/** The compiler's checked, indexed view of its input (built by resolve-*.ts, read by the builders). */
import type { Cidr, Family } from "./addresses.js";

export interface Network {
  name: string;
  tenant: string;
  tenantId: number;
  id: number;
  interSubnetDefault: "allow" | "deny";
  /** How it reaches other hosts; absent: this host only (also when its transport was invalid). */
  transport?: Transport;
}

export type Transport = { kind: "overlay"; vni: number } | { kind: "provider"; vlan: number };

export interface Subnet {
  name: string;
  id: number;
  network: Network;
  cidr: Cidr;
  gateway: string;
  gatewayMac: string;
}

/** One address of one port. */
export interface Endpoint {
  address: string;
  family: Family;
  subnet: Subnet;
  port: Port;
}

export interface Port {
  name: string;
  ofport: number;
  network: Network;
  mac: string;
  endpoints: Endpoint[];
  /** EUI-64 link-local address, present when the port has an IPv6 address. */
  linkLocal?: string;
}

/** Something a packet can be matched on for one side of a rule. */
export type RulePeer = { kind: "subnet"; subnet: Subnet } | { kind: "network"; network: Network } | { kind: "cidr"; cidr: Cidr };

export type RuleService =
  | { kind: "any" }
  | { kind: "icmp" }
  | { kind: "icmpv6" }
  | { kind: "tcp" | "udp"; ports: { value: number; mask?: number }[] };

export interface Rule {
  /** "tenant/policy#index" for messages. */
  label: string;
  tenantId: number;
  priority: number;
  conjId: number;
  action: "allow" | "deny";
  /** Empty = anywhere in the tenant. */
  from: RulePeer[];
  to: RulePeer[];
  service: RuleService;
}

/** One address of an endpoint on another host. */
export interface RemoteEndpoint {
  address: string;
  family: Family;
  subnet: Subnet;
  port: RemotePort;
}

/** Where frames for a remote endpoint leave this host. */
export type RemoteExit = { kind: "tunnel"; ofport: number; vni: number; tunnelIp: string } | { kind: "provider"; ofport: number };

/** A container interface on another host. */
export interface RemotePort {
  /** "host/mac", for messages. */
  name: string;
  host: string;
  network: Network;
  mac: string;
  endpoints: RemoteEndpoint[];
  exit: RemoteExit;
  /**
   * How its packets may arrive here (RemoteSource flows): through the tunnel from its host's
   * address (uint32, when this host has a tunnel and the tenant an overlay network), and/or
   * through a provider port (when the tenant has a provider network here).
   */
  arrives: { tunnelSource?: number; provider: boolean };
}

/** The patch port of a provider network on this host. */
export interface ProviderPort {
  network: Network;
  vlan: number;
  ofport: number;
}

export interface Topology {
  networks: Network[];
  subnets: Subnet[];
  ports: Port[];
  remotePorts: RemotePort[];
  /** ofport of the flow-based tunnel port, when this host has one. */
  tunnelOfport?: number;
  providerPorts: ProviderPort[];
}

export interface Resolved extends Topology {
  rules: Rule[];
  problems: string[];
}
