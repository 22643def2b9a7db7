import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { cachedVersions, rememberVersions } from "../../../plugin/ipam/versions-cache.js";

const dir = mkdtempSync(join(tmpdir(), "ovs-sdn-vcache-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("remembers versions per binary until the binary changes", () => {
  const plugin = join(dir, "host-local");
  writeFileSync(plugin, "binary v1");
  const state = join(dir, "state");
  expect(cachedVersions(state, plugin)).toBeUndefined();
  rememberVersions(state, plugin, ["0.4.0", "1.0.0"]);
  expect(cachedVersions(state, plugin)).toEqual(["0.4.0", "1.0.0"]);
  writeFileSync(plugin, "binary v2, upgraded");
  utimesSync(plugin, new Date(), new Date(Date.now() + 5000));
  expect(cachedVersions(state, plugin)).toBeUndefined();
});

it("treats a corrupt cache or an unwritable state dir as no cache", () => {
  const plugin = join(dir, "static");
  writeFileSync(plugin, "x");
  const state = join(dir, "corrupt");
  rememberVersions(state, plugin, ["1.0.0"]);
  writeFileSync(join(state, "ipam-versions.json"), "{not json");
  expect(cachedVersions(state, plugin)).toBeUndefined();
  rememberVersions(join(plugin, "not-a-dir"), plugin, ["1.0.0"]); // must not throw
});
