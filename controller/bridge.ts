/**
 * The integration bridge as the controller needs it: fail_mode=secure (a port without flows passes
 * nothing, also while the controller is down), OpenFlow 1.3, the configured datapath, and the
 * pipeline's table names published in OVSDB so ovs-ofctl shows them.
 */
import { ensureBridge, namedUuid, op, VSWITCH_DB, waitApplied, where, type OvsdbClient } from "../ovs/ovsdb/index.js";
import type { NamedTable } from "../ovs/openflow/table-names.js";

export interface IntegrationBridgeSpec {
  name: string;
  datapathType: string;
  tables: readonly NamedTable[];
}

export async function prepareIntegrationBridge(client: OvsdbClient, spec: IntegrationBridgeSpec): Promise<void> {
  const result = await ensureBridge(client, {
    name: spec.name,
    datapathType: spec.datapathType,
    failMode: "secure",
    protocols: ["OpenFlow13"],
    externalIds: { "ovs-sdn/role": "integration" },
  });
  if (result.nextCfg !== undefined) await waitApplied(client, { nextCfg: result.nextCfg, timeoutMs: 10_000 });
  await publishTableNames(client, spec.name, spec.tables);
}

/** One transaction: a Flow_Table row per table, referenced from Bridge.flow_tables (old rows are GC'd). */
export async function publishTableNames(client: OvsdbClient, bridge: string, tables: readonly NamedTable[]): Promise<void> {
  const ops = tables.map((t) => op.insert("Flow_Table", { name: t.name }, `table${t.id}`));
  const flowTables = new Map(tables.map((t) => [t.id, namedUuid(`table${t.id}`)]));
  await client.transact(VSWITCH_DB, [...ops, op.update("Bridge", [where.eq("name", bridge)], { flow_tables: flowTables })]);
}
