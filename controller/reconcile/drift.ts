/**
 * Notices when the flows in OVS stop matching what the reconciler installed: ovs-vswitchd
 * restarted (every flow is gone), or someone deleted or added flows with our cookie. One cheap
 * probe per interval: the aggregate count of our flows, one OpenFlow round trip.
 */
import { run } from "../../ovs/exec.js";
import { ourCookieFilter } from "../../ovs/openflow/cookie.js";
import { OpenFlowError } from "../../ovs/openflow/errors.js";

export interface DriftProbeOptions {
  /** ovs-ofctl target: "unix:DIR/br-int.mgmt" or a bridge name. */
  target: string;
  env?: NodeJS.ProcessEnv;
}

/** Number of flows carrying our cookie marker on the bridge. */
export async function countOurFlows(options: DriftProbeOptions): Promise<number> {
  const out = await run("ovs-ofctl", ["-O", "OpenFlow13", "--no-names", "dump-aggregate", options.target, ourCookieFilter()], {
    timeoutMs: 5_000,
    ...(options.env ? { env: options.env } : {}),
  }).catch((err: unknown) => {
    throw new OpenFlowError(`cannot read the flow count of ${options.target}`, err instanceof Error ? err.message : String(err), { cause: err });
  });
  const match = /flow_count=(\d+)/.exec(out);
  if (!match) throw new OpenFlowError(`unexpected dump-aggregate output from ${options.target}`, out.slice(0, 200));
  return Number(match[1]);
}

export interface DriftWatchOptions extends DriftProbeOptions {
  intervalMs: number;
  /** The number of flows we believe are installed, or undefined while a round is in progress. */
  expected: () => number | undefined;
  onDrift: (installed: number, expected: number) => void;
  onProbeError: (err: Error) => void;
}

/** Probes periodically; returns a function that stops it. */
export function watchDrift(options: DriftWatchOptions): () => void {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    countOurFlows(options)
      .then((installed) => {
        const expected = options.expected();
        if (expected !== undefined && installed !== expected) options.onDrift(installed, expected);
      })
      .catch((err: Error) => options.onProbeError(err))
      .finally(() => (busy = false));
  }, options.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
