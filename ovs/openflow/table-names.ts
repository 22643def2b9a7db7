/**
 * Table names live in OVSDB (Bridge.flow_tables -> Flow_Table.name); ovs-vswitchd reports them in
 * its table features, so `ovs-ofctl --names dump-flows` shows "table=classifier". Set through
 * ovs-vsctl for now: one transaction creating the rows and pointing the bridge's map at them
 * (rows that lose their last reference are garbage-collected by OVSDB).
 */
export interface NamedTable {
  id: number;
  name: string;
}

/** Runs ovs-vsctl with these arguments against the right database (e.g. `sandbox.vsctl`). */
export type VsctlRunner = (...args: string[]) => Promise<string>;

export function tableNameArgs(bridge: string, tables: readonly NamedTable[]): string[] {
  const args: string[] = [];
  const entries: string[] = [];
  for (const table of tables) {
    args.push("--", `--id=@t${table.id}`, "create", "Flow_Table", `name=${table.name}`);
    entries.push(`flow_tables:${table.id}=@t${table.id}`);
  }
  return [...args, "--", "set", "Bridge", bridge, ...entries];
}

export async function setTableNames(vsctl: VsctlRunner, bridge: string, tables: readonly NamedTable[]): Promise<void> {
  await vsctl(...tableNameArgs(bridge, tables));
}
