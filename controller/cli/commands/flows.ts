/**
 * `flows`: the installed pipeline (our cookie only) with table names, grouped by table then by the
 * port or network each flow is for, with packet counters.
 */
import { Command } from "commander";
import { ourCookieFilter } from "../../../ovs/openflow/cookie.js";
import { ApiPath } from "../../api/protocol.js";
import type { Network } from "../../model/types.js";
import type { CliContext } from "../context.js";
import { parseNamedDump, type ShownFlow } from "../flows/dump.js";
import { filterFlows, groupFlows, type Names, type PortLabel, type TableGroup } from "../flows/group.js";
import { renderData, renderSections, type Column } from "../output.js";
import { findPort, readOurPorts, type OurPort } from "../ports.js";
import { contextOf, formatOf, outputOption, type CommandDeps } from "../program-deps.js";

interface FlowsOptions {
  table?: string;
  port?: string;
  network?: string;
}

export function flowsCommand(deps: CommandDeps): Command {
  return new Command("flows")
    .description("show the OpenFlow pipeline on the bridge: named tables, flows per port and network, packet counters")
    .option("--table <name>", "only this table (name or number)")
    .option("--port <port>", "only flows of this port (port name, container id or pod): its in_port, MAC, addresses or output")
    .option("--network <name>", "only flows of this network and its ports")
    .addOption(outputOption())
    .addHelpText(
      "after",
      `
Examples:
  ovs-sdnctl flows
  ovs-sdnctl flows --table Acl
  ovs-sdnctl flows --port 3f2a9c1d --table SpoofGuard
  ovs-sdnctl flows -o json | jq '.[] | select(.packets > 0)'`,
    )
    .action(async (opts: FlowsOptions, cmd: Command) => {
      const ctx = contextOf(cmd, deps);
      const flows = parseNamedDump(await ctx.ofctl(["--names"], "dump-flows", ourCookieFilter()));
      const names = await namesFor(ctx, deps, opts.port !== undefined);
      const port = opts.port === undefined ? undefined : names.ports.find((p) => p.name === findPort(names.ourPorts, opts.port!).name);
      const shown = filterFlows(flows, { ...(opts.table ? { table: opts.table } : {}), ...(port ? { port } : {}), ...(opts.network ? { network: opts.network } : {}) }, names);
      const tables = groupFlows(shown, names);
      const format = formatOf(cmd);
      if (format !== "table") return ctx.print(renderData(format, tables.flatMap(flatRows)));
      ctx.print(renderFlowTables(tables));
    });
}

/** Port and network names for labels; each source is optional (the dump alone is still useful). */
async function namesFor(ctx: CliContext, deps: CommandDeps, portsRequired: boolean): Promise<Names & { ourPorts: OurPort[] }> {
  let ourPorts: OurPort[] = [];
  try {
    ourPorts = await ctx.withOvsdb((client) => readOurPorts(client, ctx.bridge));
  } catch (err) {
    if (portsRequired) throw err;
    deps.io.err(`warning: ports are shown by number only: ${(err as Error).message}\n`);
  }
  const networks = new Map<number, string>();
  try {
    for (const n of await ctx.api(5_000).call<Network[]>("GET", ApiPath.definitions("Network"))) if (n.spec.vlan !== undefined) networks.set(n.spec.vlan, n.metadata.name);
  } catch (err) {
    deps.io.err(`warning: networks are shown by id only: ${(err as Error).message}\n`);
  }
  return { ourPorts, ports: ourPorts.map(portLabel), networks };
}

export function portLabel(p: OurPort): PortLabel {
  return {
    name: p.name,
    ofport: p.ofport,
    network: p.identity.network,
    containerId: p.identity.containerId,
    ifname: p.identity.ifname,
    mac: p.identity.mac,
    ips: p.identity.ips.map((ip) => ip.split("/")[0]!),
  };
}

const flowColumns: Column<ShownFlow>[] = [
  { header: "packets", value: (f) => f.packets, right: true },
  { header: "priority", value: (f) => f.priority, right: true },
  { header: "purpose", value: (f) => f.purpose },
  { header: "match", value: (f) => f.match || "*" },
  { header: "actions", value: (f) => f.actions },
];

export function renderFlowTables(tables: readonly TableGroup[]): string {
  if (tables.length === 0) return "no ovs-sdn flows match\n";
  const blocks = tables.map((t) => {
    const heading = `${t.table} (table ${t.tableId ?? "?"}): ${t.flows} flow${t.flows === 1 ? "" : "s"}, ${t.packets} packet${t.packets === 1 ? "" : "s"}`;
    const sections = t.groups.map((g) => ({ title: `  ${g.label}: ${g.packets} packet${g.packets === 1 ? "" : "s"}`, rows: g.flows }));
    return `${heading}\n${renderSections(sections, flowColumns, "    ")}`;
  });
  const flows = tables.reduce((n, t) => n + t.flows, 0);
  const packets = tables.reduce((n, t) => n + t.packets, 0);
  return `${blocks.join("\n")}\n${flows} flows in ${tables.length} tables, ${packets} packets\n`;
}

function flatRows(t: TableGroup): object[] {
  return t.groups.flatMap((g) =>
    g.flows.map((f) => ({
      table: t.table,
      tableId: t.tableId,
      group: g.label,
      purpose: f.purpose,
      priority: f.priority,
      match: f.match,
      actions: f.actions,
      packets: f.packets,
      bytes: f.bytes,
      cookie: `0x${f.cookie.toString(16)}`,
    })),
  );
}
