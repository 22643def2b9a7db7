import { describe, expect, it } from "vitest";
import { findPort, podOf, type OurPort } from "../../../controller/cli/ports.js";
import { CniCode } from "../../../plugin/cni/errors.js";

function port(name: string, containerId: string, ifname = "eth0", pod?: [string, string]): OurPort {
  return {
    name,
    ofport: 1,
    tag: 1,
    error: undefined,
    identity: { mode: "managed", containerId, ifname, netns: "/x", network: "blue", ips: [], mac: "02:00:00:00:00:01", ...(pod ? { podNamespace: pod[0], podName: pod[1] } : {}) },
  };
}

const ports = [
  port("veth-web0", "3f2a9c1d77aa", "eth0", ["default", "web-0"]),
  port("veth-web0b", "3f2a9c1d77aa", "net1", ["default", "web-0"]),
  port("veth-db0", "8b11cafe0000", "eth0", ["prod", "db-0"]),
  port("veth-db1", "8b11cafe1111", "eth0", ["staging", "db-0"]),
];

describe("findPort", () => {
  it("finds a port by OVS name, container id, pod or container-id prefix", () => {
    expect(findPort(ports, "veth-db0").name).toBe("veth-db0");
    expect(findPort(ports, "8b11cafe1111").name).toBe("veth-db1");
    expect(findPort(ports, "prod/db-0").name).toBe("veth-db0");
    expect(findPort(ports, "8b11cafe0").name).toBe("veth-db0");
  });

  it("narrows a container with several interfaces by ifname", () => {
    expect(findPort(ports, "3f2a9c1d77aa", "net1").name).toBe("veth-web0b");
    expect(findPort(ports, "default/web-0", "eth0").name).toBe("veth-web0");
  });

  it("refuses an ambiguous reference and names the candidates", () => {
    expect(() => findPort(ports, "db-0")).toThrow(/"db-0" matches several ports: veth-db0 \(8b11cafe0000\/eth0\), veth-db1 \(8b11cafe1111\/eth0\)/);
    expect(() => findPort(ports, "3f2a9c1d77aa")).toThrow(/pass --ifname/);
    expect(() => findPort(ports, "8b11")).toThrow(/matches several ports/);
  });

  it("says clearly when nothing matches; short prefixes do not count", () => {
    expect(() => findPort(ports, "nope")).toThrow(expect.objectContaining({ code: CniCode.UnknownContainer, message: 'no ovs-sdn port matches "nope" (by port name, container id or pod name)' }));
    expect(() => findPort(ports, "8b1")).toThrow(/no ovs-sdn port matches/);
  });

  it("shows the pod as namespace/name", () => {
    expect(podOf(ports[2]!)).toBe("prod/db-0");
    expect(podOf(port("x", "y"))).toBeUndefined();
  });
});
