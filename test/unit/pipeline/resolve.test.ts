// Invalid inputs are left out (fail closed) with a problem that names them; valid ones still compile.
import { describe, expect, it } from "vitest";
import { resolveInput } from "../../../controller/pipeline/compile.js";
import type { PipelineInput } from "../../../controller/pipeline/input.js";
import { smallInput } from "./fixtures.js";

function withChanges(change: (input: PipelineInput) => void): ReturnType<typeof resolveInput> {
  const input = structuredClone(smallInput());
  change(input);
  return resolveInput(input);
}

describe("resolveInput", () => {
  it("accepts the small world without problems and finds each address's subnet", () => {
    const model = resolveInput(smallInput());
    expect(model.problems).toEqual([]);
    const a1 = model.ports.find((p) => p.name === "a1")!;
    expect(a1.endpoints.map((e) => [e.address, e.subnet.name])).toEqual([
      ["10.1.0.11", "blue-a"],
      ["fd10:1::11", "blue-6"],
    ]);
    expect(a1.linkLocal).toBe("fe80::ff:fe00:1");
    expect(model.ports.find((p) => p.name === "b1")!.linkLocal).toBeUndefined();
  });

  it("gives tenants distinct, name-derived ids", () => {
    const model = resolveInput(smallInput());
    const ids = new Map(model.networks.map((n) => [n.tenant, n.tenantId]));
    expect(ids.get("acme")).not.toBe(ids.get("globex"));
    expect(resolveInput(smallInput()).networks.map((n) => n.tenantId)).toEqual(model.networks.map((n) => n.tenantId));
  });

  it.each([
    ["a duplicate network id", (i: PipelineInput) => i.networks.push({ name: "x", tenant: "t", id: 101, interSubnetDefault: "allow" }), /network x: id 101 is already used/],
    ["a zone outside 1..65535", (i: PipelineInput) => i.networks.push({ name: "x", tenant: "t", id: 70000, interSubnetDefault: "allow" }), /network x: id 70000/],
    ["a gateway outside its CIDR", (i: PipelineInput) => i.subnets.push({ name: "x", network: "blue", id: 9, cidr: "10.9.0.0/24", gateway: "10.8.0.1" }), /subnet x: gateway 10.8.0.1/],
    ["overlapping CIDRs in one tenant", (i: PipelineInput) => i.subnets.push({ name: "x", network: "blue", id: 9, cidr: "10.1.0.128/25", gateway: "10.1.0.129" }), /overlaps subnet blue-a/],
    ["a subnet of an unknown network", (i: PipelineInput) => i.subnets.push({ name: "x", network: "nope", id: 9, cidr: "10.9.0.0/24", gateway: "10.9.0.1" }), /unknown or invalid network nope/],
    ["an address outside the port's subnets", (i: PipelineInput) => i.ports.push({ name: "x", ofport: 9, network: "blue", mac: "02:00:00:00:00:09", ips: ["10.7.0.5"] }), /port x: ip 10.7.0.5 is in no subnet/],
    ["an address another port holds", (i: PipelineInput) => i.ports.push({ name: "x", ofport: 9, network: "blue", mac: "02:00:00:00:00:09", ips: ["10.1.0.11"] }), /used by another port/],
    ["the gateway address", (i: PipelineInput) => i.ports.push({ name: "x", ofport: 9, network: "blue", mac: "02:00:00:00:00:09", ips: ["10.1.0.1"] }), /is the gateway/],
    ["a duplicate ofport", (i: PipelineInput) => i.ports.push({ name: "x", ofport: 1, network: "blue", mac: "02:00:00:00:00:09", ips: ["10.1.0.99"] }), /ofport 1 is used/],
    ["a multicast MAC", (i: PipelineInput) => i.ports.push({ name: "x", ofport: 9, network: "blue", mac: "01:00:00:00:00:09", ips: ["10.1.0.99"] }), /not a unicast MAC/],
    ["a gateway MAC", (i: PipelineInput) => i.ports.push({ name: "x", ofport: 9, network: "blue", mac: "0a:5d:00:00:00:01", ips: ["10.1.0.99"] }), /is a gateway MAC/],
    ["no address at all", (i: PipelineInput) => i.ports.push({ name: "x", ofport: 9, network: "blue", mac: "02:00:00:00:00:09", ips: [] }), /has no IP address/],
  ])("leaves out %s and says so", (_what, change, problem) => {
    const model = withChanges(change);
    expect(model.problems).toHaveLength(1);
    expect(model.problems[0]).toMatch(problem);
    expect(model.ports.map((p) => p.name)).toEqual(expect.arrayContaining(["a1", "b1", "r1"]));
    expect(model.ports.some((p) => p.name === "x")).toBe(false);
  });

  it("allows the same address in two tenants", () => {
    const model = resolveInput(smallInput());
    expect(model.ports.filter((p) => p.endpoints.some((e) => e.address === "10.1.0.11")).map((p) => p.name)).toEqual(["a1", "r1"]);
  });

  it("ignores a policy of a tenant without networks", () => {
    const model = resolveInput(smallInput([{ name: "lost", tenant: "nobody", rules: [{ action: "allow" }] }]));
    expect(model.rules).toEqual([]);
    expect(model.problems).toEqual(["policy lost: tenant nobody has no network; ignored"]);
  });
});
