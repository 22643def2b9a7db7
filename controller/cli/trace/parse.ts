/**
 * Parses `ovs-appctl ofproto/trace` output into sections (one per pass through the pipeline: the
 * first, then one per conntrack recirculation) of steps (table, matched rule, its actions and OVS's
 * notes). What each step means is explain.ts's job.
 */

export interface TraceStep {
  table: number;
  /** The rule's match as OVS prints it ("" for match-all); undefined when no rule matched. */
  match: string | undefined;
  priority: number | undefined;
  cookie: bigint | undefined;
  actions: string[];
  /** OVS's "-> ..." remarks, e.g. "output port is 2". */
  notes: string[];
}

export interface TraceSection {
  /** The packet's fields entering this pass ("Flow: ..."). */
  flow: string;
  /** The table a recirculation resumed at, for passes after the first. */
  resumedAt: number | undefined;
  steps: TraceStep[];
  finalFlow: string | undefined;
  datapathActions: string;
}

export interface ParsedTrace {
  sections: TraceSection[];
}

const STEP = /^\s*(\d+)\. (.*)$/;
const RULE = /^(?:(.*), )?priority (\d+)(?:, cookie (0x[0-9a-f]+))?$/;

export function parseTrace(output: string): ParsedTrace {
  const sections: TraceSection[] = [];
  let section: TraceSection | undefined;
  let step: TraceStep | undefined;
  for (const raw of output.split("\n")) {
    const line = raw.trimEnd();
    if (line.startsWith("Flow: ")) {
      section = { flow: line.slice("Flow: ".length), resumedAt: undefined, steps: [], finalFlow: undefined, datapathActions: "" };
      sections.push(section);
      step = undefined;
      continue;
    }
    if (!section) continue;
    const resumed = /Resuming from table (\d+)/.exec(line);
    if (resumed) {
      section.resumedAt = Number(resumed[1]);
      continue;
    }
    const stepMatch = STEP.exec(line);
    if (stepMatch && /^\s{0,3}\d/.test(line)) {
      step = parseStep(Number(stepMatch[1]), stepMatch[2] ?? "");
      section.steps.push(step);
      continue;
    }
    if (line.startsWith("Final flow: ")) section.finalFlow = line.slice("Final flow: ".length);
    else if (line.startsWith("Datapath actions: ")) section.datapathActions = line.slice("Datapath actions: ".length);
    else if (step && line.trim().startsWith("-> ")) step.notes.push(line.trim().slice(3));
    else if (step && /^\s{4}\S/.test(line) && !line.trim().startsWith("thaw")) step.actions.push(line.trim());
    else if (/^[A-Z=-]/.test(line)) step = undefined; // Megaflow, separators, bridge headers end a step
  }
  return { sections };
}

function parseStep(table: number, text: string): TraceStep {
  const rule = RULE.exec(text);
  if (!rule) return { table, match: undefined, priority: undefined, cookie: undefined, actions: [], notes: text.startsWith("No match") ? [] : [text] };
  return {
    table,
    match: rule[1] ?? "",
    priority: Number(rule[2]),
    cookie: rule[3] === undefined ? undefined : BigInt(rule[3]),
    actions: [],
    notes: [],
  };
}

/** The OpenFlow ports a traced packet leaves through ("in_port" when it goes back where it came from). */
export function outputsOf(trace: ParsedTrace): string[] {
  const outputs: string[] = [];
  for (const section of trace.sections) {
    for (const step of section.steps) {
      for (const note of step.notes) {
        const port = /^output port is (\S+)/.exec(note);
        if (port) outputs.push(port[1]!);
      }
      for (const action of step.actions) {
        if (action === "IN_PORT" || action === "in_port") outputs.push("in_port");
        const direct = /^output:(\d+|"[^"]+"|[\w.-]+)$/.exec(action);
        if (direct && !direct[1]!.startsWith("NXM")) outputs.push(direct[1]!.replace(/"/g, ""));
      }
    }
  }
  return outputs;
}

/** "a=1,b=c" flow text as a map (values as printed). */
export function flowFields(flow: string | undefined): Map<string, string> {
  const fields = new Map<string, string>();
  for (const part of (flow ?? "").split(",")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    fields.set(eq === -1 ? part : part.slice(0, eq), eq === -1 ? "" : part.slice(eq + 1));
  }
  return fields;
}
