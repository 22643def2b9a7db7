/**
 * Attachments for the plugin's managed mode: the addresses (IPAM, fixed IPs and reservations
 * included), MAC, VLAN, MTU, routes and DNS of one container interface on a network.
 */
import { createHash } from "node:crypto";
import { CniCode, CniError } from "../plugin/cni/errors.js";
import type { Attachment, AttachmentRoute, AttachRequest } from "./api/protocol.js";
import type { Ipam } from "./ipam/ipam.js";
import type { AllocatedAddress } from "./ipam/types.js";
import { parseCidr } from "./model/ip.js";
import { DEFAULT_MTU, type DefinitionSet } from "./model/types.js";
import { attachmentMtu, type Underlay } from "./pipeline/mtu.js";
import { transportOf } from "./cluster.js";

const MAC_PATTERN = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

/**
 * A stable, locally administered unicast MAC for a container interface. The first byte 0x0e keeps
 * it apart from the pipeline's virtual gateway MACs (0a:5d:...).
 */
export function attachmentMac(containerId: string, ifname: string): string {
  const digest = createHash("sha256").update(`${containerId}/${ifname}`).digest();
  const bytes = [0x0e, ...digest.subarray(0, 5)];
  return bytes.map((b) => b.toString(16).padStart(2, "0")).join(":");
}

export class AttachmentService {
  constructor(
    private readonly ipam: Ipam,
    private readonly definitions: () => DefinitionSet,
    /** Cross-host mode: attachments leave room for the encapsulation. */
    private readonly underlay?: Underlay,
  ) {}

  async attach(req: AttachRequest): Promise<Attachment> {
    requireString(req.containerId, "containerId");
    requireString(req.ifname, "ifname");
    requireString(req.network, "network");
    const network = this.definitions().networks.get(req.network);
    if (!network) throw new CniError(CniCode.InvalidConfig, `network "${req.network}" is not defined on this controller`);
    if (network.spec.vlan === undefined) throw new CniError(CniCode.TryAgainLater, `network "${req.network}" has no VLAN allocated yet`);
    const mac = req.requestedMac?.toLowerCase() ?? attachmentMac(req.containerId, req.ifname);
    if (!MAC_PATTERN.test(mac)) throw new CniError(CniCode.InvalidConfig, `requested MAC "${req.requestedMac}" is not a MAC address`);
    const owner = req.podNamespace && req.podName ? `${req.podNamespace}/${req.podName}` : undefined;
    const allocation = await this.ipam.allocate({
      network: req.network,
      containerId: req.containerId,
      ifname: req.ifname,
      ...(owner ? { owner } : {}),
      ...(req.subnets && req.subnets.length > 0 ? { subnets: req.subnets } : {}),
      ...(req.requestedIps && req.requestedIps.length > 0 ? { ips: req.requestedIps } : {}),
    });
    return {
      containerId: req.containerId,
      ifname: req.ifname,
      network: req.network,
      tenant: network.spec.tenant,
      vlan: network.spec.vlan,
      mtu: this.underlay ? attachmentMtu(network.spec.mtu ?? DEFAULT_MTU, transportOf(network.spec), this.underlay) : (network.spec.mtu ?? DEFAULT_MTU),
      mac,
      ips: allocation.addresses.map((a) => ({ address: a.address, gateway: a.gateway, subnet: a.subnet })),
      routes: this.routesFor(req.network, allocation.addresses),
      dns: mergeDns(allocation.addresses),
    };
  }

  async release(containerId: string, ifname: string): Promise<string[]> {
    return this.ipam.release(containerId, ifname);
  }

  /**
   * Routes to the network's other subnets of the same family go through the subnet's virtual
   * gateway (the distributed router); the subnet's own extra routes follow. No default route
   * unless a subnet asks for one: a container may sit on several networks.
   */
  private routesFor(networkName: string, addresses: AllocatedAddress[]): AttachmentRoute[] {
    const routes: AttachmentRoute[] = [];
    const seen = new Set<string>();
    const add = (route: AttachmentRoute) => {
      if (seen.has(route.dst)) return;
      seen.add(route.dst);
      routes.push(route);
    };
    for (const address of addresses) {
      for (const subnet of this.definitions().subnets.values()) {
        if (subnet.spec.network !== networkName || subnet.metadata.name === address.subnet) continue;
        const parsed = parseCidr(subnet.spec.cidr);
        if ("cidr" in parsed && parsed.cidr.family === address.family) add({ dst: subnet.spec.cidr, gw: address.gateway });
      }
      for (const route of address.routes) add({ dst: route.dst, gw: route.gw ?? address.gateway });
    }
    return routes;
  }
}

function mergeDns(addresses: AllocatedAddress[]): Attachment["dns"] {
  const nameservers = [...new Set(addresses.flatMap((a) => a.dns?.nameservers ?? []))];
  const search = [...new Set(addresses.flatMap((a) => a.dns?.search ?? []))];
  const domain = addresses.find((a) => a.dns?.domain)?.dns?.domain;
  return { ...(nameservers.length ? { nameservers } : {}), ...(search.length ? { search } : {}), ...(domain ? { domain } : {}) };
}

function requireString(value: unknown, field: string): void {
  if (typeof value !== "string" || value === "") throw new CniError(CniCode.InvalidConfig, `attachment request: "${field}" must be a non-empty string`);
}
