/**
 * Keeps a bridge's flows converged with the desired pipeline. One round at a time: compile the
 * current input, diff against what is installed (read back from OVS on the first round and after
 * any doubt), apply the difference as one bundle. Requests during a round coalesce into one more
 * round. Flows of other owners and unchanged flows of ours are never touched: no wipe, no flush.
 */
import { EventEmitter } from "node:events";
import type { FlowApplier } from "../../ovs/openflow/applier.js";
import type { DesiredFlow, FlowKey } from "../../ovs/openflow/desired.js";
import { diffFlows, isEmptyDiff, type FlowDiff } from "../../ovs/openflow/diff.js";

export interface RoundResult {
  generation: number;
  /** Why this round ran (the reasons requested since the previous one). */
  reasons: string[];
  added: number;
  removed: number;
  unchanged: number;
  /** Whether the installed state was read back from OVS in this round. */
  resynced: boolean;
  problems: string[];
  /** From the round's start to its flows being in OVS. */
  durationMs: number;
  /** Of that, the time OVS took: reading the installed flows back (resync) and applying the bundle. */
  ovsMs: number;
}

export interface ReconcilerEvents {
  converged: [result: RoundResult];
  failed: [error: Error, reasons: string[]];
}

export interface ReconcilerOptions {
  applier: FlowApplier;
  /** Compiles the desired flows from the current definitions and ports. */
  desired: () => { flows: DesiredFlow[]; problems: string[] };
  /** Delay before retrying a failed round. */
  retryMs?: number;
}

export class Reconciler extends EventEmitter<ReconcilerEvents> {
  /** What we believe is installed; undefined means "read it back from OVS first". */
  private installed: FlowKey[] | undefined;
  private pendingReasons: string[] = [];
  private running: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private generationCounter = 0;
  private lastFlowCount = 0;

  constructor(private readonly options: ReconcilerOptions) {
    super();
  }

  get generation(): number {
    return this.generationCounter;
  }

  get flowCount(): number {
    return this.lastFlowCount;
  }

  /** True when no round is pending or running and the last one succeeded. */
  get inSync(): boolean {
    return this.running === undefined && this.pendingReasons.length === 0 && this.installed !== undefined;
  }

  /** Asks for a round; `resync` first reads the installed flows back from OVS (e.g. after a vswitchd restart). */
  request(reason: string, resync = false): void {
    if (this.stopped) return;
    if (resync) this.installed = undefined;
    this.pendingReasons.push(reason);
    this.running ??= this.loop();
  }

  /** Resolves after the next round that starts after this call has converged. */
  async converge(reason: string, resync = false): Promise<RoundResult> {
    const done = new Promise<RoundResult>((resolve, reject) => {
      const onConverged = (result: RoundResult) => {
        if (!result.reasons.includes(reason)) return;
        this.off("converged", onConverged);
        this.off("failed", onFailed);
        resolve(result);
      };
      const onFailed = (error: Error, reasons: string[]) => {
        if (!reasons.includes(reason)) return;
        this.off("converged", onConverged);
        this.off("failed", onFailed);
        reject(error);
      };
      this.on("converged", onConverged);
      this.on("failed", onFailed);
    });
    this.request(reason, resync);
    return done;
  }

  /** No new rounds; resolves once the round in flight (if any) has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.running;
  }

  private async loop(): Promise<void> {
    while (this.pendingReasons.length > 0 && !this.stopped) {
      const reasons = this.pendingReasons;
      this.pendingReasons = [];
      try {
        this.emit("converged", await this.round(reasons));
      } catch (err) {
        this.installed = undefined; // we no longer know what OVS holds
        this.emit("failed", err as Error, reasons);
        this.scheduleRetry();
      }
    }
    this.running = undefined;
  }

  private async round(reasons: string[]): Promise<RoundResult> {
    const started = performance.now();
    const resynced = this.installed === undefined;
    const installed = this.installed ?? (await this.options.applier.dumpFlows());
    let ovsMs = performance.now() - started;
    const { flows, problems } = this.options.desired();
    const diff: FlowDiff = diffFlows(flows, installed);
    if (!isEmptyDiff(diff)) {
      const applying = performance.now();
      await this.options.applier.apply(diff);
      ovsMs += performance.now() - applying;
    }
    this.installed = flows.map(({ cookie, table, priority }) => ({ cookie, table, priority }));
    this.lastFlowCount = flows.length;
    this.generationCounter++;
    const durationMs = Math.round(performance.now() - started);
    return { generation: this.generationCounter, reasons, added: diff.add.length, removed: diff.remove.length, unchanged: diff.unchanged, resynced, problems, durationMs, ovsMs: Math.round(ovsMs) };
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.request("retry after failure", true);
    }, this.options.retryMs ?? 1_000);
  }
}
