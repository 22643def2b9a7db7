/**
 * Two "hosts", each with its own etcd client and Ipam, allocate 100 addresses at once from one
 * /24: uniqueness comes from etcd transactions, so no address is handed out twice.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Ipam } from "../../../controller/ipam/ipam.js";
import { verifyIpam } from "../../../controller/ipam/verify.js";
import type { Lease } from "../../../controller/ipam/types.js";
import { DefinitionService } from "../../../controller/model/definitions.js";
import { EtcdStore } from "../../../controller/store/etcd/etcd-store.js";
import type { Store } from "../../../controller/store/types.js";
import { startEtcd, type EtcdCluster } from "../../helpers/etcd.js";

let etcd: EtcdCluster;
const stores: Store[] = [];

beforeAll(async () => {
  etcd = await startEtcd();
});
afterAll(async () => {
  for (const s of stores) await s.close();
  await etcd?.stop();
});

describe("IPAM on etcd from two hosts", () => {
  it("100 concurrent allocations from two clients into one /24: 100 distinct addresses, 100 leases", async () => {
    const prefix = `/ipam-${randomBytes(4).toString("hex")}/`;
    const hostA = await EtcdStore.open({ endpoints: etcd.endpoints, prefix });
    const hostB = await EtcdStore.open({ endpoints: etcd.endpoints, prefix });
    stores.push(hostA, hostB);
    await new DefinitionService(hostA).apply([
      { kind: "Network", metadata: { name: "n1" }, spec: { tenant: "t1" } },
      { kind: "Subnet", metadata: { name: "s1" }, spec: { network: "n1", cidr: "10.40.0.0/24" } },
    ]);
    // Host B sees the definitions host A made.
    expect((await new DefinitionService(hostB).get("Subnet", "s1"))?.spec).toMatchObject({ cidr: "10.40.0.0/24" });

    const ipams = [new Ipam(hostA), new Ipam(hostB)];
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => (ipams[i % 2] as Ipam).allocate({ network: "n1", containerId: `c${i}`, ifname: "eth0" })),
    );
    const addresses = results.flatMap((r) => r.addresses.map((a) => a.ip));
    expect(addresses).toHaveLength(100);
    expect(new Set(addresses).size).toBe(100);
    for (const a of addresses) expect(a).toMatch(/^10\.40\.0\.\d+$/);

    const leases = await hostB.list<Lease>("leases/n1/s1/");
    expect(leases.records).toHaveLength(100);
    expect(new Set(leases.records.map((r) => r.value.containerId)).size).toBe(100);
    expect((await hostA.list("attachments/")).records).toHaveLength(100);
    expect((await verifyIpam(hostA)).issues).toEqual([]);
  });
});
