/**
 * The container-end process of ADD (plugin/link/container.ts) on its own, in a real netns: it is
 * prepared and configured through one process, reports a failing step with the shell's error, and
 * stops when ADD gives up before configuring.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { ContainerEnd } from "../../../plugin/link/container.js";
import { LinkError } from "../../../plugin/link/errors.js";
import { createNetns, deleteNetns, execInNetns, netnsPath, uniqueName } from "../../helpers/netns.js";

const netns = uniqueName("ce");
beforeAll(async () => {
  await createNetns(netns);
  await execInNetns(netns, "ip", ["link", "add", "ce0", "type", "veth", "peer", "name", "ce1"]);
});
afterAll(async () => {
  await deleteNetns(netns);
});

it("prepares, then configures the interface: sysctls, offload, MAC, MTU, addresses, link up, routes", async () => {
  const end = ContainerEnd.start(netnsPath(netns), "ce0", 5000);
  await end.prepare(true);
  expect((await execInNetns(netns, "cat", ["/proc/sys/net/ipv4/conf/ce0/arp_notify"])).trim()).toBe("1");
  expect(await execInNetns(netns, "ethtool", ["-k", "ce0"])).toMatch(/^tx-checksumming: off/m);
  await end.configure({ ifname: "ce0", mac: "02:00:00:00:ce:00", mtu: 1400, ips: [{ address: "10.99.0.2/24" }, { address: "fd99::2/64" }], routes: [{ dst: "10.98.0.0/16", gw: "10.99.0.1" }] });
  const link = JSON.parse(await execInNetns(netns, "ip", ["-j", "addr", "show", "dev", "ce0"]))[0] as { address: string; mtu: number; flags: string[]; addr_info: { local: string }[] };
  expect(link).toMatchObject({ address: "02:00:00:00:ce:00", mtu: 1400 });
  expect(link.flags).toContain("UP");
  expect(link.addr_info.map((a) => a.local)).toEqual(expect.arrayContaining(["10.99.0.2", "fd99::2"]));
  expect(await execInNetns(netns, "ip", ["route", "show", "10.98.0.0/16"])).toContain("via 10.99.0.1 dev ce0");
});

it("a step that fails names it, with the shell's error as details", async () => {
  const end = ContainerEnd.start(netnsPath(netns), "nosuchif", 5000);
  const err = await end.prepare(false).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LinkError);
  expect((err as LinkError).message).toBe(`preparing nosuchif in ${netnsPath(netns)} failed`);
  expect((err as LinkError).details).toMatch(/arp_notify/);
});

it("stops when ADD gives up before configuring", async () => {
  const end = ContainerEnd.start(netnsPath(netns), "ce1", 5000);
  await end.prepare(false);
  await end.stop();
  const err = await end.configure({ ifname: "ce1", mac: "02:00:00:00:ce:01", mtu: undefined, ips: [], routes: [] }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect((err as LinkError).message).toMatch(/^configuring ce1 in .* failed$/);
  expect(await execInNetns(netns, "ip", ["-j", "link", "show", "dev", "ce1"])).not.toContain("02:00:00:00:ce:01");
});
