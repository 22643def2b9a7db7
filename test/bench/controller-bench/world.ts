/**
 * The controller benchmark's generated world, as definitions the controller validates and stores
 * (docs/model.md): 10 tenants with one network each, 100 subnets (10.60.s.0/24) spread over them,
 * 500 rules (50 policies of 10) shaped like the pipeline benchmark's, so the flow counts compare
 * with docs/performance-pipeline.md. Plus a "cycle" subnet in net0 for the plugin ADD/DEL cycles,
 * and the identities of up to 1,000 bulk ports (10 per subnet) created directly in OVSDB.
 */
export const TENANTS = 10;
export const SUBNETS = 100;
export const RULES = 500;
const RULES_PER_POLICY = 10;

/** Where the ADD/DEL cycles take addresses from (managed mode), in tenant0's network. */
export const CYCLE_NETWORK = "net0";
export const CYCLE_SUBNET = "cycle";

export interface RuleDoc {
  action: "allow" | "deny";
  from: Array<{ subnet: string } | { cidr: string }>;
  to: Array<{ subnet: string }>;
  protocol: "tcp" | "udp";
  ports: Array<{ port: number; endPort?: number }>;
}

export interface PolicyDoc {
  kind: "IsolationPolicy";
  metadata: { name: string };
  spec: { tenant: string; rules: RuleDoc[] };
}

const networkName = (t: number) => `net${t}`;
const subnetName = (s: number) => `sub${s}`;
const subnetsOf = (t: number) => Array.from({ length: SUBNETS / TENANTS }, (_, k) => subnetName(k * TENANTS + t));

export function networkDocs(): unknown[] {
  return Array.from({ length: TENANTS }, (_, t) => ({
    kind: "Network",
    metadata: { name: networkName(t) },
    spec: { tenant: `tenant${t}`, interSubnet: t % 2 === 0 ? "allow" : "deny" },
  }));
}

export function subnetDocs(): unknown[] {
  const docs: unknown[] = Array.from({ length: SUBNETS }, (_, s) => ({
    kind: "Subnet",
    metadata: { name: subnetName(s) },
    spec: { network: networkName(s % TENANTS), cidr: `10.60.${s}.0/24` },
  }));
  docs.push({ kind: "Subnet", metadata: { name: CYCLE_SUBNET }, spec: { network: CYCLE_NETWORK, cidr: "10.61.0.0/24" } });
  return docs;
}

/** Rule r belongs to tenant r % 10: 2 subnets + 1 CIDR -> 2 subnets, tcp or udp, one port and one range. */
function rule(r: number): RuleDoc {
  const own = subnetsOf(r % TENANTS);
  const pick = (k: number) => own[k % own.length]!;
  return {
    action: r % 3 === 0 ? "deny" : "allow",
    from: [{ subnet: pick(r) }, { subnet: pick(r + 1) }, { cidr: `10.200.${r % 250}.0/24` }],
    to: [{ subnet: pick(r + 2) }, { subnet: pick(r + 3) }],
    protocol: r % 2 === 0 ? "tcp" : "udp",
    ports: [{ port: 1000 + r }, { port: 8000, endPort: 8099 }],
  };
}

export function policyDocs(): PolicyDoc[] {
  const policies = new Map<string, PolicyDoc>();
  for (let r = 0; r < RULES; r++) {
    const t = r % TENANTS;
    const name = `pol${t}-${Math.floor(r / TENANTS / RULES_PER_POLICY)}`;
    let policy = policies.get(name);
    if (!policy) policies.set(name, (policy = { kind: "IsolationPolicy", metadata: { name }, spec: { tenant: `tenant${t}`, rules: [] } }));
    policy.spec.rules.push(rule(r));
  }
  return [...policies.values()];
}

export function worldDefinitions(): unknown[] {
  return [...networkDocs(), ...subnetDocs(), ...policyDocs()];
}

/** The first policy (tenant0, rules 0, 10, 20...) with its first rule's single port set to `port` (tcp). */
export function changedPolicy(port: number): PolicyDoc {
  const policy = policyDocs()[0]!;
  policy.spec.rules[0]!.ports[0] = { port };
  return policy;
}

export interface BulkPort {
  /** veth host end, the OVS port name. */
  name: string;
  /** veth peer, left down in the sandbox's host netns. */
  peer: string;
  containerId: string;
  network: string;
  ip: string;
  mac: string;
}

/** Port p sits in subnet p % 100 at host address 10 + p / 100: distinct IPs and MACs for p < 2,400. */
export function bulkPort(p: number): BulkPort {
  const s = p % SUBNETS;
  const hex = (n: number) => n.toString(16).padStart(2, "0");
  return {
    name: `cb${p}`,
    peer: `cbp${p}`,
    containerId: `cbench-${p}`,
    network: networkName(s % TENANTS),
    ip: `10.60.${s}.${10 + Math.floor(p / SUBNETS)}/24`,
    mac: `02:cb:00:00:${hex(p >> 8)}:${hex(p & 0xff)}`,
  };
}
