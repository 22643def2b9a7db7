/**
 * Structural validation of one definition document: the ahead-of-time compiled ajv validators,
 * plus a walk that rejects unknown fields. The schemas leave out `additionalProperties: false`
 * because Kubernetes forbids it next to `properties` in a CRD schema (it prunes instead); here an
 * unknown field is almost always a typo, so it is an error.
 */
import type { ErrorObject, ValidateFunction } from "ajv";
import networkSchema from "./network.schema.json" with { type: "json" };
import subnetSchema from "./subnet.schema.json" with { type: "json" };
import policySchema from "./isolation-policy.schema.json" with { type: "json" };
import validateNetwork from "./network.validator.generated.js";
import validateSubnet from "./subnet.validator.generated.js";
import validatePolicy from "./isolation-policy.validator.generated.js";
import { ProblemList } from "./errors.js";
import { KINDS, type Definition, type Kind } from "./types.js";

interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

const byKind: Record<Kind, { validate: ValidateFunction; schema: SchemaNode }> = {
  Network: { validate: validateNetwork, schema: networkSchema },
  Subnet: { validate: validateSubnet, schema: subnetSchema },
  IsolationPolicy: { validate: validatePolicy, schema: policySchema },
};

/** The schema of a kind, e.g. to embed in a CRD as openAPIV3Schema. */
export function schemaOf(kind: Kind): object {
  return byKind[kind].schema;
}

const patternMeaning: Record<string, string> = {
  "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$": "must be a DNS label: lower-case letters, digits and '-', at most 63 characters",
  "^[0-9A-Fa-f:.]{2,45}$": "is not an IP address",
  "^[0-9A-Fa-f:.]{2,45}/[0-9]{1,3}$": "is not in CIDR notation (address/prefix)",
  "^[0-9A-Fa-f:.]{2,45}(/[0-9]{1,3})?$": "is not an IP address or CIDR",
  "^[A-Za-z0-9.-]{1,253}$": "is not a DNS name",
  "^[^\\s]{1,253}$": "must be 1 to 253 characters without spaces",
};

export function pathOf(instancePath: string): string {
  return instancePath
    .split("/")
    .filter((s) => s !== "")
    .map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`))
    .join("")
    .replace(/^\./, "");
}

function valueAt(doc: unknown, instancePath: string): unknown {
  let node: unknown = doc;
  for (const seg of instancePath.split("/").filter((s) => s !== "")) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[seg];
  }
  return node;
}

function messageOf(err: ErrorObject): string {
  const params = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case "enum":
      return `must be one of: ${(params.allowedValues as unknown[]).join(", ")}`;
    case "pattern":
      return patternMeaning[String(params.pattern)] ?? `must match ${String(params.pattern)}`;
    case "minProperties":
    case "maxProperties":
      return "must set exactly one field";
    default:
      return err.message ?? err.keyword;
  }
}

function walkUnknown(schema: SchemaNode, value: unknown, path: string, report: (path: string, value: unknown) => void): void {
  if (schema.type === "object" && schema.properties && value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) {
      const childPath = path === "" ? key : `${path}.${key}`;
      const childSchema = schema.properties[key];
      // metadata is Kubernetes' own; only metadata.name matters to us.
      if (childPath === "metadata") continue;
      if (childSchema === undefined) report(childPath, child);
      else walkUnknown(childSchema, child, childPath, report);
    }
  } else if (schema.type === "array" && schema.items && Array.isArray(value)) {
    value.forEach((item, i) => walkUnknown(schema.items as SchemaNode, item, `${path}[${i}]`, report));
  }
}

function nameOf(doc: unknown): string {
  const name = (doc as { metadata?: { name?: unknown } } | null)?.metadata?.name;
  return typeof name === "string" ? name : "";
}

/** Checks one document's structure. Returns it typed, or the problems found. */
export function checkStructure(doc: unknown): { definition: Definition } | { problems: ProblemList } {
  const problems = new ProblemList();
  const kind = (doc as { kind?: unknown } | null)?.kind;
  const name = nameOf(doc);
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
    problems.add("Unknown", "", "(document)", undefined, "must be an object with kind, metadata and spec");
    return { problems };
  }
  if (typeof kind !== "string" || !(KINDS as readonly string[]).includes(kind)) {
    problems.add("Unknown", name, "kind", kind, `must be one of: ${KINDS.join(", ")}`);
    return { problems };
  }
  const k = kind as Kind;
  const { validate, schema } = byKind[k];
  if (!validate(doc)) {
    for (const err of validate.errors ?? []) {
      if (err.keyword === "required") {
        const missing = String((err.params as { missingProperty: string }).missingProperty);
        const base = pathOf(err.instancePath);
        problems.add(k, name, base === "" ? missing : `${base}.${missing}`, undefined, "is required");
      } else {
        problems.add(k, name, pathOf(err.instancePath), valueAt(doc, err.instancePath), messageOf(err));
      }
    }
  }
  if (name === "" && !problems.items.some((p) => p.path === "metadata.name" || p.path === "metadata")) {
    problems.add(k, name, "metadata.name", undefined, "is required");
  }
  walkUnknown(schema, doc, "", (path, value) => problems.add(k, name, path, value, "is not a known field"));
  return problems.items.length > 0 ? { problems } : { definition: doc as Definition };
}
