/**
 * Parses `ovs-ofctl --names dump-flows` output: like ovs/openflow/dump.ts, but the table may be a
 * name ("table=Classifier") and ports in matches are names, which is what an operator reads.
 */
import { CniCode, CniError } from "../../../plugin/cni/errors.js";
import { purposeName, tableRef } from "../pipeline-names.js";

export interface ShownFlow {
  cookie: bigint;
  tableId: number | undefined;
  table: string;
  priority: number;
  /** As OVS prints it; "" matches everything. */
  match: string;
  actions: string;
  packets: number;
  bytes: number;
  purpose: string | undefined;
}

const DEFAULT_PRIORITY = 32768;

export function parseNamedDump(output: string): ShownFlow[] {
  return output
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.startsWith("cookie="))
    .map(parseNamedFlowLine);
}

export function parseNamedFlowLine(text: string): ShownFlow {
  const line = text.trim();
  const cut = line.indexOf(" actions=");
  if (cut === -1) throw new CniError(CniCode.OpenFlowFailure, `unexpected dump-flows line (no actions): ${line}`);
  // Header fields are ", "-separated; the last part is "priority=N,match", the match alone, or
  // (default priority and empty match) one more header field.
  const parts = line.slice(0, cut).split(", ");
  const lastIsHeader = /^(cookie|duration|table|n_packets|n_bytes|idle_age|hard_age|idle_timeout|hard_timeout|importance)=[^,]*$/.test(parts[parts.length - 1] ?? "");
  const header = new Map<string, string>();
  for (const part of lastIsHeader ? parts : parts.slice(0, -1)) {
    const eq = part.indexOf("=");
    if (eq !== -1) header.set(part.slice(0, eq), part.slice(eq + 1));
  }
  const last = lastIsHeader ? "" : (parts[parts.length - 1] ?? "");
  const fields = last === "" ? [] : last.split(",");
  let priority = DEFAULT_PRIORITY;
  if (fields[0]?.startsWith("priority=")) priority = Number(fields.shift()!.slice("priority=".length));
  const cookieText = header.get("cookie") ?? "";
  if (!/^0x[0-9a-f]+$/.test(cookieText)) throw new CniError(CniCode.OpenFlowFailure, `unexpected dump-flows line (no cookie): ${line}`);
  const cookie = BigInt(cookieText);
  const table = tableRef(header.get("table") ?? "0");
  return {
    cookie,
    tableId: table.id,
    table: table.name,
    priority,
    match: fields.join(","),
    actions: line.slice(cut + " actions=".length),
    packets: Number(header.get("n_packets") ?? 0),
    bytes: Number(header.get("n_bytes") ?? 0),
    purpose: purposeName(cookie),
  };
}

/** A match's fields: "ip,reg0=0x1,nw_dst=10.1.0.0/24" -> {ip: "", reg0: "0x1", nw_dst: "10.1.0.0/24"}. */
export function matchFields(match: string): Map<string, string> {
  const fields = new Map<string, string>();
  if (match === "") return fields;
  for (const part of match.split(",")) {
    const eq = part.indexOf("=");
    if (eq === -1) fields.set(part, "");
    else fields.set(part.slice(0, eq), unquote(part.slice(eq + 1)));
  }
  return fields;
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}
