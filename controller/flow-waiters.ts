/**
 * Tracks which ports the last converged reconcile round covered, so that the plugin's ADD can
 * wait until its port's flows are really in OVS.
 */
import { EventEmitter } from "node:events";

export class InstalledPorts extends EventEmitter<{ changed: [] }> {
  /** port name -> ofport, as of the last converged round. */
  private installed = new Map<string, number>();
  /** The ports in the round being compiled now. */
  private pending = new Map<string, number>();

  /** Called when a round compiles its input. */
  compiling(ports: ReadonlyArray<{ name: string; ofport: number }>): void {
    this.pending = new Map(ports.map((p) => [p.name, p.ofport]));
  }

  /** Called when that round's flows are in OVS. */
  converged(): void {
    this.installed = this.pending;
    this.emit("changed");
  }

  has(name: string, ofport: number): boolean {
    return this.installed.get(name) === ofport;
  }

  /** Resolves when the port is installed with this ofport; rejects after timeoutMs. */
  waitFor(name: string, ofport: number, timeoutMs: number): Promise<void> {
    if (this.has(name, ofport)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onChange = () => {
        if (!this.has(name, ofport)) return;
        clearTimeout(timer);
        this.off("changed", onChange);
        resolve();
      };
      const timer = setTimeout(() => {
        this.off("changed", onChange);
        reject(new Error(`flows of port ${name} (ofport ${ofport}) not installed within ${timeoutMs} ms`));
      }, timeoutMs);
      this.on("changed", onChange);
    });
  }
}
