/**
 * Cross-host end to end: three hosts (each its own OVS sandbox and controller), one etcd, a private
 * underlay, VXLAN. Containers attach through the real plugin; the controllers learn each other's
 * endpoints from etcd and isolation holds across hosts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Lab } from "../../controller/lab/lab.js";
import { exchange, ping } from "../../controller/lab/traffic.js";
import { startEtcd, type EtcdCluster } from "../helpers/etcd.js";
import { TestUnderlay } from "../helpers/underlay.js";

const definitions = [
  { kind: "Network", metadata: { name: "acme-net" }, spec: { tenant: "acme", interSubnet: "deny" } },
  { kind: "Subnet", metadata: { name: "acme-web" }, spec: { network: "acme-net", cidr: "10.42.1.0/24" } },
  { kind: "Subnet", metadata: { name: "acme-db" }, spec: { network: "acme-net", cidr: "10.42.2.0/24" } },
  { kind: "Network", metadata: { name: "globex-net" }, spec: { tenant: "globex" } },
  { kind: "Network", metadata: { name: "prov-net" }, spec: { tenant: "acme", providerVlan: 300 } },
  { kind: "Subnet", metadata: { name: "prov-a" }, spec: { network: "prov-net", cidr: "10.43.0.0/24" } },
  { kind: "Subnet", metadata: { name: "globex-web" }, spec: { network: "globex-net", cidr: "10.42.1.0/24" } },
  {
    kind: "IsolationPolicy",
    metadata: { name: "acme-policy" },
    spec: { tenant: "acme", rules: [{ action: "allow", from: [{ subnet: "acme-web" }], to: [{ subnet: "acme-db" }], protocol: "tcp", ports: [{ port: 5432 }] }] },
  },
];

describe("cross-host: three hosts, etcd, VXLAN", () => {
  let etcd: EtcdCluster;
  let underlay: TestUnderlay;
  const hosts: Lab[] = [];
  const addresses: string[] = [];

  const nsOf = (lab: Lab, name: string) => lab.containers.get(name)!.netns;

  beforeAll(async () => {
    etcd = await startEtcd();
    underlay = await TestUnderlay.start("xh");
    for (let i = 1; i <= 3; i++) {
      const lab = await Lab.start({
        prefix: `xh${i}`,
        controllerInCurrentNetns: true,
        prepare: async (sandbox) => void addresses.push(await underlay.attach(sandbox, i)),
        controllerArgs: ["--store", "etcd", "--etcd-endpoints", etcd.endpoints.join(","), "--etcd-prefix", `/xh-${process.pid}/`, "--host-name", `host${i}`, "--tunnel-ip", `172.31.0.${i}`, "--host-ttl-seconds", "3"],
      });
      hosts.push(lab);
    }
    await underlay.announce(hosts.map((lab, i) => ({ sandbox: lab.sandbox, address: addresses[i]! })));
    await hosts[0]!.applyDefinitions(definitions);
    const [h1, h2, h3] = hosts as [Lab, Lab, Lab];
    await h1.addContainer("w1", [{ network: "acme-net", subnets: ["acme-web"] }]);
    await h2.addContainer("w2", [{ network: "acme-net", subnets: ["acme-web"] }]);
    await h3.addContainer("d1", [{ network: "acme-net", subnets: ["acme-db"] }]);
    await h2.addContainer("g1", [{ network: "globex-net" }]);
    await h3.addContainer("g2", [{ network: "globex-net" }]);
  });

  afterAll(async () => {
    for (const lab of hosts) await lab.stop().catch(() => undefined);
    await underlay?.stop();
    await etcd?.stop();
  });

  it("gives attachments the overlay MTU and addresses unique across hosts", () => {
    const [h1, h2, h3] = hosts as [Lab, Lab, Lab];
    expect(h1.address("w1")).toBe("10.42.1.2");
    expect(h2.address("w2")).toBe("10.42.1.3");
    expect(h3.address("d1")).toBe("10.42.2.2");
    expect(h2.address("g1")).toBe("10.42.1.2"); // another tenant: the same address again
  });

  it("connects a network across hosts: ping, TCP, UDP", async () => {
    const [h1, h2] = hosts as [Lab, Lab, Lab];
    await expect.poll(() => ping(nsOf(h1, "w1"), h2.address("w2")), { timeout: 10_000, interval: 250 }).toBe(true);
    expect(await exchange("tcp", nsOf(h2, "w2"), h2.address("w2"), nsOf(h1, "w1"), 8080)).toBe(true);
    expect(await exchange("udp", nsOf(h2, "w2"), h2.address("w2"), nsOf(h1, "w1"), 8081)).toBe(true);
    const mtu = await h1.exec("w1", "cat", ["/sys/class/net/eth0/mtu"]);
    expect(mtu.trim()).toBe("1450");
  });

  it("enforces policies across hosts: allow with replies, not the reverse, default deny", async () => {
    const [h1, , h3] = hosts as [Lab, Lab, Lab];
    await expect.poll(() => exchange("tcp", nsOf(h3, "d1"), h3.address("d1"), nsOf(h1, "w1"), 5432), { timeout: 10_000, interval: 300 }).toBe(true);
    expect(await exchange("tcp", nsOf(h1, "w1"), h1.address("w1"), nsOf(h3, "d1"), 5432)).toBe(false);
    expect(await ping(nsOf(h1, "w1"), h3.address("d1"))).toBe(false);
  });

  it("keeps tenants with identical CIDRs apart across hosts", async () => {
    const [h1, h2, h3] = hosts as [Lab, Lab, Lab];
    await expect.poll(() => ping(nsOf(h2, "g1"), h3.address("g2")), { timeout: 10_000, interval: 250 }).toBe(true);
    // g2 (10.42.1.3 in globex) is not reachable from acme's w1, although w2 has that address in acme.
    expect(await exchange("tcp", nsOf(h3, "g2"), h3.address("g2"), nsOf(h1, "w1"), 8080)).toBe(false);
    expect(await exchange("tcp", nsOf(h1, "w1"), h1.address("w1"), nsOf(h2, "g1"), 8080)).toBe(false);
  });

  it("carries a VLAN provider network across hosts untunnelled, at the full underlay MTU", async () => {
    const [h1, h2] = hosts as [Lab, Lab, Lab];
    await h1.addContainer("p1", [{ network: "prov-net" }]);
    await h2.addContainer("p2", [{ network: "prov-net" }]);
    await expect.poll(() => ping(nsOf(h1, "p1"), h2.address("p2")), { timeout: 10_000, interval: 250 }).toBe(true);
    expect(await exchange("tcp", nsOf(h2, "p2"), h2.address("p2"), nsOf(h1, "p1"), 8080)).toBe(true);
    expect((await h1.exec("p1", "cat", ["/sys/class/net/eth0/mtu"])).trim()).toBe("1500");
    // The packets really took the provider VLAN's patch port, not the tunnel.
    const stats = await h1.sandbox.ofctl("br-phy", "dump-ports", "prov-phy-300");
    expect(Number(/rx pkts=(\d+)/.exec(stats)?.[1])).toBeGreaterThan(0);
  });

  it("keeps traffic flowing while etcd is down; new attachments get error 11 until it is back", async () => {
    const [h1, h2] = hosts as [Lab, Lab, Lab];
    const member = etcd.members[0]!;
    await member.kill();
    try {
      expect(await ping(nsOf(h1, "w1"), h2.address("w2"))).toBe(true);
      await expect(h1.addContainer("late", [{ network: "acme-net", subnets: ["acme-web"] }])).rejects.toMatchObject({ code: 11 });
      expect(await exchange("tcp", nsOf(h2, "w2"), h2.address("w2"), nsOf(h1, "w1"), 8080)).toBe(true);
    } finally {
      await member.restart();
    }
    await expect.poll(async () => h1.addContainer("late", [{ network: "acme-net", subnets: ["acme-web"] }]).then(() => true, () => false), { timeout: 20_000, interval: 1_000 }).toBe(true);
    await expect.poll(() => ping(nsOf(h2, "w2"), h1.address("late")), { timeout: 10_000, interval: 250 }).toBe(true);
  });

  it("forgets a host that is gone: its endpoints disappear from the others", async () => {
    const [h1, h2, h3] = hosts as [Lab, Lab, Lab];
    expect(await ping(nsOf(h1, "w1"), h3.address("d1"), ["-c", "1"])).toBe(false); // policy: no ICMP to db
    await expect.poll(() => exchange("tcp", nsOf(h3, "d1"), h3.address("d1"), nsOf(h1, "w1"), 5432), { timeout: 5_000, interval: 300 }).toBe(true);
    await h3.stopController("SIGKILL"); // host3's controller dies: it stops renewing its records
    const flowsMention = async (ip: string) => (await h1.sandbox.ofctl("br-int", "dump-flows")).includes(ip);
    await expect.poll(() => flowsMention(h3.address("d1")), { timeout: 15_000, interval: 500 }).toBe(false);
    expect(await exchange("tcp", nsOf(h3, "d1"), h3.address("d1"), nsOf(h1, "w1"), 5432)).toBe(false);
    expect(await ping(nsOf(h1, "w1"), h2.address("w2"))).toBe(true);
  });
});
