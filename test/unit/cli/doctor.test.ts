import { describe, expect, it } from "vitest";
import { evaluate, renderChecks, txChecksumOf, type Facts } from "../../../controller/cli/doctor/checks.js";
import type { OurPort } from "../../../controller/cli/ports.js";
import type { Lease } from "../../../controller/ipam/types.js";

function port(name: string, containerId: string, extra: Partial<OurPort> = {}): OurPort {
  return {
    name,
    ofport: 1,
    tag: 1,
    error: undefined,
    identity: { mode: "managed", containerId, ifname: "eth0", netns: `/var/run/netns/${name}`, network: "blue", ips: ["10.1.0.11/24"], mac: "02:00:00:00:00:01" },
    ...extra,
  };
}

function lease(ip: string, containerId: string): Lease {
  return { network: "blue", subnet: "blue-a", ip, containerId, ifname: "eth0", kind: "dynamic", time: "2026-01-01T00:00:00Z" };
}

function healthy(): Facts {
  return {
    ovsdbRemote: "unix:/run/db.sock",
    apiSocket: "/run/api.sock",
    ovsdb: { ok: true, value: { version: "3.1.0", bridge: { name: "br-int", exists: true, failMode: "secure", datapathType: "netdev" }, ports: [port("p1", "c1"), port("p2", "c2")] } },
    status: { ok: true, value: { ready: true, bridge: "br-int", ovsdb: "connected", flowsInSync: true, ports: 2, flows: 70 } },
    installedFlows: { ok: true, value: 70 },
    leases: { ok: true, value: [lease("10.1.0.11", "c1")] },
    goneNetns: [],
    offload: [
      { port: "p1", ifname: "eth0", txChecksum: "off" },
      { port: "p2", ifname: "eth0", txChecksum: "off" },
    ],
    plugin: { binDir: "/opt/cni/bin", versions: { ok: true, value: ["0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"] }, bundle: "plugin-0123456789abcdef", cacheBytes: 215_040 },
  };
}

const statuses = (f: Facts) => Object.fromEntries(evaluate(f).map((r) => [r.name, r.status]));

describe("doctor checks", () => {
  it("passes everything on a healthy node", () => {
    const results = evaluate(healthy());
    expect(results.map((r) => r.name)).toEqual(["OVS reachable", "bridge fail-secure", "controller up", "flows in sync", "no leaked ports", "no leases without a port", "checksum offload", "CNI plugin"]);
    expect(results.every((r) => r.status === "OK")).toBe(true);
    expect(renderChecks(results)).toMatch(/^OK {4}OVS reachable: OVSDB at unix:\/run\/db.sock, Open vSwitch 3.1.0\n[\s\S]*all checks passed\n$/);
  });

  it("fails OVS and skips what needs it when OVSDB is down", () => {
    const f = { ...healthy(), ovsdb: { ok: false as const, error: "cannot reach OVSDB at unix:/run/db.sock: connect ENOENT" } };
    expect(statuses(f)).toMatchObject({ "OVS reachable": "FAIL", "bridge fail-secure": "SKIP", "no leaked ports": "SKIP", "no leases without a port": "SKIP", "checksum offload": "SKIP", "controller up": "OK" });
    expect(renderChecks(evaluate(f))).toContain("FAIL  OVS reachable: cannot reach OVSDB at unix:/run/db.sock: connect ENOENT\n      hint: ");
  });

  it("fails a missing bridge and a bridge that is not fail-secure", () => {
    const f = healthy();
    if (!f.ovsdb.ok) throw new Error("fixture");
    f.ovsdb.value.bridge = { name: "br-int", exists: true, datapathType: "netdev" };
    expect(evaluate(f).find((r) => r.name === "bridge fail-secure")).toMatchObject({ status: "FAIL", detail: expect.stringContaining("fail_mode=(unset: standalone)") });
    f.ovsdb.value.bridge = { name: "br-int", exists: false };
    expect(evaluate(f).find((r) => r.name === "bridge fail-secure")).toMatchObject({ status: "FAIL", detail: "bridge br-int does not exist" });
  });

  it("fails a controller that is down or not ready, and skips the checks that need it", () => {
    const down = { ...healthy(), status: { ok: false as const, error: "controller not reachable at /run/api.sock: connect ECONNREFUSED" }, leases: { ok: false as const, error: "same" } };
    expect(statuses(down)).toMatchObject({ "controller up": "FAIL", "flows in sync": "SKIP", "no leases without a port": "SKIP" });
    const notReady = healthy();
    notReady.status = { ok: true, value: { ready: false, reason: "OVSDB is not connected", bridge: "br-int", ovsdb: "disconnected", flowsInSync: false, ports: 0, flows: 0 } };
    expect(evaluate(notReady).find((r) => r.name === "controller up")!.detail).toContain("not ready: OVSDB is not connected");
  });

  it("fails flows that are out of sync, by the controller's word or by count", () => {
    const counted = { ...healthy(), installedFlows: { ok: true as const, value: 12 } };
    expect(evaluate(counted).find((r) => r.name === "flows in sync")).toMatchObject({ status: "FAIL", detail: "12 ovs-sdn flow(s) installed, the controller expects 70" });
    const reported = healthy();
    if (reported.status.ok) reported.status.value.flowsInSync = false;
    expect(statuses(reported)["flows in sync"]).toBe("FAIL");
    const unreadable = { ...healthy(), installedFlows: { ok: false as const, error: "ovs-ofctl: br-int.mgmt: connection refused" } };
    expect(statuses(unreadable)["flows in sync"]).toBe("FAIL");
  });

  it("fails ports whose namespace is gone or that have no ofport", () => {
    const f = healthy();
    if (!f.ovsdb.ok) throw new Error("fixture");
    f.ovsdb.value.ports.push(port("p3", "c3", { ofport: -1, error: "could not open network device p3 (No such device)" }));
    f.goneNetns = ["p2"];
    const result = evaluate(f).find((r) => r.name === "no leaked ports")!;
    expect(result).toMatchObject({ status: "FAIL", detail: "2 of 3 port(s): p2 (network namespace gone), p3 (could not open network device p3 (No such device))" });
  });

  it("fails leases whose port is gone", () => {
    const f = { ...healthy(), leases: { ok: true as const, value: [lease("10.1.0.11", "c1"), lease("10.1.0.77", "c9-gone-0123456789")] } };
    expect(evaluate(f).find((r) => r.name === "no leases without a port")).toMatchObject({ status: "FAIL", detail: "1 of 2 lease(s) have no port: 10.1.0.77 (c9-gone-0123/eth0)" });
  });

  it("fails tx checksum offload only on the userspace datapath", () => {
    const f = healthy();
    f.offload = [
      { port: "p1", ifname: "eth0", txChecksum: "on" },
      { port: "p2", ifname: "eth0", txChecksum: "unreadable", detail: "nsenter: permission denied" },
    ];
    expect(evaluate(f).find((r) => r.name === "checksum offload")).toMatchObject({ status: "FAIL", detail: expect.stringMatching(/^userspace datapath and tx checksum offload on in 1 container\(s\): p1 \(eth0\): .* \(1 not readable: p2\)$/) });
    if (!f.ovsdb.ok) throw new Error("fixture");
    f.ovsdb.value.bridge.datapathType = "system";
    expect(statuses(f)["checksum offload"]).toBe("OK");
  });

  it("reads tx-checksumming from ethtool -k", () => {
    expect(txChecksumOf("Features for eth0:\nrx-checksumming: on\ntx-checksumming: off\n\ttx-checksum-ipv4: off [fixed]\n")).toBe("off");
    expect(txChecksumOf("Features for eth0:\ntx-checksumming: on\n")).toBe("on");
    expect(txChecksumOf("nothing")).toBeUndefined();
  });
});

describe("doctor: the CNI plugin", () => {
  const detail = (f: Facts) => evaluate(f).find((r) => r.name === "CNI plugin")!;

  it("passes when the installed plugin answers VERSION, and says whether its code cache is written", () => {
    expect(detail(healthy())).toMatchObject({ status: "OK", detail: "/opt/cni/bin/ovs-sdn answers VERSION (0.3.0 … 1.1.0); code cache 210 KB for plugin-0123456789abcdef" });
    const noCache = { ...healthy(), plugin: { ...healthy().plugin, cacheBytes: undefined } };
    expect(detail(noCache)).toMatchObject({ status: "OK", detail: expect.stringContaining("no code cache yet for plugin-0123456789abcdef (the first successful ADD writes it)") });
    const bare = { ...healthy(), plugin: { binDir: "/opt/cni/bin", versions: healthy().plugin.versions } };
    expect(detail(bare).detail).toContain("not the installed launcher: runs without a code cache");
  });

  it("fails with the reason and a hint when it is missing or does not answer", () => {
    const missing = { ...healthy(), plugin: { binDir: "/opt/cni/bin", versions: { ok: false as const, error: "not installed" } } };
    const r = detail(missing);
    expect(r).toMatchObject({ status: "FAIL", detail: "/opt/cni/bin/ovs-sdn does not answer VERSION: not installed" });
    expect(r.hint).toContain("deploy/install-plugin.sh");
  });
});
