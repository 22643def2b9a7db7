/**
 * DefinitionService: apply, get, list, delete and watch networks, subnets and isolation policies,
 * with structural and whole-set semantic validation. The controller and the CLI use it; every
 * change goes through one serialised transaction record (definitions-txn.ts).
 */
import { isDeepStrictEqual } from "node:util";
import { StoreCompactedError } from "../store/errors.js";
import type { Store, StoreRecord } from "../store/types.js";
import { allocateSegments, withDefaults } from "./defaults.js";
import { commitTxn, loadCommitted, type CommittedSet, type DefinitionChange } from "./definitions-txn.js";
import { ProblemList } from "./errors.js";
import { DEFINITIONS_WATCH_PREFIX, definitionKey, subnetLeasePrefix } from "./keys.js";
import { addReferrerProblems } from "./references.js";
import type { Definition, DefinitionOfKind, DefinitionSet, Kind, Subnet } from "./types.js";
import { parseDefinitions, validateDefinitionSet } from "./validate.js";

export interface ApplyOutcome {
  kind: Kind;
  name: string;
  action: "created" | "configured" | "unchanged";
  /** The document as stored, defaults filled in. */
  definition: Definition;
}

export interface DefinitionSnapshot {
  set: DefinitionSet;
  /** Store revision the snapshot reflects. */
  revision: number;
}

interface LeaseHolder {
  ip?: string;
  containerId?: string;
  ifname?: string;
}

function mapOf(set: DefinitionSet, kind: Kind): Map<string, Definition> {
  return kind === "Network" ? set.networks : kind === "Subnet" ? set.subnets : set.policies;
}

function cloneSet(set: DefinitionSet): DefinitionSet {
  return { networks: new Map(set.networks), subnets: new Map(set.subnets), policies: new Map(set.policies) };
}

export class DefinitionService {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Validates and stores documents (creating or replacing them) as one transaction. */
  async apply(docs: unknown[]): Promise<ApplyOutcome[]> {
    const defs = parseDefinitions(docs);
    const seen = new Set<string>();
    const dupes = new ProblemList();
    for (const d of defs) {
      const id = `${d.kind}/${d.metadata.name}`;
      if (seen.has(id)) dupes.add(d.kind, d.metadata.name, "metadata.name", d.metadata.name, "appears twice in one apply");
      seen.add(id);
    }
    dupes.throwIfAny();
    for (;;) {
      const base = await loadCommitted(this.store);
      const next = cloneSet(base.set);
      const problems = new ProblemList();
      for (const def of defs) {
        const existing = mapOf(base.set, def.kind).get(def.metadata.name);
        if (existing?.metadata.deletionTimestamp) problems.add(def.kind, def.metadata.name, "metadata.name", def.metadata.name, "is being deleted");
        mapOf(next, def.kind).set(def.metadata.name, withDefaults(def, existing));
      }
      for (const { network, field } of allocateSegments(next)) {
        problems.add("Network", network.metadata.name, `spec.${field}`, undefined, `no free ${field.toUpperCase()} left to allocate`);
      }
      problems.items.push(...validateDefinitionSet(next).problems);
      await this.checkLeasedSubnets(base.set, next, defs, problems);
      problems.throwIfAny();
      const outcomes: ApplyOutcome[] = [];
      const changes: DefinitionChange[] = [];
      for (const def of defs) {
        const stored = mapOf(next, def.kind).get(def.metadata.name) as Definition;
        const existing = mapOf(base.set, def.kind).get(def.metadata.name);
        const action = !existing ? "created" : isDeepStrictEqual(existing, stored) ? "unchanged" : "configured";
        outcomes.push({ kind: def.kind, name: def.metadata.name, action, definition: stored });
        if (action !== "unchanged") changes.push({ key: definitionKey(def.kind, def.metadata.name), value: stored });
      }
      if (changes.length === 0 || (await commitTxn(this.store, base, changes, this.now()))) return outcomes;
    }
  }

  /** A subnet holding leases keeps its CIDR and its network. */
  private async checkLeasedSubnets(before: DefinitionSet, after: DefinitionSet, defs: Definition[], problems: ProblemList): Promise<void> {
    for (const def of defs) {
      if (def.kind !== "Subnet") continue;
      const old = before.subnets.get(def.metadata.name);
      const now = after.subnets.get(def.metadata.name);
      if (!old || !now || (old.spec.cidr === now.spec.cidr && old.spec.network === now.spec.network)) continue;
      const leases = await this.leasesOf(old);
      if (leases.length === 0) continue;
      const field = old.spec.cidr !== now.spec.cidr ? "spec.cidr" : "spec.network";
      const value = field === "spec.cidr" ? now.spec.cidr : now.spec.network;
      problems.add("Subnet", def.metadata.name, field, value, `cannot change while the subnet has ${describeLeases(leases)}`);
    }
  }

  private async leasesOf(subnet: Subnet): Promise<StoreRecord<LeaseHolder>[]> {
    return (await this.store.list<LeaseHolder>(subnetLeasePrefix(subnet.spec.network, subnet.metadata.name))).records;
  }

  /**
   * Deletes a definition. Refused while others refer to it, and for a subnet while it has leases:
   * the subnet is first marked as being deleted (IPAM then refuses new leases in it), then the
   * leases are checked, then it is removed.
   */
  async delete(kind: Kind, name: string): Promise<boolean> {
    for (;;) {
      const base = await loadCommitted(this.store);
      const existing = mapOf(base.set, kind).get(name);
      if (!existing) return false;
      const problems = new ProblemList();
      addReferrerProblems(base.set, kind, name, problems);
      problems.throwIfAny();
      const key = definitionKey(kind, name);
      if (existing.kind === "Subnet") {
        if (!existing.metadata.deletionTimestamp) {
          const marked = { ...existing, metadata: { ...existing.metadata, deletionTimestamp: this.now().toISOString() } };
          await commitTxn(this.store, base, [{ key, value: marked }], this.now());
          continue;
        }
        const leases = await this.leasesOf(existing);
        if (leases.length > 0) {
          await this.unmark(existing);
          problems.add("Subnet", name, "metadata.name", name, `cannot be deleted while it has ${describeLeases(leases)}; release them first`);
          problems.throwIfAny();
        }
      }
      if (await commitTxn(this.store, base, [{ key, value: null }], this.now())) return true;
    }
  }

  private async unmark(subnet: Subnet): Promise<void> {
    const key = definitionKey("Subnet", subnet.metadata.name);
    for (;;) {
      const base = await loadCommitted(this.store);
      const current = base.set.subnets.get(subnet.metadata.name);
      if (!current?.metadata.deletionTimestamp) return;
      const value = { ...current, metadata: { name: current.metadata.name } };
      if (await commitTxn(this.store, base, [{ key, value }], this.now())) return;
    }
  }

  async get<K extends Kind>(kind: K, name: string): Promise<DefinitionOfKind<K> | undefined> {
    return mapOf((await loadCommitted(this.store)).set, kind).get(name) as DefinitionOfKind<K> | undefined;
  }

  async list<K extends Kind>(kind: K): Promise<DefinitionOfKind<K>[]> {
    const map = mapOf((await loadCommitted(this.store)).set, kind);
    return [...map.keys()].sort().map((n) => map.get(n) as DefinitionOfKind<K>);
  }

  /** The whole committed set, consistent (no half-applied transaction). */
  async snapshot(): Promise<DefinitionSnapshot> {
    const committed: CommittedSet = await loadCommitted(this.store);
    return { set: committed.set, revision: committed.revision };
  }

  /**
   * The current snapshot, then a new one after every committed change. Snapshots may coalesce
   * several changes. If the store compacted the history this watcher needed, it re-reads the set
   * and continues: a consumer never has to handle StoreCompactedError.
   */
  async *watch(signal?: AbortSignal): AsyncGenerator<DefinitionSnapshot> {
    let last = await this.snapshot();
    yield last;
    while (!signal?.aborted) {
      try {
        for await (const event of this.store.watch(DEFINITIONS_WATCH_PREFIX, { fromRevision: last.revision + 1, signal })) {
          if (event.revision <= last.revision) continue;
          const next = await this.snapshot();
          const changed = !isDeepStrictEqual(next.set, last.set);
          last = next;
          if (changed) yield next;
        }
        return;
      } catch (err) {
        if (!(err instanceof StoreCompactedError)) throw err;
        const next = await this.snapshot();
        const changed = !isDeepStrictEqual(next.set, last.set);
        last = next;
        if (changed) yield next;
      }
    }
  }
}

function describeLeases(leases: StoreRecord<LeaseHolder>[]): string {
  const shown = leases
    .slice(0, 3)
    .map((l) => `${l.value.ip ?? l.key} held by ${l.value.containerId ?? "?"}/${l.value.ifname ?? "?"}`)
    .join(", ");
  return `${leases.length} lease${leases.length === 1 ? "" : "s"} (${shown}${leases.length > 3 ? ", ..." : ""})`;
}
