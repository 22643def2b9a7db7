/**
 * The undo stack of ADD: each step registers how to take back what it just made; on failure the
 * steps run in reverse order. An undo that fails is logged and does not hide the original error.
 */
import { errorFields, type Logger } from "../log.js";

export class UndoStack {
  private readonly steps: { what: string; run: () => Promise<unknown> }[] = [];

  push(what: string, run: () => Promise<unknown>): void {
    this.steps.push({ what, run });
  }

  async runAll(log: Logger): Promise<void> {
    for (const step of this.steps.reverse()) {
      try {
        await step.run();
      } catch (err) {
        log.error({ step: step.what, ...errorFields(err) }, "undo failed");
      }
    }
    this.steps.length = 0;
  }
}

/**
 * Awaits independent steps together. Every step settles before the first error is thrown, so
 * nothing is still being created while the undo stack runs.
 */
export async function allOrFirstError<T extends readonly unknown[]>(steps: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(steps);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
