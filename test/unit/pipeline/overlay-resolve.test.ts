// Checking the cross-host input: transports, this host's ports, remote endpoints. Bad parts are left out and reported.
import { describe, expect, it } from "vitest";
import { resolveInput } from "../../../controller/pipeline/compile.js";
import type { PipelineInput } from "../../../controller/pipeline/input.js";
import { overlayInput } from "./overlay-fixtures.js";

function resolveWith(change: (input: PipelineInput) => void) {
  const input = overlayInput();
  change(input);
  return resolveInput(input);
}

const remoteNames = (model: ReturnType<typeof resolveInput>) => model.remotePorts.map((p) => p.name);

describe("cross-host input", () => {
  it("resolves the fixture without problems", () => {
    const model = resolveInput(overlayInput());
    expect(model.problems).toEqual([]);
    expect(model.tunnelOfport).toBe(100);
    expect(remoteNames(model)).toEqual(["h2/02:00:00:00:02:01", "h2/02:00:00:00:02:02", "h3/02:00:00:00:03:02"]);
    expect(model.remotePorts[0]!.exit).toEqual({ kind: "tunnel", ofport: 100, vni: 5101, tunnelIp: "172.31.0.2" });
    expect(model.remotePorts[1]!.exit).toEqual({ kind: "provider", ofport: 200 });
  });

  it("refuses out-of-range and duplicate segments: the network stays on this host", () => {
    const model = resolveWith((i) => {
      i.networks[0]!.transport = { type: "overlay", vni: 1 << 24 };
      i.networks[3]!.transport = { type: "vlan-provider", vlan: 300 };
    });
    expect(model.problems).toContain("network blue: vni 16777216 is not within 1..16777215; it stays on this host only");
    expect(model.problems).toContain("network red: provider vlan 300 is already used by network green; it stays on this host only");
    expect(model.networks.find((n) => n.name === "blue")!.transport).toBeUndefined();
    expect(model.problems).toContain("remote endpoint h2/02:00:00:00:02:01: network blue has no transport to other hosts");
  });

  it("leaves out remote endpoints it cannot reach or trust, and says why", () => {
    const model = resolveWith((i) => {
      const r = i.remoteEndpoints!;
      r.push({ host: "h4", network: "grey", mac: "02:00:00:00:04:01", ips: ["10.9.0.5"], tunnelIp: "172.31.0.4" });
      r.push({ host: "h4", network: "blue", mac: "02:00:00:00:04:02", ips: ["10.1.0.40"], tunnelIp: "172.31.0.1" });
      r.push({ host: "h4", network: "blue", mac: "02:00:00:00:04:03", ips: ["10.1.0.41"], tunnelIp: "fd00::4" });
      r.push({ host: "h4", network: "blue", mac: "02:00:00:00:01:01", ips: ["10.1.0.42"], tunnelIp: "172.31.0.4" });
      r.push({ host: "h4", network: "blue", mac: "02:00:00:00:04:05", ips: ["10.1.0.11"], tunnelIp: "172.31.0.4" });
      r.push({ host: "h4", network: "blue", mac: "02:00:00:00:04:06", ips: ["10.3.0.5"], tunnelIp: "172.31.0.4" });
      r.push({ host: "h4", network: "blue", mac: "0a:5d:00:00:00:01", ips: ["10.1.0.43"], tunnelIp: "172.31.0.4" });
      r.push({ host: "h4", network: "nope", mac: "02:00:00:00:04:08", ips: ["10.1.0.44"], tunnelIp: "172.31.0.4" });
    });
    expect(model.problems).toEqual([
      "remote endpoint h4/02:00:00:00:04:01: network grey has no transport to other hosts",
      "remote endpoint h4/02:00:00:00:04:02: tunnel ip 172.31.0.1 is this host's own",
      "remote endpoint h4/02:00:00:00:04:03: tunnel ip fd00::4 is not an IPv4 address",
      "remote endpoint h4/02:00:00:00:01:01: mac 02:00:00:00:01:01 is used by another endpoint of network blue",
      "remote endpoint h4/02:00:00:00:04:05: ip 10.1.0.11 is used by another endpoint of tenant acme",
      "remote endpoint h4/02:00:00:00:04:06: ip 10.3.0.5 is in no subnet of network blue",
      "remote endpoint h4/0a:5d:00:00:00:01: mac 0a:5d:00:00:00:01 is a gateway MAC",
      "remote endpoint h4/02:00:00:00:04:08: unknown or invalid network nope",
    ]);
    expect(remoteNames(model)).toHaveLength(3);
  });

  it("keeps the same address in another tenant, and the first of two remote claims in one tenant", () => {
    const model = resolveWith((i) => {
      i.remoteEndpoints!.push({ host: "h4", network: "red", mac: "02:00:00:00:04:01", ips: ["10.1.0.13"], tunnelIp: "172.31.0.4" });
      i.remoteEndpoints!.push({ host: "h5", network: "blue", mac: "02:00:00:00:05:01", ips: ["10.1.0.12"], tunnelIp: "172.31.0.5" });
    });
    expect(model.problems).toEqual(["remote endpoint h5/02:00:00:00:05:01: ip 10.1.0.12 is used by another endpoint of tenant acme"]);
    expect(remoteNames(model)).toContain("h4/02:00:00:00:04:01");
  });

  it("without a tunnel port, overlay endpoints are unreachable and nothing arrives through a tunnel", () => {
    const model = resolveWith((i) => delete i.local!.tunnelOfport);
    expect(model.tunnelOfport).toBeUndefined();
    expect(remoteNames(model)).toEqual(["h2/02:00:00:00:02:02"]);
    expect(model.remotePorts[0]!.arrives).toEqual({ provider: true });
    expect(model.problems.filter((p) => p.includes("has no tunnel port"))).toHaveLength(2);
  });

  it("refuses a tunnel or provider ofport that a container port uses", () => {
    const model = resolveWith((i) => {
      i.local!.tunnelOfport = 1;
      i.local!.providerPorts = [{ vlan: 300, ofport: 3 }];
    });
    expect(model.tunnelOfport).toBeUndefined();
    expect(model.providerPorts).toEqual([]);
    expect(model.problems[0]).toBe("local: tunnel ofport 1 is invalid or used by a container port; overlay networks stay on this host");
    expect(model.problems[1]).toBe("network green: provider port for vlan 300 is invalid, duplicated or clashes with another port; it stays on this host only");
  });

  it("does not need a provider port for a VLAN this host has no uplink for", () => {
    const model = resolveWith((i) => (i.local!.providerPorts = []));
    expect(model.providerPorts).toEqual([]);
    expect(model.problems).toEqual(["remote endpoint h2/02:00:00:00:02:02: network green has no provider port for vlan 300 on this host"]);
  });
});
