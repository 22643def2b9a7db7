/**
 * Anti-spoofing with real frames: a container that sends with another address (IPv4, IPv6, MAC,
 * ARP sender) or with an 802.1Q tag gets nothing through, and nothing is flooded. Each case first
 * shows the same traffic arriving when it is honest, so "nothing arrived" means "dropped".
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execInNetns } from "../../helpers/netns.js";
import { startWorld, type World } from "./helpers/scenario.js";
import { arping, countFrames, ping, sendRawFrame } from "./helpers/traffic.js";
import { udpFrame } from "./helpers/frames.js";

const MARK = "5d0e5d0e";
const MARK_PATTERN = MARK.repeat(2);

describe("pipeline anti-spoofing", () => {
  let w: World;
  const ip = (name: string, ...args: string[]) => execInNetns(w.c(name).netns, "ip", args);

  beforeAll(async () => {
    w = await startWorld("pspoof");
    await w.sync();
    // Static neighbors: the spoofed packets must really be sent, not stall on address resolution.
    await ip("a1", "neigh", "replace", "10.1.0.12", "lladdr", "02:00:00:00:01:12", "dev", "eth0");
    await ip("a1", "-6", "neigh", "replace", "fd10:1::12", "lladdr", "02:00:00:00:01:12", "dev", "eth0");
  });

  afterAll(async () => {
    await w?.stop();
  });

  const markedPingsArriving = (extra: string[], target: string) =>
    countFrames(w.c("a2"), MARK_PATTERN, async () => {
      for (let i = 0; i < 3; i++) await ping(w.c("a1"), target, ["-p", MARK, ...extra]);
    });

  it("drops IPv4 packets from an address that is not the port's", async () => {
    expect(await markedPingsArriving([], "10.1.0.12")).toBeGreaterThan(0);
    await ip("a1", "addr", "add", "10.1.0.99/24", "dev", "eth0");
    try {
      expect(await markedPingsArriving(["-I", "10.1.0.99"], "10.1.0.12")).toBe(0);
    } finally {
      await ip("a1", "addr", "del", "10.1.0.99/24", "dev", "eth0");
    }
  });

  it("drops IPv6 packets from an address that is not the port's", async () => {
    expect(await markedPingsArriving([], "fd10:1::12")).toBeGreaterThan(0);
    await ip("a1", "-6", "addr", "add", "fd10:1::99/64", "dev", "eth0", "nodad");
    try {
      expect(await markedPingsArriving(["-I", "fd10:1::99"], "fd10:1::12")).toBe(0);
    } finally {
      await ip("a1", "-6", "addr", "del", "fd10:1::99/64", "dev", "eth0");
    }
  });

  it("drops frames from a MAC that is not the port's", async () => {
    await ip("a1", "link", "set", "eth0", "address", "02:00:00:00:99:99");
    try {
      expect(await markedPingsArriving([], "10.1.0.12")).toBe(0);
      expect(await ping(w.c("a1"), "10.1.0.12")).toBe(false);
    } finally {
      await ip("a1", "link", "set", "eth0", "address", "02:00:00:00:01:11");
    }
    expect(await ping(w.c("a1"), "10.1.0.12")).toBe(true);
  });

  it("answers no ARP request that claims another sender address", async () => {
    expect(await arping(w.c("a1"), "10.1.0.11", "10.1.0.1")).toBe(true);
    expect(await arping(w.c("a1"), "10.1.0.11", "10.1.0.12")).toBe(true);
    await ip("a1", "addr", "add", "10.1.0.12/32", "dev", "eth0");
    try {
      expect(await arping(w.c("a1"), "10.1.0.12", "10.1.0.1")).toBe(false);
      expect(await arping(w.c("a1"), "10.1.0.12", "10.1.0.11")).toBe(false);
    } finally {
      await ip("a1", "addr", "del", "10.1.0.12/32", "dev", "eth0");
    }
  });

  it("drops 802.1Q-tagged frames although the same frame untagged passes", async () => {
    const frame = (vlan?: number) =>
      udpFrame({ srcMac: "02:00:00:00:01:11", dstMac: "02:00:00:00:01:12", srcIp: "10.1.0.11", dstIp: "10.1.0.12", dstPort: 9000, payloadHex: MARK_PATTERN, ...(vlan !== undefined ? { vlan } : {}) });
    const arriving = (hex: string) => countFrames(w.c("a2"), MARK_PATTERN, () => sendRawFrame(w.c("a1"), hex), 1500);
    expect(await arriving(frame())).toBeGreaterThan(0); // (a2 also sees a1's port-unreachable quoting it)
    expect(await arriving(frame(101))).toBe(0); // the network's own VLAN
    expect(await arriving(frame(201))).toBe(0); // another tenant's VLAN
    expect(await arriving(frame(0))).toBe(0); // priority-tagged
  });

  it("floods nothing: broadcast and unknown unicast reach no other container", async () => {
    const send = (dstMac: string, dstIp: string) =>
      sendRawFrame(w.c("a1"), udpFrame({ srcMac: "02:00:00:00:01:11", dstMac, srcIp: "10.1.0.11", dstIp, dstPort: 9000, payloadHex: MARK_PATTERN }));
    for (const victim of ["a2", "b1", "r1"]) {
      const seen = await countFrames(w.c(victim), MARK_PATTERN, async () => {
        await send("ff:ff:ff:ff:ff:ff", "10.1.0.255");
        await send("02:00:00:00:77:77", "10.1.0.12");
        await send("02:00:00:00:01:12", "10.1.0.77");
      }, 1500);
      expect(seen).toBe(0);
    }
  });
});
