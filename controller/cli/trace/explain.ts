/**
 * Turns a parsed ofproto/trace into words: the verdict (delivered to which port, answered, or
 * dropped where and by which rule) and every table the packet went through with the purpose of the
 * rule that matched (from its cookie).
 */
import { purposeName, tableName } from "../pipeline-names.js";
import { outputsOf, type ParsedTrace } from "./parse.js";

/** What each kind of rule (cookie purpose) does, in words. */
const PURPOSE_WORDS: Record<string, string> = {
  tableMiss: "no specific rule matched: the table's default",
  classifierPort: "known port: network and tenant registers set",
  spoofIpv4: "source MAC and IPv4 address are the port's own",
  spoofIpv6: "source MAC and IPv6 address are the port's own",
  spoofArp: "ARP sender MAC and IPv4 are the port's own",
  arpReply: "ARP request answered by the pipeline",
  ndReply: "neighbor solicitation answered by the pipeline",
  neighborDrop: "ARP/ND nobody answers for: dropped",
  ndComplete: "neighbor advertisement completed and sent back",
  destinationSubnet: "destination address is in a subnet of the tenant",
  conntrack: "connection tracking in the source network's zone",
  aclState: "connection state: established/related pass, invalid drops",
  aclRule: "isolation policy rule",
  aclIntraSubnet: "same subnet: allowed",
  aclNetworkDefault: "between subnets of the network: the network's inter-subnet default",
  aclCommit: "new connection allowed and committed to conntrack",
  l3Gateway: "addressed to the subnet's gateway: routed",
  l3SameNetwork: "stays inside its network: switched",
  l3Route: "routed by the distributed gateway: MAC rewrite, TTL decremented",
  egressSameNetwork: "same network: no second conntrack needed",
  egressConntrack: "tracked in the destination network's zone",
  egressState: "destination zone: new connection committed / established passes",
  l2Endpoint: "destination endpoint found: output port chosen",
  output: "sent out of the chosen port",
};

export interface ExplainedStep {
  /** 1 for the first pass, 2.. after each conntrack recirculation. */
  pass: number;
  table: number;
  tableName: string;
  purpose: string | undefined;
  words: string;
  match: string | undefined;
  priority: number | undefined;
  cookie: string | undefined;
  actions: string[];
  drops: boolean;
}

export interface PortName {
  ofport: number;
  name: string;
  /** "container abc/eth0, network blue". */
  detail?: string;
}

export type Verdict =
  | { kind: "delivered"; ports: string[] }
  | { kind: "replied"; port: string }
  | { kind: "dropped"; table: number; tableName: string; purpose: string | undefined; words: string };

export interface Explanation {
  verdict: Verdict;
  /** One sentence. */
  summary: string;
  steps: ExplainedStep[];
  datapathActions: string;
}

export function explainTrace(trace: ParsedTrace, ports: readonly PortName[], inPort: string): Explanation {
  const steps: ExplainedStep[] = [];
  trace.sections.forEach((section, index) => {
    for (const step of section.steps) {
      const purpose = purposeName(step.cookie);
      const words = step.match === undefined ? "no rule matched (OVS table miss: drop)" : (purpose && PURPOSE_WORDS[purpose]) ?? "rule of another controller";
      steps.push({
        pass: index + 1,
        table: step.table,
        tableName: tableName(step.table),
        purpose,
        words: step.match === undefined ? words : withVerdict(words, purpose, step.actions),
        match: step.match,
        priority: step.priority,
        cookie: step.cookie === undefined ? undefined : `0x${step.cookie.toString(16)}`,
        actions: step.actions,
        drops: step.match === undefined || isDrop(step.actions),
      });
    }
  });
  const last = trace.sections[trace.sections.length - 1];
  const datapathActions = last?.datapathActions ?? "";
  const outputs = outputsOf(trace);
  const label = (port: string) => {
    const known = ports.find((p) => String(p.ofport) === port || p.name === port);
    return known ? `${known.name}${known.detail ? ` (${known.detail})` : ""}` : `port ${port}`;
  };
  let verdict: Verdict;
  let summary: string;
  if (outputs.includes("in_port")) {
    verdict = { kind: "replied", port: inPort };
    summary = `answered by the pipeline: the reply goes back out of ${label(inPort)}`;
  } else if (outputs.length > 0) {
    verdict = { kind: "delivered", ports: outputs.map((p) => ports.find((x) => String(x.ofport) === p)?.name ?? p) };
    summary = `delivered to ${outputs.map(label).join(", ")}`;
  } else {
    const decisive = [...steps].reverse().find((s) => s.drops) ?? steps[steps.length - 1];
    verdict = {
      kind: "dropped",
      table: decisive?.table ?? 0,
      tableName: decisive?.tableName ?? "?",
      purpose: decisive?.purpose,
      words: decisive?.words ?? "no rule matched",
    };
    summary = decisive
      ? `dropped in table ${decisive.tableName} (${decisive.table}) by ${decisive.purpose ? `rule ${decisive.purpose}` : "the table miss"}: ${decisive.words}`
      : "dropped before any table (no trace steps)";
  }
  return { verdict, summary, steps, datapathActions };
}

function isDrop(actions: readonly string[]): boolean {
  // `ct(table=N)` prints "drop" after it for the original packet; the clone continues: not a drop.
  if (actions.some((a) => /^ct\(.*table=/.test(a))) return false;
  return actions.length === 0 || actions.every((a) => a === "drop");
}

/** Rule kinds whose outcome depends on their action (allow/deny rules, defaults). */
function withVerdict(words: string, purpose: string | undefined, actions: readonly string[]): string {
  if (purpose === "aclRule" || purpose === "aclNetworkDefault") {
    if (actions.some((a) => a.startsWith("conjunction("))) return `${words} (one clause of a conjunctive match)`;
    return `${words}: ${isDrop(actions) ? "deny" : "allow"}`;
  }
  if (purpose === "aclState" && isDrop(actions)) return "connection state invalid: dropped";
  return words;
}

/** The explanation for people. */
export function renderExplanation(e: Explanation, heading: string[]): string {
  const lines = [...heading, "", `Verdict: ${e.verdict.kind.toUpperCase()}: ${e.summary}`, "", "Path:"];
  let pass = 0;
  for (const s of e.steps) {
    if (s.pass !== pass) {
      if (pass !== 0) lines.push("  -- after conntrack (recirculated):");
      pass = s.pass;
    }
    const rule = s.match === undefined ? "" : ` [${s.purpose ?? "?"}, priority ${s.priority}${s.match ? `, ${s.match}` : ""}]`;
    lines.push(`  ${String(s.table).padStart(3)} ${s.tableName.padEnd(16)} ${s.words}${rule}`);
  }
  lines.push("", `Datapath actions: ${e.datapathActions || "(none)"}`);
  return `${lines.join("\n")}\n`;
}
