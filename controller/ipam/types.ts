/** IPAM request, result and stored records. Behaviour: docs/model.md "IP address management". */
import type { Dns, Route } from "../model/types.js";

export interface AllocateRequest {
  network: string;
  containerId: string;
  ifname: string;
  /** Owner key (pod "namespace/name", or any stable name): matches subnet reservations. */
  owner?: string;
  /** Subnets to take an address from. Default: the network's only IPv4 and only IPv6 subnet. */
  subnets?: string[];
  /** Fixed addresses (CNI_ARGS IP=, runtimeConfig ips): "10.1.0.5" or "10.1.0.5/24". */
  ips?: string[];
}

/** How an address was chosen. */
export type LeaseKind = "dynamic" | "fixed" | "reserved";

/** One leased address; stored at leases/<network>/<subnet>/<ip>. */
export interface Lease {
  network: string;
  subnet: string;
  /** Canonical text. */
  ip: string;
  containerId: string;
  ifname: string;
  owner?: string;
  kind: LeaseKind;
  /** ISO time of allocation. */
  time: string;
}

/** Which leases a container interface holds; stored at attachments/<containerId>/<ifname>. */
export interface AttachmentRecord {
  containerId: string;
  ifname: string;
  network: string;
  owner?: string;
  /** Lease keys. */
  leases: string[];
  time: string;
}

export interface AllocatedAddress {
  network: string;
  subnet: string;
  family: 4 | 6;
  ip: string;
  prefixLength: number;
  /** "10.1.0.5/24". */
  address: string;
  gateway: string;
  kind: LeaseKind;
  routes: Route[];
  dns?: Dns;
}

export interface Allocation {
  network: string;
  containerId: string;
  ifname: string;
  owner?: string;
  addresses: AllocatedAddress[];
}

export interface LeaseFilter {
  network?: string;
  subnet?: string;
  containerId?: string;
  ifname?: string;
  owner?: string;
}
