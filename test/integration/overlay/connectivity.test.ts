/**
 * Cross-host dataplane with real packets over a private underlay of three hosts: VXLAN overlay
 * and a VLAN provider network, the connectivity matrix (same subnet, inter-subnet default and
 * policies, routed overlay -> provider), two tenants with identical CIDRs spread across hosts, and
 * the receiving host enforcing its own policy.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execInNetns } from "../../helpers/netns.js";
import { ping, pingReplyTtl, probe } from "../pipeline/helpers/traffic.js";
import { acmePolicy, PROVIDER_VLAN, startWorld, type World } from "./helpers/world.js";

describe("cross-host dataplane (VXLAN + VLAN provider)", () => {
  let w: World;

  beforeAll(async () => {
    w = await startWorld("ovc", "vxlan");
    await w.sync();
  });

  afterAll(async () => {
    await w?.stop();
  });

  it("passes ping, TCP and UDP inside an overlay subnet across hosts", async () => {
    const [a1, a3] = [w.c("a1"), w.c("a3")];
    expect(await ping(a1, "10.1.0.12")).toBe(true);
    expect(await probe(a1, "tcp", "10.1.0.12", 80)).toBe("a2");
    expect(await probe(a1, "udp", "10.1.0.12", 9000)).toBe("a2");
    expect(await probe(a3, "tcp", "10.1.0.11", 80)).toBe("a1");
    expect(await probe(a3, "udp", "10.1.0.12", 80)).toBe("a2");
  });

  it("passes IPv6 across hosts, neighbor discovery answered on the sender's host", async () => {
    const a1 = w.c("a1");
    expect(await ping(a1, "fd10:1::12")).toBe(true);
    expect(await probe(a1, "tcp", "fd10:1::12", 80)).toBe("a2");
    expect(await probe(w.c("a2"), "udp", "fd10:1::11", 9000)).toBe("a1");
  });

  it("answers ARP and ND for remote endpoints on the sender's host with their real MACs", async () => {
    const neighbors = await execInNetns(w.c("a1").netns, "ip", ["neigh", "show", "dev", "eth0"]);
    expect(neighbors).toMatch(/^10\.1\.0\.12 lladdr 02:00:00:02:01:12 /m);
    expect(neighbors).toMatch(/^fd10:1::12 lladdr 02:00:00:02:01:12 /m);
  });

  it("fits a full-size packet of the container MTU (1450) through the VXLAN encapsulation", async () => {
    const mtu = await execInNetns(w.c("a1").netns, "cat", ["/sys/class/net/eth0/mtu"]);
    expect(mtu.trim()).toBe("1450");
    expect(await ping(w.c("a1"), "10.1.0.12", ["-M", "do", "-s", "1422"])).toBe(true);
  });

  it("carries a VLAN provider network across hosts, tagged on the uplink", async () => {
    const [g1, g2] = [w.c("g1"), w.c("g2")];
    expect(await ping(g2, "10.3.0.11")).toBe(true);
    expect(await probe(g2, "tcp", "10.3.0.11", 80)).toBe("g1");
    expect(await probe(g1, "udp", "10.3.0.12", 9000)).toBe("g2");
    // br-phy of h3 learnt g2's MAC from the uplink in VLAN 300: the frames came tagged, not tunnelled.
    const fdb = await w.host("h3").sandbox.appctl("ovs-vswitchd", "fdb/show", "br-phy");
    expect(fdb).toMatch(new RegExp(`^\\s*\\d+\\s+${PROVIDER_VLAN}\\s+02:00:00:01:03:12\\s`, "m"));
  });

  it("applies the inter-subnet default and allow rules across hosts: replies pass, the reverse new connection does not", async () => {
    const [a1, b1] = [w.c("a1"), w.c("b1")];
    const [web, other, reverse, icmp] = await Promise.all([
      probe(a1, "tcp", "10.2.0.11", 80),
      probe(a1, "tcp", "10.2.0.11", 9000),
      probe(b1, "tcp", "10.1.0.11", 80),
      ping(a1, "10.2.0.11"),
    ]);
    expect([web, other, reverse, icmp]).toEqual(["b1", undefined, undefined, false]);
    expect(await pingReplyTtl(w.c("a3"), "10.1.0.11")).toBe(64); // bridged across hosts: no hop
  });

  it("blocks across hosts what a deny rule names and nothing more", async () => {
    const a2 = w.c("a2");
    const [denied, allowed] = await Promise.all([probe(a2, "tcp", "10.1.0.11", 9000), probe(a2, "tcp", "10.1.0.11", 80)]);
    expect([denied, allowed]).toEqual([undefined, "a1"]);
  });

  it("routes from an overlay network into the provider network on another host where a policy allows", async () => {
    const [a1, g1] = [w.c("a1"), w.c("g1")];
    const [allowed, udp, reverse] = await Promise.all([probe(a1, "tcp", "10.3.0.11", 80), probe(a1, "udp", "10.3.0.11", 80), probe(g1, "tcp", "10.1.0.11", 80)]);
    expect([allowed, udp, reverse]).toEqual(["g1", undefined, undefined]);
  });

  it("keeps two tenants with identical CIDRs on different hosts apart", async () => {
    const [a1, r2, r1] = [w.c("a1"), w.c("r2"), w.c("r1")];
    // 10.1.0.12 is r2 (globex) on h1 and a2 (acme) on h2; 10.1.0.11 is a1 (acme) on h1 and r1 (globex) on h2.
    expect(await probe(a1, "tcp", "10.1.0.12", 80)).toBe("a2");
    expect(await probe(r2, "tcp", "10.1.0.11", 80)).toBe("r1");
    expect(await probe(r1, "udp", "10.1.0.12", 80)).toBe("r2");
    const [toAcme, toGreen] = await Promise.all([probe(r1, "tcp", "10.2.0.11", 80), probe(r2, "tcp", "10.3.0.11", 80)]);
    expect([toAcme, toGreen]).toEqual([undefined, undefined]);
  });

  it("lets the receiving host decide: a rule only the sender's host has does not open the path", async () => {
    const b1 = w.c("b1");
    const reverse = { action: "allow" as const, from: [{ subnet: "blue-b" }], to: [{ subnet: "blue-a" }], protocol: "tcp" as const, ports: [{ from: 80 }] };
    await w.sync({ hosts: ["h2"], policies: [acmePolicy([reverse])] });
    expect(await probe(b1, "tcp", "10.1.0.11", 80)).toBeUndefined();
    await w.sync({ hosts: ["h1"], policies: [acmePolicy([reverse])] });
    expect(await probe(b1, "tcp", "10.1.0.11", 80)).toBe("a1");
    await w.sync();
    expect(await probe(b1, "tcp", "10.1.0.11", 80)).toBeUndefined();
  });
});
