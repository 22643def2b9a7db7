/**
 * Validation of documents and of the whole set of definitions. Structural errors come from the
 * JSON Schemas; semantic ones (addresses, uniqueness, references) from the checks below.
 */
import { DefinitionError, ProblemList, type Problem } from "./errors.js";
import { checkStructure } from "./schema-check.js";
import type { SubnetLayout } from "./subnet-layout.js";
import type { Definition, DefinitionSet } from "./types.js";
import { validateNetworks } from "./validate-networks.js";
import { validatePolicies } from "./validate-policies.js";
import { validateSubnets } from "./validate-subnets.js";

/** Parses documents (e.g. from YAML) into typed definitions, or throws every structural problem. */
export function parseDefinitions(docs: unknown[]): Definition[] {
  const problems: Problem[] = [];
  const out: Definition[] = [];
  for (const doc of docs) {
    const result = checkStructure(doc);
    if ("definition" in result) out.push(result.definition);
    else problems.push(...result.problems.items);
  }
  if (problems.length > 0) throw new DefinitionError(problems);
  return out;
}

/** Every semantic problem in a set of structurally valid definitions. */
export function validateDefinitionSet(set: DefinitionSet): { problems: Problem[]; layouts: Map<string, SubnetLayout> } {
  const problems = new ProblemList();
  validateNetworks(set, problems);
  const layouts = validateSubnets(set, problems);
  validatePolicies(set, problems);
  return { problems: problems.items, layouts };
}

export function assertValidSet(set: DefinitionSet): Map<string, SubnetLayout> {
  const { problems, layouts } = validateDefinitionSet(set);
  if (problems.length > 0) throw new DefinitionError(problems);
  return layouts;
}
