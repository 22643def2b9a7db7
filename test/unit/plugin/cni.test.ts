import { describe, expect, it } from "vitest";
import { CniError } from "../../../plugin/cni/errors.js";
import { formatResult, parseResult } from "../../../plugin/cni/result.js";
import { bestCommonVersion, compareVersions, configVersion } from "../../../plugin/cni/versions.js";
import { parseCniArgs } from "../../../plugin/cni/args.js";
import { readEnv } from "../../../plugin/cni/env.js";

const codeOf = (f: () => unknown): number | undefined => {
  try {
    f();
  } catch (err) {
    if (err instanceof CniError) return Number(err.code);
    throw err;
  }
  return undefined;
};

describe("versions", () => {
  it("orders versions numerically", () => {
    expect(compareVersions("0.10.0", "0.4.0")).toBe(1);
    expect(compareVersions("1.0.0", "1.0.0")).toBe(0);
  });
  it("takes cniVersion, else the highest supported of cniVersions", () => {
    expect(configVersion({ cniVersion: "0.4.0" })).toBe("0.4.0");
    expect(configVersion({ cniVersions: ["0.3.1", "1.0.0", "9.0.0"] })).toBe("1.0.0");
    expect(codeOf(() => configVersion({ cniVersion: "0.2.0" }))).toBe(1);
    expect(codeOf(() => configVersion({ cniVersions: ["2.0.0"] }))).toBe(1);
    expect(codeOf(() => configVersion({}))).toBe(7);
  });
  it("finds the best version shared with a delegated plugin", () => {
    expect(bestCommonVersion("1.1.0", ["0.1.0", "0.4.0", "1.0.0"])).toBe("1.0.0");
    expect(bestCommonVersion("0.3.1", ["0.4.0", "1.0.0"])).toBeUndefined();
  });
});

describe("results", () => {
  const result = {
    cniVersion: "1.1.0",
    interfaces: [{ name: "osd1", mac: "fe:00:00:00:00:01", mtu: 1400 }, { name: "eth0", mac: "02:00:00:00:00:01", mtu: 1400, sandbox: "/var/run/netns/x" }],
    ips: [{ address: "10.0.0.2/24", gateway: "10.0.0.1", interface: 1 }, { address: "fd10::2/64", interface: 1 }],
    routes: [{ dst: "0.0.0.0/0", gw: "10.0.0.1", mtu: 1400, priority: 5 }],
  };
  it("adds ips[].version before 1.0.0 and drops 1.1.0-only fields", () => {
    const old = formatResult(result, "0.4.0");
    expect(old.ips).toEqual([
      { version: "4", address: "10.0.0.2/24", gateway: "10.0.0.1", interface: 1 },
      { version: "6", address: "fd10::2/64", interface: 1 },
    ]);
    expect(old.routes).toEqual([{ dst: "0.0.0.0/0", gw: "10.0.0.1" }]);
    expect((old.interfaces as object[])[0]).toEqual({ name: "osd1", mac: "fe:00:00:00:00:01" });
    expect(old.dns).toEqual({});
  });
  it("keeps 1.1.0 fields in 1.1.0 and round-trips through parseResult", () => {
    const out = formatResult(result, "1.1.0");
    expect(out.routes).toEqual([{ dst: "0.0.0.0/0", gw: "10.0.0.1", mtu: 1400, priority: 5 }]);
    expect(parseResult(JSON.parse(JSON.stringify(out)), "1.1.0")).toEqual({ ...result, dns: undefined, cniVersion: "1.1.0" } as never);
  });
  it("omits empty lists like the reference implementation", () => {
    expect(formatResult({ cniVersion: "1.0.0" }, "1.0.0")).toEqual({ cniVersion: "1.0.0", dns: {} });
  });
  it("reads old results (ips with version) and rejects broken ones with code 6", () => {
    expect(parseResult({ cniVersion: "0.3.1", ips: [{ version: "4", address: "10.0.0.2/24" }] }, "0.3.1").ips).toEqual([{ address: "10.0.0.2/24" }]);
    expect(codeOf(() => parseResult({ ips: "nope" }, "1.0.0"))).toBe(6);
    expect(codeOf(() => parseResult({ interfaces: [{}] }, "1.0.0"))).toBe(6);
  });
});

describe("environment", () => {
  const base = { CNI_COMMAND: "ADD", CNI_CONTAINERID: "c1", CNI_NETNS: "/var/run/netns/x", CNI_IFNAME: "eth0", CNI_PATH: "/opt/cni/bin:/usr/lib/cni" };
  it("parses a complete environment", () => {
    expect(readEnv(base)).toEqual({ command: "ADD", containerId: "c1", netns: "/var/run/netns/x", ifname: "eth0", args: "", path: ["/opt/cni/bin", "/usr/lib/cni"] });
  });
  it("requires per verb what the spec requires", () => {
    expect(codeOf(() => readEnv({ ...base, CNI_NETNS: "" }))).toBe(4);
    expect(readEnv({ ...base, CNI_COMMAND: "DEL", CNI_NETNS: "" }).netns).toBe("");
    expect(readEnv({ CNI_COMMAND: "GC", CNI_PATH: "/x" }).command).toBe("GC");
    expect(codeOf(() => readEnv({ ...base, CNI_COMMAND: "NOPE" }))).toBe(4);
  });
  it.each(["", ".", "..", "a/b", "eth 0", "eth0:1", "x".repeat(16), "eth0\n", 'e"0'])("refuses CNI_IFNAME %j", (ifname) => {
    expect(codeOf(() => readEnv({ ...base, CNI_IFNAME: ifname }))).toBe(4);
  });
  it.each(["relative", "/a/../b", "/a/./b", "/a\nb", `/${"a".repeat(5000)}`])("refuses CNI_NETNS %j", (netns) => {
    expect(codeOf(() => readEnv({ ...base, CNI_NETNS: netns }))).toBe(4);
  });
  it("refuses container ids with odd characters and relative CNI_PATH entries", () => {
    expect(codeOf(() => readEnv({ ...base, CNI_CONTAINERID: "-x" }))).toBe(4);
    expect(codeOf(() => readEnv({ ...base, CNI_PATH: "bin" }))).toBe(4);
  });
});

describe("CNI_ARGS", () => {
  it("reads the keys we use and passes IPAM keys", () => {
    expect(parseCniArgs("IgnoreUnknown=1;K8S_POD_NAMESPACE=ns;K8S_POD_NAME=p;MAC=02:00:00:00:00:01;IP=10.0.0.5;X=y")).toEqual({ podNamespace: "ns", podName: "p", mac: "02:00:00:00:00:01", ips: ["10.0.0.5"] });
  });
  it("refuses unknown keys without IgnoreUnknown (code 2) and malformed pairs (code 4)", () => {
    expect(codeOf(() => parseCniArgs("X=y"))).toBe(2);
    expect(codeOf(() => parseCniArgs("IgnoreUnknown=false;X=y"))).toBe(2);
    expect(codeOf(() => parseCniArgs("novalue"))).toBe(4);
    expect(parseCniArgs("")).toEqual({});
  });
});
