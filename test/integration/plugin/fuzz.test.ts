/**
 * Generated hostile input (fast-check): malformed and hostile configs and environments — wrong
 * types, huge values, unknown keys, bad UTF-8, truncated JSON, path tricks in CNI_NETNS and
 * CNI_IFNAME. Each case breaks exactly one thing and keeps the rest valid, so the plugin gets as far
 * as it can. Always: exit code non-zero, exactly one CNI error JSON line on stdout, no stack trace
 * anywhere, nothing created.
 */
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { execInNetns } from "../../helpers/netns.js";
import { PluginHarness } from "./harness.js";

let h: PluginHarness;
let n: { name: string; path: string };
beforeAll(async () => {
  h = await PluginHarness.start("fuzz");
  n = await h.newNetns("fz");
});
afterAll(async () => {
  await h?.stop();
});

const noNul = (s: string) => s.replace(/\0/g, "");
const hostileString = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: "binary", maxLength: 40 }), fc.constant("x".repeat(100_000)), fc.constantFrom("", " ", "\n", "../../etc/passwd", "$(reboot)", "a;b", "\u202e", "%00"));
const hostileValue = fc.oneof(hostileString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.object({ maxDepth: 2 }), fc.constant(2 ** 53), fc.constant(-1));

// logFile is left out on purpose: a random absolute path would make the plugin (root) create it.
const KEYS = ["cniVersion", "name", "bridge", "ovsdb", "vlan", "trunk", "mtu", "mac", "ipam", "dns", "runtimeConfig", "timeoutMs", "logLevel", "prevResult", "args"];

type Case = { what: string; env?: Record<string, string>; stdin?: Buffer | string; config?: Record<string, unknown> };

const configCase: fc.Arbitrary<Case> = fc.oneof(
  // One known key gets a hostile value (keeps only cases the schema must reject).
  fc.record({ key: fc.constantFrom(...KEYS.filter((k) => k !== "args" && k !== "prevResult" && k !== "runtimeConfig")), value: hostileValue }).map(({ key, value }) => ({ what: `config.${key}`, config: { [key]: value } })),
  // An unknown key.
  fc.string({ minLength: 1, maxLength: 20 }).filter((k) => !KEYS.includes(k) && !["logFile", "type", "capabilities", "cniVersions", "disableCheck", "disableGC", "cni.dev/valid-attachments", "cni.dev/attachments", "__proto__"].includes(k)).map((key) => ({ what: `unknown ${key}`, config: { [key]: 1 } })),
  // A hostile IPAM type (path tricks).
  fc.constantFrom("../host-local", "/usr/lib/cni/host-local", "host-local/..", ".hidden", "no-such-ipam").map((type) => ({ what: `ipam.type ${type}`, config: { ipam: { type } } })),
  // runtimeConfig.mac / CNI_ARGS MAC that is no MAC.
  fc.constantFrom("ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00", "01:00:5e:00:00:01", "zz:zz:zz:zz:zz:zz", "aa:bb").map((mac) => ({ what: `mac ${mac}`, config: { runtimeConfig: { mac } } })),
);

const envCase: fc.Arbitrary<Case> = fc.oneof(
  fc.constantFrom("../eth0", "eth0/..", "a".repeat(16), "", ".", "..", "eth 0", "eth0\n", "eth0;id", "eth0\"", "eth:0", "é0").map((v) => ({ what: `CNI_IFNAME ${JSON.stringify(v)}`, env: { CNI_IFNAME: v } })),
  fc.constantFrom("relative/ns", "/var/run/netns/../../etc/passwd", "/proc/self/ns/../ns/net/.", "/nonexistent/ns", "/etc/hostname", "/", "/tmp", `/${"a".repeat(5000)}`, "/var/run/netns/x\ny").map((v) => ({ what: `CNI_NETNS ${JSON.stringify(v.slice(0, 40))}`, env: { CNI_NETNS: v } })),
  fc.oneof(hostileString.filter((s) => s !== "" && !/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(s)), fc.constant("-rf")).map((v) => ({ what: `CNI_CONTAINERID ${JSON.stringify(v.slice(0, 40))}`, env: { CNI_CONTAINERID: noNul(v) || "/" } })),
  fc.oneof(hostileString, fc.constantFrom("add", "DELETE", "ADD ", "VERSIONS")).filter((v) => !["ADD", "DEL", "CHECK", "STATUS", "GC", "VERSION"].includes(noNul(v))).map((v) => ({ what: `CNI_COMMAND ${JSON.stringify(v.slice(0, 40))}`, env: { CNI_COMMAND: noNul(v) } })),
  fc.constantFrom("IP", "=x", "FOO=bar", "MAC=nope;IgnoreUnknown=1", "K8S_POD_NAME").map((v) => ({ what: `CNI_ARGS ${v}`, env: { CNI_ARGS: v } })),
  fc.constantFrom("relative/bin", "/nonexistent", "").map((v) => ({ what: `CNI_PATH ${v}`, env: { CNI_PATH: v } })),
);

const stdinCase: fc.Arbitrary<Case> = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => ({ what: "random bytes", stdin: Buffer.concat([Buffer.from([0xff]), Buffer.from(bytes)]) })),
  fc.nat(200).map((cut) => ({ what: `truncated at ${cut}`, stdin: "TRUNCATE:" + cut })),
  fc.jsonValue({ maxDepth: 3 }).filter((v) => typeof v !== "object" || v === null || Array.isArray(v)).map((v) => ({ what: "non-object JSON", stdin: JSON.stringify(v) })),
  fc.constant({ what: "empty stdin", stdin: "" }),
  fc.constant({ what: "huge stdin", stdin: `{"name":"${"x".repeat(2_000_000)}"}` }),
  fc.constant({ what: "deep nesting", stdin: "[".repeat(100_000) }),
);

it("hostile configs and environments give exactly one CNI error and create nothing", async () => {
  const base = h.config("fuzz");
  const linksBefore = await execInNetns(n.name, "ip", ["-br", "link"]);
  await fc.assert(
    fc.asyncProperty(fc.oneof(configCase, envCase, stdinCase), async (c) => {
      const config = { ...base, ...c.config };
      let stdin: string | Buffer = JSON.stringify(config);
      if (typeof c.stdin === "string" && c.stdin.startsWith("TRUNCATE:")) stdin = stdin.slice(0, Number(c.stdin.slice(9)) % (stdin.length - 1));
      else if (c.stdin !== undefined) stdin = c.stdin;
      const env = { ...h.env("ADD", { containerId: "fuzz-1", netns: n.path, ifname: "eth0" }), ...c.env };
      const r = await h.callRaw(env, stdin);
      const lines = r.stdout.split("\n").filter((l) => l !== "");
      expect(r.exitCode, c.what).not.toBe(0);
      expect(lines, c.what).toHaveLength(1);
      const error = JSON.parse(lines[0] as string) as Record<string, unknown>;
      expect(Object.keys(error).sort().filter((k) => k !== "details"), c.what).toEqual(["cniVersion", "code", "msg"]);
      expect(Number.isInteger(error.code), c.what).toBe(true);
      expect(`${r.stdout}${r.stderr}`, c.what).not.toMatch(/\n\s+at |node:internal/);
      expect(await h.hostVeths(), c.what).toEqual([]);
      expect(await h.ports(), c.what).toEqual([]);
      expect(h.leases("fuzz"), c.what).toEqual([]);
    }),
    { numRuns: 120 },
  );
  expect(await execInNetns(n.name, "ip", ["-br", "link"])).toBe(linksBefore);
});
