/**
 * Managed mode end to end: the real controller process, the real plugin binary over CNI, real
 * packets. Two tenants with identical CIDRs, three subnets, policies, fixed IPs, IPv6, restarts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { Lab } from "../../controller/lab/lab.js";
import { exchange, ping } from "../../controller/lab/traffic.js";

const definitions = [
  { kind: "Network", metadata: { name: "acme-net" }, spec: { tenant: "acme", interSubnet: "deny" } },
  { kind: "Subnet", metadata: { name: "acme-web" }, spec: { network: "acme-net", cidr: "10.40.1.0/24", reservations: [{ owner: "prod/fixed", ip: "10.40.1.50" }] } },
  { kind: "Subnet", metadata: { name: "acme-db" }, spec: { network: "acme-net", cidr: "10.40.2.0/24" } },
  { kind: "Network", metadata: { name: "acme-v6" }, spec: { tenant: "acme" } },
  { kind: "Subnet", metadata: { name: "acme-v6-a" }, spec: { network: "acme-v6", cidr: "fd40:6::/64" } },
  { kind: "Network", metadata: { name: "globex-net" }, spec: { tenant: "globex" } },
  { kind: "Subnet", metadata: { name: "globex-web" }, spec: { network: "globex-net", cidr: "10.40.1.0/24" } },
];

function acmePolicy(denyWebPort: number | undefined) {
  const rules: unknown[] = [];
  if (denyWebPort !== undefined) rules.push({ action: "deny", to: [{ subnet: "acme-web" }], protocol: "tcp", ports: [{ port: denyWebPort }] });
  rules.push({ action: "allow", from: [{ subnet: "acme-web" }], to: [{ subnet: "acme-db" }], protocol: "tcp", ports: [{ port: 5432 }] });
  return { kind: "IsolationPolicy", metadata: { name: "acme-policy" }, spec: { tenant: "acme", rules } };
}

describe("managed mode: controller + plugin + real packets", () => {
  let lab: Lab;
  const ns = (name: string) => lab.containers.get(name)!.netns;

  beforeAll(async () => {
    lab = await Lab.start({ prefix: "e2e", leaseGraceMs: 1_500 });
    await lab.applyDefinitions([...definitions, acmePolicy(9000)]);
    await lab.addContainer("w1", [{ network: "acme-net", subnets: ["acme-web"] }]);
    await lab.addContainer("w2", [{ network: "acme-net", subnets: ["acme-web"] }]);
    await lab.addContainer("d1", [{ network: "acme-net", subnets: ["acme-db"] }]);
    await lab.addContainer("g1", [{ network: "globex-net" }]);
    await lab.addContainer("g2", [{ network: "globex-net" }]);
    await lab.addContainer("g3", [{ network: "globex-net" }]);
  });

  afterAll(async () => {
    await lab?.stop();
  });

  it("gives tenants identical addresses from identical CIDRs", () => {
    expect(lab.address("w1")).toBe("10.40.1.2");
    expect(lab.address("g1")).toBe("10.40.1.2");
    expect(lab.address("w2")).toBe("10.40.1.3");
    expect(lab.address("g2")).toBe("10.40.1.3");
    expect(lab.address("d1")).toBe("10.40.2.2");
  });

  it("passes traffic inside a subnet: ping, TCP and UDP", async () => {
    expect(await ping(ns("w1"), lab.address("w2"))).toBe(true);
    expect(await exchange("tcp", ns("w2"), lab.address("w2"), ns("w1"), 8080)).toBe(true);
    expect(await exchange("udp", ns("w2"), lab.address("w2"), ns("w1"), 8081)).toBe(true);
    expect(await ping(ns("g1"), lab.address("g2"))).toBe(true);
  });

  it("never crosses tenants, even with identical addresses", async () => {
    // g3 (10.40.1.4) exists only in globex: acme's w1 must not reach it, nor globex acme's d1.
    expect(lab.address("g3")).toBe("10.40.1.4");
    expect(await ping(ns("w1"), "10.40.1.4")).toBe(false);
    expect(await exchange("tcp", ns("g3"), "10.40.1.4", ns("w1"), 8080)).toBe(false);
    expect(await ping(ns("g1"), lab.address("d1"))).toBe(false);
  });

  it("applies the network default between subnets and lets policies refine it", async () => {
    expect(await ping(ns("w1"), lab.address("d1"))).toBe(false); // acme-net: interSubnet deny
    expect(await exchange("tcp", ns("d1"), lab.address("d1"), ns("w1"), 5432)).toBe(true); // allowed, replies pass
    expect(await exchange("tcp", ns("w1"), lab.address("w1"), ns("d1"), 5432)).toBe(false); // reverse new connection
    expect(await exchange("udp", ns("d1"), lab.address("d1"), ns("w1"), 5432)).toBe(false); // the rule says tcp
  });

  it("a deny rule blocks inside a subnet, and removing it converges", async () => {
    expect(await exchange("tcp", ns("w2"), lab.address("w2"), ns("w1"), 9000)).toBe(false);
    await lab.applyDefinitions([acmePolicy(undefined)]);
    await expect.poll(() => exchange("tcp", ns("w2"), lab.address("w2"), ns("w1"), 9000), { timeout: 5_000, interval: 200 }).toBe(true);
    await lab.applyDefinitions([acmePolicy(9000)]);
    await expect.poll(() => exchange("tcp", ns("w2"), lab.address("w2"), ns("w1"), 9000), { timeout: 5_000, interval: 200 }).toBe(false);
  });

  it("gets nothing through with a spoofed IP or MAC", async () => {
    await lab.exec("w1", "ip", ["addr", "add", "10.40.1.99/24", "dev", "eth0"]);
    expect(await ping(ns("w1"), lab.address("w2"), ["-I", "10.40.1.99"])).toBe(false);
    await lab.exec("w1", "ip", ["addr", "del", "10.40.1.99/24", "dev", "eth0"]);
    const mac = (await lab.exec("w1", "cat", ["/sys/class/net/eth0/address"])).trim();
    await lab.exec("w1", "ip", ["link", "set", "eth0", "address", "0e:00:00:00:00:99"]);
    expect(await ping(ns("w1"), lab.address("w2"))).toBe(false);
    await lab.exec("w1", "ip", ["link", "set", "eth0", "address", mac]);
    expect(await ping(ns("w1"), lab.address("w2"))).toBe(true);
  });

  it("honours fixed IPs and keeps a reservation across DEL and ADD under the same owner", async () => {
    await lab.addContainer("f1", [{ network: "acme-net", podNamespace: "prod", podName: "fixed" }]);
    expect(lab.address("f1")).toBe("10.40.1.50");
    await lab.removeContainer("f1");
    await lab.addContainer("f1", [{ network: "acme-net", podNamespace: "prod", podName: "fixed" }]);
    expect(lab.address("f1")).toBe("10.40.1.50");
    expect(await ping(ns("f1"), lab.address("w2"))).toBe(true);
    await lab.addContainer("f2", [{ network: "acme-net", ips: ["10.40.1.60"] }]);
    expect(lab.address("f2")).toBe("10.40.1.60");
    await expect(lab.addContainer("f3", [{ network: "acme-net", ips: ["10.40.1.60"] }])).rejects.toMatchObject({ code: 102 });
  });

  it("works over IPv6 with neighbour discovery", async () => {
    await lab.addContainer("v1", [{ network: "acme-v6" }]);
    await lab.addContainer("v2", [{ network: "acme-v6" }]);
    await expect.poll(() => ping(ns("v1"), lab.address("v2", "eth0", 6)), { timeout: 5_000, interval: 300 }).toBe(true);
    expect(await exchange("tcp", ns("v2"), lab.address("v2", "eth0", 6), ns("v1"), 8080)).toBe(true);
  });

  it("restores every flow after ovs-vswitchd restarts", async () => {
    await lab.sandbox.restartVswitchd();
    await expect.poll(() => ping(ns("w1"), lab.address("w2")), { timeout: 10_000, interval: 250 }).toBe(true);
    expect(await exchange("tcp", ns("d1"), lab.address("d1"), ns("w1"), 5432)).toBe(true);
    expect(await ping(ns("w1"), "10.40.1.4")).toBe(false);
  });

  it("restarts the controller without losing a packet", async () => {
    const pinger = spawn("ip", ["netns", "exec", ns("w1"), "ping", "-i", "0.02", "-c", "150", "-W", "1", lab.address("w2")]);
    let output = "";
    pinger.stdout.on("data", (c: Buffer) => (output += c.toString()));
    const done = new Promise((r) => pinger.on("exit", r));
    await new Promise((r) => setTimeout(r, 500));
    await lab.stopController("SIGTERM");
    await lab.startController();
    await done;
    expect(output).toMatch(/150 packets transmitted, 150 received/);
    expect(readFileSync(lab.controllerLog, "utf8")).toMatch(/"reasons":\["startup"\],"added":0,"removed":0/);
  });

  it("DEL succeeds with the controller down; its GC releases the lease later", async () => {
    await lab.addContainer("x1", [{ network: "acme-net", ips: ["10.40.1.70"] }]);
    const port = hostPortOf(lab, "x1");
    expect(await lab.sandbox.vsctl("list-ports", "br-int")).toContain(port);
    await lab.stopController("SIGTERM");
    await lab.removeContainer("x1"); // DEL: port and veth go, the release waits for the controller
    expect(await lab.sandbox.vsctl("list-ports", "br-int")).not.toContain(port);
    await lab.startController();
    await expect.poll(async () => (await lab.client.call<Array<{ ip: string }>>("GET", "/v1/leases")).map((l) => l.ip), { timeout: 10_000, interval: 250 }).not.toContain("10.40.1.70");
  });

  it("GC removes the port and lease of a container whose netns vanished without DEL", async () => {
    await lab.addContainer("x2", [{ network: "acme-net", ips: ["10.40.1.71"] }]);
    const portsBefore = await lab.sandbox.vsctl("list-ports", "br-int");
    await lab.abandonContainer("x2");
    await expect.poll(async () => lab.sandbox.vsctl("list-ports", "br-int"), { timeout: 10_000, interval: 250 }).not.toBe(portsBefore);
    await expect.poll(async () => (await lab.client.call<Array<{ ip: string }>>("GET", "/v1/leases")).map((l) => l.ip), { timeout: 10_000, interval: 250 }).not.toContain("10.40.1.71");
    expect(await ping(ns("w1"), lab.address("w2"))).toBe(true);
  });
});

/** The OVS port name the plugin derived for a container's eth0, from the ADD result. */
function hostPortOf(lab: Lab, name: string): string {
  const att = lab.containers.get(name)?.attachments[0];
  const interfaces = (att?.result.interfaces ?? []) as Array<{ name: string; sandbox?: string }>;
  const host = interfaces.find((i) => !i.sandbox)?.name;
  if (!host) throw new Error(`${name} has no host interface in its ADD result`);
  return host;
}
