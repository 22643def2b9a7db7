/**
 * Checks the cross-host part of the input: this host's tunnel and provider ports, and the endpoints
 * of other hosts. Like local ports, anything invalid is left out and reported: a remote endpoint
 * without flows is unreachable from here (fail closed), and a clash with a local port never
 * redirects the local port's traffic to another host (local ports are resolved first and win).
 */
import { cidrContains, normalizeMac, parseAddress } from "./addresses.js";
import type { PipelineInput, RemoteEndpointInput } from "./input.js";
import type { Network, Port, ProviderPort, RemoteEndpoint, RemoteExit, RemotePort, Subnet, Topology } from "./model.js";

const MAX_OFPORT = 0xfeff;

type Local = Pick<Topology, "networks" | "subnets" | "ports">;
type Remote = Pick<Topology, "remotePorts" | "tunnelOfport" | "providerPorts">;

export function resolveRemote(input: PipelineInput, local: Local, problems: string[]): Remote {
  const used = new Set(local.ports.map((p) => p.ofport));
  const validOfport = (n: number) => Number.isInteger(n) && n >= 1 && n <= MAX_OFPORT && !used.has(n);
  let tunnelOfport = input.local?.tunnelOfport;
  if (tunnelOfport !== undefined && !validOfport(tunnelOfport)) {
    problems.push(`local: tunnel ofport ${tunnelOfport} is invalid or used by a container port; overlay networks stay on this host`);
    tunnelOfport = undefined;
  }
  if (tunnelOfport !== undefined) used.add(tunnelOfport);
  const providerPorts = resolveProviderPorts(input, local.networks, validOfport, used, problems);
  const localTunnelIp = input.local?.tunnelIp === undefined ? undefined : parseAddress(input.local.tunnelIp)?.text;
  const ctx = new RemoteContext(local, tunnelOfport, providerPorts, localTunnelIp);
  const remotePorts: RemotePort[] = [];
  for (const r of input.remoteEndpoints ?? []) {
    const resolved = ctx.resolve(r);
    if (typeof resolved === "string") problems.push(`remote endpoint ${r.host}/${r.mac}: ${resolved}`);
    else remotePorts.push(resolved);
  }
  return { remotePorts, providerPorts, ...(tunnelOfport === undefined ? {} : { tunnelOfport }) };
}

function resolveProviderPorts(input: PipelineInput, networks: Network[], valid: (n: number) => boolean, used: Set<number>, problems: string[]): ProviderPort[] {
  const out: ProviderPort[] = [];
  for (const network of networks) {
    if (network.transport?.kind !== "provider") continue;
    const { vlan } = network.transport;
    const entries = (input.local?.providerPorts ?? []).filter((p) => p.vlan === vlan);
    const entry = entries[0];
    if (!entry) continue; // no uplink for it on this host: the network stays local here
    if (entries.length > 1 || !valid(entry.ofport)) {
      problems.push(`network ${network.name}: provider port for vlan ${vlan} is invalid, duplicated or clashes with another port; it stays on this host only`);
      continue;
    }
    used.add(entry.ofport);
    out.push({ network, vlan, ofport: entry.ofport });
  }
  return out;
}

class RemoteContext {
  private readonly networks: Map<string, Network>;
  private readonly subnetsByNetwork = new Map<Network, Subnet[]>();
  private readonly gatewayMacs: Set<string>;
  private readonly macsByNetwork: Set<string>;
  private readonly addressesByTenant: Set<string>;
  private readonly overlayTenants = new Set<string>();
  private readonly providerTenants = new Set<string>();

  constructor(
    local: Local,
    private readonly tunnelOfport: number | undefined,
    private readonly providerPorts: ProviderPort[],
    private readonly localTunnelIp: string | undefined,
  ) {
    for (const s of local.subnets) this.subnetsByNetwork.set(s.network, [...(this.subnetsByNetwork.get(s.network) ?? []), s]);
    this.gatewayMacs = new Set(local.subnets.map((s) => s.gatewayMac));
    this.macsByNetwork = new Set(local.ports.map((p: Port) => `${p.network.id}/${p.mac}`));
    this.addressesByTenant = new Set(local.ports.flatMap((p) => p.endpoints.map((e) => `${p.network.tenant}/${e.address}`)));
    if (tunnelOfport !== undefined) for (const n of local.networks) if (n.transport?.kind === "overlay") this.overlayTenants.add(n.tenant);
    for (const p of providerPorts) this.providerTenants.add(p.network.tenant);
    this.networks = new Map(local.networks.map((n) => [n.name, n]));
  }

  resolve(r: RemoteEndpointInput): RemotePort | string {
    const network = this.networks.get(r.network);
    if (!network) return `unknown or invalid network ${r.network}`;
    const tunnelIp = parseAddress(r.tunnelIp);
    if (!tunnelIp || tunnelIp.family !== 4) return `tunnel ip ${r.tunnelIp} is not an IPv4 address`;
    if (tunnelIp.text === this.localTunnelIp) return `tunnel ip ${tunnelIp.text} is this host's own`;
    const exit = this.exitFor(network, tunnelIp.text);
    if (typeof exit === "string") return exit;
    const mac = normalizeMac(r.mac);
    if (!mac) return `mac ${r.mac} is not a unicast MAC address`;
    if (this.gatewayMacs.has(mac)) return `mac ${mac} is a gateway MAC`;
    if (this.macsByNetwork.has(`${network.id}/${mac}`)) return `mac ${mac} is used by another endpoint of network ${network.name}`;
    if (r.ips.length === 0) return "has no IP address";
    const port: RemotePort = {
      name: `${r.host}/${mac}`,
      host: r.host,
      network,
      mac,
      endpoints: [],
      exit,
      arrives: {
        ...(this.overlayTenants.has(network.tenant) ? { tunnelSource: Number(tunnelIp.value) } : {}),
        provider: this.providerTenants.has(network.tenant),
      },
    };
    const endpoints: RemoteEndpoint[] = [];
    for (const ip of r.ips) {
      const address = parseAddress(ip);
      const subnet = address && this.subnetsByNetwork.get(network)?.find((s) => cidrContains(s.cidr, address));
      if (!address) return `ip ${ip} is not an IP address`;
      if (!subnet) return `ip ${address.text} is in no subnet of network ${network.name}`;
      if (address.text === subnet.gateway) return `ip ${address.text} is the gateway of subnet ${subnet.name}`;
      if (this.addressesByTenant.has(`${network.tenant}/${address.text}`)) return `ip ${address.text} is used by another endpoint of tenant ${network.tenant}`;
      endpoints.push({ address: address.text, family: address.family, subnet, port });
    }
    port.endpoints = endpoints;
    this.macsByNetwork.add(`${network.id}/${mac}`);
    for (const e of endpoints) this.addressesByTenant.add(`${network.tenant}/${e.address}`);
    return port;
  }

  private exitFor(network: Network, tunnelIp: string): RemoteExit | string {
    const t = network.transport;
    if (!t) return `network ${network.name} has no transport to other hosts`;
    if (t.kind === "overlay") {
      if (this.tunnelOfport === undefined) return `network ${network.name} is an overlay but this host has no tunnel port`;
      return { kind: "tunnel", ofport: this.tunnelOfport, vni: t.vni, tunnelIp };
    }
    const provider = this.providerPorts.find((p) => p.network === network);
    if (!provider) return `network ${network.name} has no provider port for vlan ${t.vlan} on this host`;
    return { kind: "provider", ofport: provider.ofport };
  }
}
