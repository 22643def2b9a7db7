/**
 * Parses `ovs-ofctl dump-flows` output (run with --no-names) back into installed flows. Only the
 * header fields are interpreted (cookie, table, priority, counters); match and actions are kept as
 * OVS printed them, for display and tracing.
 */
import { OpenFlowError } from "./errors.js";
import type { FlowKey } from "./desired.js";

export interface InstalledFlow extends FlowKey {
  /** The match as OVS prints it, e.g. "ip,reg0=0x7,nw_dst=10.1.0.0/24" ("" for match-all). */
  match: string;
  actions: string;
  packets: number;
  bytes: number;
}

const DEFAULT_PRIORITY = 32768; // OFP_DEFAULT_PRIORITY: OVS omits "priority=" for it

export function parseDumpFlows(output: string): InstalledFlow[] {
  const flows: InstalledFlow[] = [];
  for (const raw of output.split("\n")) {
    const line = raw.trim();
    if (line === "" || !line.startsWith("cookie=")) continue; // the OFPST_FLOW reply header lines
    flows.push(parseFlowLine(line));
  }
  return flows;
}

export function parseFlowLine(line: string): InstalledFlow {
  const cut = line.indexOf(" actions=");
  if (cut === -1) throw new OpenFlowError("dump-flows line without actions", line);
  const actions = line.slice(cut + " actions=".length);
  // Header fields are separated by ", "; the last part is "priority=N,match" (or only the match).
  const parts = line.slice(0, cut).split(", ");
  const header = new Map<string, string>();
  for (const part of parts.slice(0, -1)) {
    const eq = part.indexOf("=");
    if (eq !== -1) header.set(part.slice(0, eq), part.slice(eq + 1));
  }
  let rest = parts[parts.length - 1] ?? "";
  if (parts.length === 1) rest = "";
  let priority = DEFAULT_PRIORITY;
  const fields = rest === "" ? [] : rest.split(",");
  if (fields[0]?.startsWith("priority=")) {
    priority = Number(fields.shift()?.slice("priority=".length));
  }
  const cookieText = header.get("cookie");
  const tableText = header.get("table") ?? "0";
  if (cookieText === undefined || !/^0x[0-9a-f]+$/.test(cookieText)) throw new OpenFlowError("dump-flows line without a cookie", line);
  if (!/^\d+$/.test(tableText)) throw new OpenFlowError("dump-flows line with a table name (dump with --no-names)", line);
  if (!Number.isInteger(priority)) throw new OpenFlowError("dump-flows line with a bad priority", line);
  return {
    cookie: BigInt(cookieText),
    table: Number(tableText),
    priority,
    match: fields.join(","),
    actions,
    packets: Number(header.get("n_packets") ?? 0),
    bytes: Number(header.get("n_bytes") ?? 0),
  };
}
