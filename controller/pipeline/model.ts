/** The compiler's checked, indexed view of its input (built by resolve-*.ts, read by the builders). */
import type { Cidr, Family } from "./addresses.js";

export interface Network {
  name: string;
  tenant: string;
  tenantId: number;
  id: number;
  interSubnetDefault: "allow" | "deny";
}

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

export interface Topology {
  networks: Network[];
  subnets: Subnet[];
  ports: Port[];
}

export interface Resolved extends Topology {
  rules: Rule[];
  problems: string[];
}
