/** Pipeline inputs with cross-host parts, for the overlay unit tests. */
import type { PipelineInput } from "../../../controller/pipeline/input.js";

/**
 * This host (tunnel 172.31.0.1, tunnel port 100, provider port 200 for VLAN 300) with a1 (blue) and
 * r1 (red, same address in another tenant); remote: a2 and g2 on h2, r2 on h3. grey has no transport.
 */
export function overlayInput(): PipelineInput {
  return {
    networks: [
      { name: "blue", tenant: "acme", id: 101, interSubnetDefault: "deny", transport: { type: "overlay", vni: 5101 } },
      { name: "green", tenant: "acme", id: 102, interSubnetDefault: "deny", transport: { type: "vlan-provider", vlan: 300 } },
      { name: "grey", tenant: "acme", id: 103, interSubnetDefault: "deny" },
      { name: "red", tenant: "globex", id: 201, interSubnetDefault: "allow", transport: { type: "overlay", vni: 5201 } },
    ],
    subnets: [
      { name: "blue-a", network: "blue", id: 1, cidr: "10.1.0.0/24", gateway: "10.1.0.1" },
      { name: "blue-6", network: "blue", id: 2, cidr: "fd10:1::/64", gateway: "fd10:1::1" },
      { name: "green-a", network: "green", id: 3, cidr: "10.3.0.0/24", gateway: "10.3.0.1" },
      { name: "grey-a", network: "grey", id: 5, cidr: "10.9.0.0/24", gateway: "10.9.0.1" },
      { name: "red-a", network: "red", id: 4, cidr: "10.1.0.0/24", gateway: "10.1.0.1" },
    ],
    policies: [],
    ports: [
      { name: "a1", ofport: 1, network: "blue", mac: "02:00:00:00:01:01", ips: ["10.1.0.11", "fd10:1::11"] },
      { name: "r1", ofport: 3, network: "red", mac: "02:00:00:00:03:01", ips: ["10.1.0.11"] },
    ],
    remoteEndpoints: [
      { host: "h2", network: "blue", mac: "02:00:00:00:02:01", ips: ["10.1.0.12", "fd10:1::12"], tunnelIp: "172.31.0.2" },
      { host: "h2", network: "green", mac: "02:00:00:00:02:02", ips: ["10.3.0.12"], tunnelIp: "172.31.0.2" },
      { host: "h3", network: "red", mac: "02:00:00:00:03:02", ips: ["10.1.0.12"], tunnelIp: "172.31.0.3" },
    ],
    local: { tunnelIp: "172.31.0.1", tunnelOfport: 100, providerPorts: [{ vlan: 300, ofport: 200 }] },
  };
}

const dotted = (n: number) => [24, 16, 8, 0].map((shift) => (n >>> shift) & 0xff).join(".");
const hex = (n: number) => (n & 0xff).toString(16).padStart(2, "0");

/** `hosts` remote hosts with `perHost` endpoints each, all in one overlay network (growth tests). */
export function manyRemotes(hosts: number, perHost: number): PipelineInput {
  const input = overlayInput();
  input.subnets.push({ name: "big", network: "blue", id: 9, cidr: "10.128.0.0/9", gateway: "10.128.0.1" });
  const base = (10 << 24) + (128 << 16) + 2;
  for (let h = 0; h < hosts; h++) {
    for (let e = 0; e < perHost; e++) {
      const mac = `02:10:00:${hex(h)}:${hex(e >> 8)}:${hex(e)}`;
      input.remoteEndpoints!.push({ host: `n${h}`, network: "blue", mac, ips: [dotted(base + h * perHost + e)], tunnelIp: `172.30.${h >> 8}.${(h & 0xff) + 1}` });
    }
  }
  return input;
}
