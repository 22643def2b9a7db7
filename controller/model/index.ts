/** The network model: kinds, validation, the definitions service and the store key layout. */
export * from "./types.js";
export { DefinitionError, describeProblem, type Problem } from "./errors.js";
export { parseDefinitions, validateDefinitionSet, assertValidSet } from "./validate.js";
export { checkStructure, schemaOf } from "./schema-check.js";
export { buildSubnetLayout, defaultGateway, isExcluded, type SubnetLayout } from "./subnet-layout.js";
export { DefinitionService, type ApplyOutcome, type DefinitionSnapshot } from "./definitions.js";
export * from "./keys.js";
export * from "./ip.js";
