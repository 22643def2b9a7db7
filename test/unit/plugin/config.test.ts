import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeConfig, parseConfig, responseVersion, MAX_CONFIG_BYTES } from "../../../plugin/cni/config.js";
import { CniError } from "../../../plugin/cni/errors.js";

const parse = (json: Record<string, unknown>) => parseConfig(json);
const errorOf = (f: () => unknown): { code: number; msg: string } | undefined => {
  try {
    f();
  } catch (err) {
    if (err instanceof CniError) return { code: Number(err.code), msg: err.message };
    throw err;
  }
  return undefined;
};
const base = { cniVersion: "1.0.0", name: "net", type: "ovs-sdn" };

describe("config", () => {
  it("fills defaults", () => {
    const c = parse({ ...base });
    expect(c).toMatchObject({ bridge: "br-int", ovsdb: "unix:/var/run/openvswitch/db.sock", timeoutMs: 10_000, vlan: undefined, trunks: undefined, ipam: undefined });
  });
  it("tolerates what runtimes leave in", () => {
    const c = parse({ ...base, capabilities: { mac: true }, runtimeConfig: { mac: "02:00:00:00:00:09", portMappings: [] }, args: { cni: { mac: "02:00:00:00:00:08" } }, cniVersions: ["1.0.0"], disableCheck: false });
    expect(c.runtimeConfig).toEqual({ mac: "02:00:00:00:00:09" });
    expect(c.argsMac).toBe("02:00:00:00:00:08");
  });
  it("names an unknown key with code 2, nested ones with their path", () => {
    expect(errorOf(() => parse({ ...base, vlna: 1 }))).toEqual({ code: 2, msg: "unsupported field: vlna" });
    expect(errorOf(() => parse({ ...base, dns: { servers: [] } }))).toEqual({ code: 2, msg: "unsupported field: dns/servers" });
  });
  it("names a bad value with code 7", () => {
    expect(errorOf(() => parse({ ...base, vlan: "5" }))).toEqual({ code: 7, msg: "vlan: must be integer" });
    expect(errorOf(() => parse({ ...base, mtu: 20 }))).toEqual({ code: 7, msg: "mtu: must be >= 68" });
    expect(errorOf(() => parse({ ...base, ipam: { type: "../x" } }))?.code).toBe(7);
    expect(errorOf(() => parse({ ...base, ovsdb: "http://x" }))?.msg).toMatch(/^ovsdb: /);
  });
  it("expands trunks and checks ranges", () => {
    expect(parse({ ...base, trunk: [{ id: 7 }, { minID: 10, maxID: 12 }, { id: 11 }] }).trunks).toEqual([7, 10, 11, 12]);
    expect(errorOf(() => parse({ ...base, trunk: [{ minID: 12, maxID: 10 }] }))?.msg).toBe("trunk[0]: minID must not exceed maxID");
    expect(errorOf(() => parse({ ...base, trunk: [{ id: 1, minID: 2, maxID: 3 }] }))?.code).toBe(7);
  });
  it("decodes bytes strictly (code 6)", () => {
    expect(errorOf(() => decodeConfig(Buffer.from([0x7b, 0xff, 0x7d])))).toEqual({ code: 6, msg: "config is not valid UTF-8" });
    expect(errorOf(() => decodeConfig(Buffer.from("[1]")))?.msg).toBe("config is not a JSON object");
    expect(errorOf(() => decodeConfig(Buffer.alloc(MAX_CONFIG_BYTES + 1, 32)))?.code).toBe(6);
  });
  it("answers errors in the config's version when it has a supported one", () => {
    expect(responseVersion({ cniVersion: "0.4.0" })).toBe("0.4.0");
    expect(responseVersion({ cniVersion: "7" })).toBe("1.1.0");
  });
  it("names a cniVersion that is not even a string, whatever the object (found by the property below)", () => {
    const hostile = JSON.parse('{"toString":null}') as unknown;
    const detailsOf = (json: Record<string, unknown>) => {
      try {
        parse(json);
      } catch (err) {
        expect(err).toBeInstanceOf(CniError);
        expect((err as CniError).code).toBe(1);
        return (err as CniError).details;
      }
      return undefined;
    };
    expect(detailsOf({ ...base, cniVersion: hostile })).toContain('config is "{\\"toString\\":null}"');
    const { cniVersion: _omitted, ...withoutVersion } = base;
    expect(detailsOf({ ...withoutVersion, cniVersions: [hostile, 7] })).toContain('{\\"toString\\":null},7');
  });
  it("throws nothing but CniError for any JSON object (property)", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom("cniVersion", "name", "bridge", "vlan", "trunk", "mtu", "mac", "ipam", "dns", "runtimeConfig", "prevResult", "timeoutMs", "x"), fc.jsonValue({ maxDepth: 3 })), (json) => {
        try {
          parse({ ...base, ...json });
        } catch (err) {
          expect(err).toBeInstanceOf(CniError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
