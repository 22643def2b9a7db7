import { CniCode, CniError } from "../../plugin/cni/errors.js";
import type { Kind } from "./types.js";

/** One thing wrong with one definition: which one, which field, which value, why. */
export interface Problem {
  kind: Kind | "Unknown";
  name: string;
  /** Dotted field path inside the document, e.g. "spec.reservations[2].ip". */
  path: string;
  value: unknown;
  message: string;
}

export function describeProblem(p: Problem): string {
  const shown = p.value === undefined ? "" : ` ${JSON.stringify(p.value)}`;
  return `${p.kind} "${p.name}": ${p.path}${shown}: ${p.message}`;
}

/** A definition is malformed, inconsistent with the others, or refers to something unknown. */
export class DefinitionError extends CniError {
  readonly problems: Problem[];

  constructor(problems: Problem[]) {
    const first = problems[0];
    const summary = first ? describeProblem(first) : "invalid definition";
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : "";
    super(CniCode.InvalidDefinition, `invalid definition: ${summary}${more}`, problems.map(describeProblem).join("\n"));
    this.problems = problems;
  }
}

/** Collects problems for one document; keeps call sites short. */
export class ProblemList {
  readonly items: Problem[] = [];

  add(kind: Problem["kind"], name: string, path: string, value: unknown, message: string): void {
    this.items.push({ kind, name, path, value, message });
  }

  throwIfAny(): void {
    if (this.items.length > 0) throw new DefinitionError(this.items);
  }
}
