/**
 * The compiled pipeline on a real OVS bridge with real packets (ping, TCP, UDP; IPv4 and IPv6):
 * same subnet, subnets of one network, networks of one tenant, two tenants with identical CIDRs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execInNetns } from "../../helpers/netns.js";
import { startWorld, type World } from "./helpers/scenario.js";
import { ping, pingReplyTtl, probe } from "./helpers/traffic.js";

describe("pipeline connectivity", () => {
  let w: World;

  beforeAll(async () => {
    w = await startWorld("pconn");
    const diff = await w.sync();
    expect(diff.remove).toEqual([]);
  });

  afterAll(async () => {
    await w?.stop();
  });

  it("passes ping, TCP and UDP inside a subnet, IPv4 and IPv6", async () => {
    const a1 = w.c("a1");
    expect(await ping(a1, "10.1.0.12")).toBe(true);
    expect(await ping(a1, "fd10:1::12")).toBe(true);
    expect(await probe(a1, "tcp", "10.1.0.12", 80)).toBe("a2");
    expect(await probe(a1, "udp", "10.1.0.12", 80)).toBe("a2");
    expect(await probe(a1, "tcp", "fd10:1::12", 80)).toBe("a2");
    expect(await probe(a1, "udp", "fd10:1::12", 9000)).toBe("a2");
  });

  it("answers ARP and neighbor solicitations by flows with the right MACs", async () => {
    const a1 = w.c("a1");
    await ping(a1, "10.1.0.12");
    await ping(a1, "fd10:1::12");
    await probe(a1, "tcp", "fd10:2::11", 80); // resolves the IPv6 gateway
    const neighbors = await execInNetns(a1.netns, "ip", ["neigh", "show", "dev", "eth0"]);
    expect(neighbors).toMatch(/^10\.1\.0\.12 lladdr 02:00:00:00:01:12 /m);
    expect(neighbors).toMatch(/^fd10:1::12 lladdr 02:00:00:00:01:12 /m);
    expect(neighbors).toMatch(/^fd10:1::1 lladdr 0a:5d:00:00:00:02 router /m);
  });

  it("blocks what a deny rule names and nothing more", async () => {
    expect(await probe(w.c("a2"), "tcp", "10.1.0.11", 9000)).toBeUndefined();
    expect(await probe(w.c("a2"), "tcp", "10.1.0.11", 80)).toBe("a1");
    expect(await probe(w.c("a1"), "tcp", "10.1.0.12", 9000)).toBe("a2");
  });

  it("applies the network's deny default between its subnets, refined by an allow rule whose replies pass", async () => {
    const [a1, b1] = [w.c("a1"), w.c("b1")];
    expect(await probe(a1, "tcp", "10.2.0.11", 80)).toBe("b1");
    expect(await probe(a1, "tcp", "fd10:2::11", 80)).toBe("b1");
    expect(await probe(b1, "tcp", "10.1.0.11", 80)).toBeUndefined();
    expect(await probe(b1, "tcp", "fd10:1::11", 80)).toBeUndefined();
    expect(await probe(a1, "udp", "10.2.0.11", 80)).toBeUndefined();
    expect(await ping(a1, "10.2.0.11")).toBe(false);
  });

  it("routes between networks of one tenant only where a policy allows, tracked in both zones", async () => {
    expect(await probe(w.c("g1"), "tcp", "10.1.0.11", 80)).toBe("a1");
    expect(await probe(w.c("g1"), "tcp", "10.1.0.11", 80)).toBe("a1");
    expect(await probe(w.c("a1"), "tcp", "10.3.0.11", 80)).toBeUndefined();
    expect(await probe(w.c("g1"), "tcp", "10.1.0.12", 9000)).toBeUndefined();
    const zones = await w.sandbox.appctl("ovs-vswitchd", "dpctl/dump-conntrack");
    expect(zones).toMatch(/src=10\.3\.0\.11,dst=10\.1\.0\.11.*zone=102/);
    expect(zones).toMatch(/src=10\.3\.0\.11,dst=10\.1\.0\.11.*zone=101/);
  });

  it("routes between subnets of a network whose default is allow, decrementing the TTL", async () => {
    expect(await probe(w.c("r1"), "tcp", "10.4.0.11", 80)).toBe("r3");
    expect(await pingReplyTtl(w.c("r1"), "10.4.0.11")).toBe(63);
    expect(await pingReplyTtl(w.c("r1"), "10.1.0.12")).toBe(64);
  });

  it("keeps two tenants with identical CIDRs apart: each reaches only its own", async () => {
    expect(await probe(w.c("r1"), "tcp", "10.1.0.12", 80)).toBe("r2");
    expect(await probe(w.c("a1"), "tcp", "10.1.0.12", 80)).toBe("a2");
    expect(await probe(w.c("r2"), "udp", "10.1.0.11", 80)).toBe("r1");
    expect(await probe(w.c("a2"), "udp", "10.1.0.11", 80)).toBe("a1");
    // Addresses that exist only in the other tenant are unreachable, whatever the protocol.
    expect(await probe(w.c("r1"), "tcp", "10.2.0.11", 80)).toBeUndefined();
    expect(await ping(w.c("r1"), "10.2.0.11")).toBe(false);
    expect(await probe(w.c("a1"), "tcp", "10.4.0.11", 80)).toBeUndefined();
    expect(await ping(w.c("b1"), "10.4.0.11")).toBe(false);
    const conntrack = await w.sandbox.appctl("ovs-vswitchd", "dpctl/dump-conntrack", "zone=201");
    expect(conntrack).not.toMatch(/10\.2\.0\.11/);
  });
});
