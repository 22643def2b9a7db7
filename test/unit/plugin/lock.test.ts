import { expect, it } from "vitest";
import { CniError } from "../../../plugin/cni/errors.js";
import { acquireLock } from "../../../plugin/lock.js";

const key = () => `unit-${process.pid}-${Math.random()}`;

it("a second holder waits until the first releases", async () => {
  const k = key();
  const first = await acquireLock(k, 1000);
  const order: string[] = [];
  const second = acquireLock(k, 5000).then((l) => {
    order.push("second");
    return l;
  });
  await new Promise((r) => setTimeout(r, 50));
  order.push("release");
  await first.release();
  await (await second).release();
  expect(order).toEqual(["release", "second"]);
});

it("gives up with code 11 after the timeout", async () => {
  const k = key();
  const held = await acquireLock(k, 1000);
  try {
    await expect(acquireLock(k, 100)).rejects.toSatisfy((e) => e instanceof CniError && e.code === 11);
  } finally {
    await held.release();
  }
  await (await acquireLock(k, 100)).release();
});
