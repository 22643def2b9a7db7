/**
 * Definition changes are serialised through one record, DEFINITIONS_TXN_KEY: a writer validates the
 * whole set of definitions, then commits its change list by compare-and-swap on that record (the
 * commit point), then writes the documents ("rolls forward"). Anyone who finds a committed but
 * unapplied transaction rolls it forward before reading or committing, so a crash after the
 * commit loses nothing, and two writers never validate against the same old set.
 */
import { isDeepStrictEqual } from "node:util";
import type { Store, StoreRecord } from "../store/types.js";
import { DEFINITIONS_PREFIX, DEFINITIONS_TXN_KEY } from "./keys.js";
import { emptyDefinitionSet, type Definition, type DefinitionSet } from "./types.js";

export interface DefinitionChange {
  key: string;
  /** The new document, or null to delete. */
  value: Definition | null;
}

export interface DefinitionTxn {
  epoch: number;
  changes: DefinitionChange[];
  applied: boolean;
  time: string;
}

export interface CommittedSet {
  set: DefinitionSet;
  /** Store revision the set reflects. */
  revision: number;
  /** Revision of the transaction record, for the next commit's compare-and-swap (0 when none). */
  txnRevision: number;
  epoch: number;
}

/** Writes one change unless a newer transaction took over. */
async function applyChange(store: Store, txn: DefinitionTxn, change: DefinitionChange): Promise<boolean> {
  for (;;) {
    // Read the transaction record before the document: a compare-and-swap on the document then
    // fails if anyone (a newer transaction included) wrote it after this check.
    const meta = await store.get<DefinitionTxn>(DEFINITIONS_TXN_KEY);
    if (meta?.value.epoch !== txn.epoch) return false;
    const current = await store.get<Definition>(change.key);
    if (isDeepStrictEqual(current?.value ?? null, change.value)) return true;
    let done: boolean;
    if (change.value === null) done = !current || (await store.delete(change.key, current.revision)).ok;
    else if (current) done = (await store.compareAndSwap(change.key, current.revision, change.value)).ok;
    else done = (await store.createIfAbsent(change.key, change.value)).ok;
    if (done) return true;
  }
}

export async function rollForward(store: Store, record: StoreRecord<DefinitionTxn>): Promise<void> {
  for (const change of record.value.changes) {
    if (!(await applyChange(store, record.value, change))) return;
  }
  await store.compareAndSwap(DEFINITIONS_TXN_KEY, record.revision, { ...record.value, applied: true });
}

function toSet(records: StoreRecord<Definition>[]): DefinitionSet {
  const set = emptyDefinitionSet();
  for (const { value } of records) {
    if (value.kind === "Network") set.networks.set(value.metadata.name, value);
    else if (value.kind === "Subnet") set.subnets.set(value.metadata.name, value);
    else if (value.kind === "IsolationPolicy") set.policies.set(value.metadata.name, value);
  }
  return set;
}

/** The committed set of definitions: pending transactions are rolled forward first. */
export async function loadCommitted(store: Store): Promise<CommittedSet> {
  for (;;) {
    const before = await store.get<DefinitionTxn>(DEFINITIONS_TXN_KEY);
    if (before && !before.value.applied) {
      await rollForward(store, before);
      continue;
    }
    const listed = await store.list<Definition>(DEFINITIONS_PREFIX);
    const after = await store.get<DefinitionTxn>(DEFINITIONS_TXN_KEY);
    // A transaction committed during the list may be half applied in it: read again.
    if (after?.revision !== before?.revision) continue;
    return { set: toSet(listed.records), revision: listed.revision, txnRevision: before?.revision ?? 0, epoch: before?.value.epoch ?? 0 };
  }
}

/** Commits a change list against the set read at `base`. False when another writer came first. */
export async function commitTxn(store: Store, base: CommittedSet, changes: DefinitionChange[], now: Date): Promise<boolean> {
  const txn: DefinitionTxn = { epoch: base.epoch + 1, changes, applied: false, time: now.toISOString() };
  const result =
    base.txnRevision === 0
      ? await store.createIfAbsent(DEFINITIONS_TXN_KEY, txn)
      : await store.compareAndSwap(DEFINITIONS_TXN_KEY, base.txnRevision, txn);
  if (!result.ok) return false;
  await rollForward(store, result.record);
  return true;
}
