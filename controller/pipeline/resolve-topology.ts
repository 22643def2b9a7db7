/**
 * Checks and indexes networks, subnets and ports. Anything invalid is left out and reported as a
 * problem: a port left out has no flows and so passes no traffic (fail closed), and one bad port
 * never keeps the others from being programmed.
 */
import { cidrContains, cidrsOverlap, gatewayMac, linkLocalFromMac, normalizeMac, parseAddress, parseCidr } from "./addresses.js";
import type { PipelineInput } from "./input.js";
import type { Endpoint, Network, Port, Subnet, Topology } from "./model.js";
import { assignTenantIds } from "./tenant-ids.js";
import { resolveTransport, type SegmentOwners } from "./resolve-transport.js";
import { resolveRemote } from "./resolve-remote.js";

const MAX_ZONE = 0xffff;
const MAX_SUBNET_ID = 0xffff_ffff;
const MAX_OFPORT = 0xfeff; // above are OpenFlow's reserved ports

export function resolveTopology(input: PipelineInput, problems: string[]): Topology {
  const networks = resolveNetworks(input, problems);
  const subnets = resolveSubnets(input, networks, problems);
  const ports = resolvePorts(input, networks, subnets, problems);
  const local = { networks: [...networks.values()], subnets, ports };
  return { ...local, ...resolveRemote(input, local, problems) };
}

function resolveNetworks(input: PipelineInput, problems: string[]): Map<string, Network> {
  const tenantIds = assignTenantIds(input.networks.map((n) => n.tenant));
  const byName = new Map<string, Network>();
  const ids = new Set<number>();
  const segments: SegmentOwners = new Map();
  for (const n of input.networks) {
    const tenantId = tenantIds.get(n.tenant);
    if (byName.has(n.name)) problems.push(`network ${n.name}: defined twice; the second is ignored`);
    else if (!Number.isInteger(n.id) || n.id < 1 || n.id > MAX_ZONE) problems.push(`network ${n.name}: id ${n.id} is not within 1..${MAX_ZONE}`);
    else if (ids.has(n.id)) problems.push(`network ${n.name}: id ${n.id} is already used by another network`);
    else if (!n.tenant || tenantId === undefined) problems.push(`network ${n.name}: no tenant`);
    else {
      ids.add(n.id);
      const network: Network = { name: n.name, tenant: n.tenant, tenantId, id: n.id, interSubnetDefault: n.interSubnetDefault === "allow" ? "allow" : "deny" };
      const transport = resolveTransport(n, segments, problems);
      if (transport) network.transport = transport;
      byName.set(n.name, network);
    }
  }
  return byName;
}

function resolveSubnets(input: PipelineInput, networks: Map<string, Network>, problems: string[]): Subnet[] {
  const subnets: Subnet[] = [];
  const names = new Set<string>();
  const ids = new Set<number>();
  for (const s of input.subnets) {
    const where = `subnet ${s.name}`;
    const network = networks.get(s.network);
    const cidr = parseCidr(s.cidr);
    const gateway = parseAddress(s.gateway);
    let problem: string | undefined;
    if (names.has(s.name)) problem = "defined twice; the second is ignored";
    else if (!network) problem = `unknown or invalid network ${s.network}`;
    else if (!Number.isInteger(s.id) || s.id < 1 || s.id > MAX_SUBNET_ID) problem = `id ${s.id} is not within 1..${MAX_SUBNET_ID}`;
    else if (ids.has(s.id)) problem = `id ${s.id} is already used by another subnet`;
    else if (!cidr) problem = `cidr ${s.cidr} is not a CIDR`;
    else if (!gateway || !cidrContains(cidr, gateway)) problem = `gateway ${s.gateway} is not an address inside ${s.cidr}`;
    else {
      const clash = subnets.find((o) => o.network.tenant === network.tenant && cidrsOverlap(o.cidr, cidr));
      if (clash) problem = `cidr ${cidr.text} overlaps subnet ${clash.name} of the same tenant`;
    }
    if (problem || !network || !cidr || !gateway) {
      problems.push(`${where}: ${problem}`);
      continue;
    }
    names.add(s.name);
    ids.add(s.id);
    subnets.push({ name: s.name, id: s.id, network, cidr, gateway: gateway.text, gatewayMac: gatewayMac(s.id) });
  }
  return subnets;
}

function resolvePorts(input: PipelineInput, networks: Map<string, Network>, subnets: Subnet[], problems: string[]): Port[] {
  const gatewayMacs = new Set(subnets.map((s) => s.gatewayMac));
  const subnetsByNetwork = new Map<Network, Subnet[]>();
  for (const s of subnets) subnetsByNetwork.set(s.network, [...(subnetsByNetwork.get(s.network) ?? []), s]);
  const ofports = new Set<number>();
  const macsByNetwork = new Set<string>();
  const addressesByTenant = new Set<string>();
  const ports: Port[] = [];
  for (const p of input.ports) {
    const network = networks.get(p.network);
    const mac = normalizeMac(p.mac);
    let problem: string | undefined;
    if (!Number.isInteger(p.ofport) || p.ofport < 1 || p.ofport > MAX_OFPORT) problem = `ofport ${p.ofport} is not a valid port number`;
    else if (ofports.has(p.ofport)) problem = `ofport ${p.ofport} is used by another port`;
    else if (!network) problem = `unknown or invalid network ${p.network}`;
    else if (!mac) problem = `mac ${p.mac} is not a unicast MAC address`;
    else if (gatewayMacs.has(mac)) problem = `mac ${mac} is a gateway MAC`;
    else if (macsByNetwork.has(`${network.id}/${mac}`)) problem = `mac ${mac} is used by another port of network ${network.name}`;
    else if (p.ips.length === 0) problem = "has no IP address";
    if (problem || !network || !mac) {
      problems.push(`port ${p.name}: ${problem}`);
      continue;
    }
    const port: Port = { name: p.name, ofport: p.ofport, network, mac, endpoints: [] };
    const endpoints: Endpoint[] = [];
    for (const ip of p.ips) {
      const address = parseAddress(ip);
      const subnet = address && subnetsByNetwork.get(network)?.find((s) => cidrContains(s.cidr, address));
      if (!address) problem = `ip ${ip} is not an IP address`;
      else if (!subnet) problem = `ip ${address.text} is in no subnet of network ${network.name}`;
      else if (address.text === subnet.gateway) problem = `ip ${address.text} is the gateway of subnet ${subnet.name}`;
      else if (addressesByTenant.has(`${network.tenant}/${address.text}`)) problem = `ip ${address.text} is used by another port of tenant ${network.tenant}`;
      if (problem || !address || !subnet) break;
      endpoints.push({ address: address.text, family: address.family, subnet, port });
    }
    if (problem) {
      problems.push(`port ${p.name}: ${problem}`);
      continue;
    }
    port.endpoints = endpoints;
    if (endpoints.some((e) => e.family === 6)) port.linkLocal = linkLocalFromMac(mac);
    ofports.add(p.ofport);
    macsByNetwork.add(`${network.id}/${mac}`);
    for (const e of endpoints) addressesByTenant.add(`${network.tenant}/${e.address}`);
    ports.push(port);
  }
  return ports;
}
