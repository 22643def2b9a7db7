/**
 * A private underlay for cross-host tests: a Linux bridge in a netns of its own, one veth to each
 * "host" (an OvsSandbox's host netns), where br-phy holds the veth and the host's underlay address
 * (the recipe in docs/overlay.md). 172.31.0.0/24 exists only inside these namespaces.
 */
import { run } from "../../ovs/exec.js";
import { OvsdbClient } from "../../ovs/ovsdb/index.js";
import type { OvsSandbox } from "../../ovs/sandbox.js";
import { announceUnderlayAddress, assignUnderlayAddress, ensureUnderlayBridge, silenceUplink } from "../../ovs/tunnel/underlay.js";
import { createNetns, deleteNetns, execInNetns, uniqueName } from "./netns.js";

const UPLINK = "eth1";

export class TestUnderlay {
  private constructor(readonly netns: string) {}

  static async start(prefix: string): Promise<TestUnderlay> {
    const underlay = new TestUnderlay(uniqueName(`${prefix}u`));
    await createNetns(underlay.netns);
    try {
      await execInNetns(underlay.netns, "sysctl", ["-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1"]);
      await execInNetns(underlay.netns, "ip", ["link", "add", "ul0", "type", "bridge"]);
      await execInNetns(underlay.netns, "ip", ["link", "set", "ul0", "up"]);
      return underlay;
    } catch (err) {
      await underlay.stop();
      throw err;
    }
  }

  /** Plugs a sandbox in as host `index` (1..254); returns its underlay address. */
  async attach(sandbox: OvsSandbox, index: number): Promise<string> {
    await run("ip", ["link", "add", `h${index}`, "netns", this.netns, "type", "veth", "peer", "name", UPLINK, "netns", sandbox.netns]);
    await execInNetns(this.netns, "ip", ["link", "set", `h${index}`, "master", "ul0", "up"]);
    // The datapath reads the uplink raw: the kernel must not answer ARP or speak IPv6 on it too.
    await silenceUplink({ uplink: UPLINK, netns: sandbox.netns });
    await sandbox.execInHost("ip", ["link", "set", UPLINK, "up"]);
    const address = `172.31.0.${index}`;
    const client = await OvsdbClient.connect(sandbox.dbRemote);
    try {
      await ensureUnderlayBridge(client, { uplink: UPLINK, mac: `02:5d:ff:00:00:${index.toString(16).padStart(2, "0")}` });
    } finally {
      client.close();
    }
    await assignUnderlayAddress({ cidr: `${address}/24`, netns: sandbox.netns });
    return address;
  }

  /**
   * Each host announces its address (gratuitous ARP) until every vswitchd knows all its tunnel
   * neighbours: the userspace datapath drops tunnelled packets to an unresolved neighbour.
   */
  async announce(hosts: Array<{ sandbox: OvsSandbox; address: string }>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      for (const h of hosts) await announceUnderlayAddress({ address: h.address, netns: h.sandbox.netns });
      const missing: string[] = [];
      for (const h of hosts) {
        const known = await h.sandbox.appctl("ovs-vswitchd", "tnl/arp/show");
        for (const peer of hosts) if (peer !== h && !known.includes(`${peer.address} `)) missing.push(`${h.address} lacks ${peer.address}`);
      }
      if (missing.length === 0) return;
      if (attempt === 10) throw new Error(`underlay neighbours not learnt: ${missing.join(", ")}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async stop(): Promise<void> {
    await deleteNetns(this.netns);
  }
}
