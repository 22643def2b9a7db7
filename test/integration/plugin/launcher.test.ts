/**
 * The installed launcher (plugin/launcher.cjs) and the V8 code cache it keeps beside the bundle:
 * a successful ADD writes it when there is none, calls that find a cache V8 accepts leave it alone,
 * one V8 refuses is replaced by the next successful ADD, a failed ADD writes none, a read-only
 * directory just means no cache; a missing bundle is one CNI error.
 */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runFull } from "../../../ovs/exec.js";
import { PluginHarness } from "./harness.js";

let h: PluginHarness;
let cacheFile: string;
beforeAll(async () => {
  h = await PluginHarness.start("launch");
  const bundle = readdirSync(join(h.cniPath, "ovs-sdn.d")).find((f) => /^plugin-[0-9a-f]{16}\.cjs$/.test(f));
  if (!bundle) throw new Error("no bundle installed");
  cacheFile = join(h.cniPath, "ovs-sdn.d", bundle.replace(/\.cjs$/, ".codecache"));
});
afterAll(async () => {
  await h?.stop();
});

const NET = "launch";

async function add(id: string): Promise<number> {
  const n = await h.newNetns("l");
  const r = await h.call("ADD", h.config(NET), { containerId: id, netns: n.path, ifname: "eth0" });
  expect(r.stderr).toBe("");
  if (r.exitCode === 0) {
    const del = await h.call("DEL", h.config(NET), { containerId: id, netns: n.path, ifname: "eth0" });
    expect(del.exitCode, del.stdout).toBe(0);
  }
  return r.exitCode;
}

const dirFiles = () => readdirSync(join(h.cniPath, "ovs-sdn.d")).sort();

it("the first successful ADD writes the cache, a failed one does not", async () => {
  expect(existsSync(cacheFile)).toBe(false); // the installer's VERSION call writes none
  const n = await h.newNetns("l");
  const failed = await h.call("ADD", h.config(NET, { bridge: "no-such-bridge" }), { containerId: "launch-fail", netns: n.path, ifname: "eth0" });
  expect(failed.json?.code, failed.stdout).toBe(100);
  expect(existsSync(cacheFile)).toBe(false);

  expect(await add("launch-1")).toBe(0);
  expect(statSync(cacheFile).size).toBeGreaterThan(10_000);
  expect(dirFiles()).toHaveLength(2); // the bundle and its cache: no temp file left
});

it("an accepted cache is left alone; a refused one is replaced by the next ADD", async () => {
  const written = readFileSync(cacheFile);
  const mtime = statSync(cacheFile).mtimeMs;
  expect(await add("launch-2")).toBe(0);
  expect(statSync(cacheFile).mtimeMs).toBe(mtime);
  expect(readFileSync(cacheFile).equals(written)).toBe(true);

  writeFileSync(cacheFile, "not a V8 code cache");
  expect(await add("launch-3")).toBe(0);
  expect(statSync(cacheFile).size).toBeGreaterThan(10_000);
  expect(dirFiles()).toHaveLength(2);
});

it("a read-only bundle directory costs the ADD nothing but the cache", async () => {
  rmSync(cacheFile);
  const n = await h.newNetns("l");
  const dir = join(h.cniPath, "ovs-sdn.d");
  // A private mount namespace: the bind mount is seen by this one plugin call only.
  const script = 'mount --bind -o ro "$1" "$1" && exec ip netns exec "$2" "$3"';
  const env = h.env("ADD", { containerId: "launch-ro", netns: n.path, ifname: "eth0" });
  const r = await runFull("unshare", ["--mount", "--propagation", "private", "sh", "-c", script, "sh", dir, h.sandbox.netns, join(h.cniPath, "ovs-sdn")], { env, input: JSON.stringify(h.config(NET)), okExitCodes: [1] });
  expect(r.exitCode, r.stdout).toBe(0);
  expect(r.stderr).toBe("");
  expect(dirFiles()).toHaveLength(1); // the bundle only: no cache, no temp file
  const del = await h.call("DEL", h.config(NET), { containerId: "launch-ro", netns: n.path, ifname: "eth0" });
  expect(del.exitCode, del.stdout).toBe(0);
});

it("a launcher without its bundle answers with one CNI error naming the file", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ovs-sdn-launcher-"));
  try {
    copyFileSync(join(h.cniPath, "ovs-sdn"), join(dir, "ovs-sdn"));
    const r = await runFull(join(dir, "ovs-sdn"), [], { env: { PATH: process.env.PATH, CNI_COMMAND: "VERSION" }, input: "{}", okExitCodes: [1] });
    expect(r.exitCode).toBe(1);
    const error = JSON.parse(r.stdout) as { code: number; msg: string };
    expect(error.code).toBe(999);
    expect(error.msg).toContain(join(dir, "ovs-sdn.d"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
