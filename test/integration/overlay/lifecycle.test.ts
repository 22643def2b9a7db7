/**
 * Cross-host changes and attacks with real packets: a host's endpoints leaving the input, forged
 * VXLAN packets (unknown sender, unknown VNI, another host's endpoint), forged frames on the
 * provider VLAN's uplink, and the deployment switching from VXLAN to Geneve in place.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countFrames, ping, probe } from "../pipeline/helpers/traffic.js";
import { udpFrame } from "../pipeline/helpers/frames.js";
import { startWorld, type World } from "./helpers/world.js";
import { sendOnUnderlay, sendVxlan } from "./helpers/vxlan.js";

describe("cross-host lifecycle and forged tunnel packets", () => {
  let w: World;

  beforeAll(async () => {
    w = await startWorld("ovl", "vxlan");
    await w.sync();
  });

  afterAll(async () => {
    await w?.stop();
  });

  it("drops forged VXLAN packets: unknown sender, unknown VNI, another host's endpoint; passes the genuine one", async () => {
    const [h1, h2] = [w.host("h1"), w.host("h2")];
    const a2 = w.c("a2");
    const inner = (srcIp: string, srcMac: string, mark: string) =>
      udpFrame({ srcMac, dstMac: a2.mac, srcIp, dstIp: "10.1.0.12", dstPort: 9999, payloadHex: mark.repeat(4) });
    await h1.sandbox.execInHost("ip", ["addr", "add", "172.31.0.99/32", "dev", "br-phy"]);
    const arriving = (mark: string, send: () => Promise<void>) => countFrames(a2, mark.repeat(4), send, 2000);
    const [genuine, rogue, unknownVni, notItsEndpoint] = await Promise.all([
      arriving("5d0e0001", () => sendVxlan(h1, "172.31.0.1", h2, 5101, inner("10.1.0.11", w.c("a1").mac, "5d0e0001"))),
      arriving("5d0e0002", () => sendVxlan(h1, "172.31.0.99", h2, 5101, inner("10.1.0.11", w.c("a1").mac, "5d0e0002"))),
      arriving("5d0e0003", () => sendVxlan(h1, "172.31.0.1", h2, 7777, inner("10.1.0.11", w.c("a1").mac, "5d0e0003"))),
      arriving("5d0e0004", () => sendVxlan(h1, "172.31.0.1", h2, 5101, inner("10.1.0.13", w.c("a3").mac, "5d0e0004"))),
    ]);
    expect({ genuine, rogue, unknownVni, notItsEndpoint }).toEqual({ genuine: 1, rogue: 0, unknownVni: 0, notItsEndpoint: 0 });
  });

  it("drops frames on the uplink in an unknown VLAN, untagged, or from an address no host owns; passes the genuine one", async () => {
    const g1 = w.c("g1");
    const frame = (vlan: number | undefined, srcIp: string, mark: string) =>
      udpFrame({ srcMac: w.c("g2").mac, dstMac: g1.mac, srcIp, dstIp: "10.3.0.11", dstPort: 9999, payloadHex: mark.repeat(4), ...(vlan === undefined ? {} : { vlan }) });
    const arriving = (mark: string, vlan: number | undefined, srcIp: string) =>
      countFrames(g1, mark.repeat(4), () => sendOnUnderlay(w.underlay.netns, frame(vlan, srcIp, mark)), 2000);
    const [genuine, otherVlan, untagged, nobody] = await Promise.all([
      arriving("5d0e0011", 300, "10.3.0.12"),
      arriving("5d0e0012", 301, "10.3.0.12"),
      arriving("5d0e0013", undefined, "10.3.0.12"),
      arriving("5d0e0014", 300, "10.3.0.99"),
    ]);
    expect({ genuine, otherVlan, untagged, nobody }).toEqual({ genuine: 1, otherVlan: 0, untagged: 0, nobody: 0 });
  });

  it("makes a host's containers unreachable once its endpoints leave the others' input, and reachable again", async () => {
    const [a1, a2, a3] = [w.c("a1"), w.c("a2"), w.c("a3")];
    await w.sync({ hosts: ["h1"], forgetHosts: ["h2"] });
    const [out, back, viaH3] = await Promise.all([probe(a1, "tcp", "10.1.0.12", 80), probe(a2, "udp", "10.1.0.11", 80), probe(a3, "tcp", "10.1.0.12", 80)]);
    expect({ out, back, viaH3 }).toEqual({ out: undefined, back: undefined, viaH3: "a2" });
    await w.sync();
    expect(await probe(a1, "tcp", "10.1.0.12", 80)).toBe("a2");
    expect(await probe(a2, "udp", "10.1.0.11", 80)).toBe("a1");
  });

  it("switches every host from VXLAN to Geneve in place: same reachability, same isolation, same MTU", async () => {
    await w.setTunnelType("geneve");
    await w.sync();
    const [a1, r2] = [w.c("a1"), w.c("r2")];
    expect(await ping(a1, "10.1.0.12")).toBe(true);
    expect(await probe(a1, "tcp", "10.1.0.12", 80)).toBe("a2");
    expect(await probe(a1, "udp", "10.1.0.12", 9000)).toBe("a2");
    expect(await probe(r2, "tcp", "10.1.0.11", 80)).toBe("r1");
    expect(await ping(a1, "10.1.0.12", ["-M", "do", "-s", "1422"])).toBe(true);
    const datapath = await w.host("h1").sandbox.appctl("ovs-vswitchd", "dpctl/dump-flows");
    expect(datapath).toMatch(/tnl_push\(.*geneve\(/);
    expect(datapath).not.toMatch(/tnl_push\(.*vxlan\(/);
    const type = await w.host("h1").sandbox.vsctl("get", "Interface", "ovs-sdn-tun", "type");
    expect(type.trim()).toBe("geneve");
  });
});
