/** Pipeline inputs for tests and the benchmark: a small hand-written world and a generated large one. */
import type { PipelineInput, PolicyInput, PortInput, SubnetInput } from "../../../controller/pipeline/input.js";
import type { Endpoint, Network, Port, Subnet } from "../../../controller/pipeline/model.js";
import { parseCidr } from "../../../controller/pipeline/addresses.js";

export const blue: Network = { name: "blue", tenant: "acme", tenantId: 7, id: 101, interSubnetDefault: "deny" };

export function subnet(id: number, cidr: string, gateway: string, network: Network = blue): Subnet {
  const parsed = parseCidr(cidr);
  if (!parsed) throw new Error(`bad cidr ${cidr}`);
  const hex = id.toString(16).padStart(8, "0");
  return { name: `s${id}`, id, network, cidr: parsed, gateway, gatewayMac: `0a:5d:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}:${hex.slice(6, 8)}` };
}

export function port(ofport: number, mac: string, addresses: [string, Subnet][], network: Network = blue): Port {
  const p: Port = { name: `p${ofport}`, ofport, network, mac, endpoints: [] };
  p.endpoints = addresses.map(([address, s]): Endpoint => ({ address, family: s.cidr.family, subnet: s, port: p }));
  return p;
}

export function smallInput(policies: PolicyInput[] = []): PipelineInput {
  return {
    networks: [
      { name: "blue", tenant: "acme", id: 101, interSubnetDefault: "deny" },
      { name: "red", tenant: "globex", id: 201, interSubnetDefault: "allow" },
    ],
    subnets: [
      { name: "blue-a", network: "blue", id: 1, cidr: "10.1.0.0/24", gateway: "10.1.0.1" },
      { name: "blue-b", network: "blue", id: 2, cidr: "10.2.0.0/24", gateway: "10.2.0.1" },
      { name: "blue-6", network: "blue", id: 3, cidr: "fd10:1::/64", gateway: "fd10:1::1" },
      { name: "red-a", network: "red", id: 4, cidr: "10.1.0.0/24", gateway: "10.1.0.1" },
    ],
    policies,
    ports: [
      { name: "a1", ofport: 1, network: "blue", mac: "02:00:00:00:00:01", ips: ["10.1.0.11/24", "fd10:1::11/64"] },
      { name: "b1", ofport: 2, network: "blue", mac: "02:00:00:00:00:02", ips: ["10.2.0.11"] },
      { name: "r1", ofport: 3, network: "red", mac: "02:00:00:00:00:03", ips: ["10.1.0.11"] },
    ],
  };
}

export interface LargeShape {
  ports: number;
  subnets: number;
  rules: number;
  tenants?: number;
}

/**
 * A generated world: `tenants` tenants with one network each, subnets spread over them (10.x.y.0/24),
 * ports spread over the subnets, and rules (10 per policy) mixing subnets, CIDRs and port ranges.
 */
export function largeInput(shape: LargeShape): PipelineInput {
  const tenants = shape.tenants ?? 10;
  const networks = Array.from({ length: tenants }, (_, t) => ({ name: `net${t}`, tenant: `tenant${t}`, id: 100 + t, interSubnetDefault: t % 2 === 0 ? ("allow" as const) : ("deny" as const) }));
  const subnets: SubnetInput[] = Array.from({ length: shape.subnets }, (_, s) => {
    const octet2 = Math.floor(s / 250);
    const octet3 = s % 250;
    return { name: `sub${s}`, network: `net${s % tenants}`, id: s + 1, cidr: `10.${octet2}.${octet3}.0/24`, gateway: `10.${octet2}.${octet3}.1` };
  });
  const ports: PortInput[] = Array.from({ length: shape.ports }, (_, p) => {
    const sub = subnets[p % shape.subnets]!;
    const host = 10 + Math.floor(p / shape.subnets);
    const mac = `02:00:00:00:${((p >> 8) & 0xff).toString(16).padStart(2, "0")}:${(p & 0xff).toString(16).padStart(2, "0")}`;
    return { name: `port${p}`, ofport: p + 1, network: sub.network, mac, ips: [sub.cidr.replace(/\.0\/24$/, `.${host}`)] };
  });
  const policies: PolicyInput[] = [];
  for (let r = 0; r < shape.rules; r++) {
    const t = r % tenants;
    const own = subnets.filter((s) => s.network === `net${t}`);
    const pick = (k: number) => own[k % own.length]!.name;
    const policyName = `pol${t}-${Math.floor(r / tenants / 10)}`;
    let policy = policies.find((p) => p.name === policyName);
    if (!policy) policies.push((policy = { name: policyName, tenant: `tenant${t}`, rules: [] }));
    policy.rules.push({
      action: r % 3 === 0 ? "deny" : "allow",
      from: [{ subnet: pick(r) }, { subnet: pick(r + 1) }, { cidr: `10.200.${r % 250}.0/24` }],
      to: [{ subnet: pick(r + 2) }, { subnet: pick(r + 3) }],
      protocol: r % 2 === 0 ? "tcp" : "udp",
      ports: [{ from: 1000 + r }, { from: 8000, to: 8099 }],
    });
  }
  return { networks, subnets, policies, ports };
}
