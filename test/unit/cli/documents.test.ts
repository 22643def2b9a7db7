import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadAll, loadDocuments, parseDocuments } from "../../../controller/cli/documents.js";
import { DocumentError } from "../../../controller/cli/errors.js";

const MULTI = `# two tenants
apiVersion: ovs-sdn.io/v1alpha1
kind: Network
metadata: {name: blue}
spec: {tenant: acme}
---
kind: Subnet
metadata:
  name: blue-a
spec:
  network: blue
  cidr: 10.1.0.0/24
---
kind: IsolationPolicy
metadata: {name: web}
spec: {tenant: acme, rules: [{action: allow}]}
---
`;

describe("parseDocuments", () => {
  it("reads every document of a multi-document YAML file, skipping the empty trailing one", () => {
    const docs = parseDocuments(MULTI, "defs.yaml");
    expect(docs.map((d) => `${d.kind}/${d.name}`)).toEqual(["Network/blue", "Subnet/blue-a", "IsolationPolicy/web"]);
    expect(docs[1]!.doc).toEqual({ kind: "Subnet", metadata: { name: "blue-a" }, spec: { network: "blue", cidr: "10.1.0.0/24" } });
    expect(docs.map((d) => d.origin)).toEqual(["defs.yaml#1 (line 2)", "defs.yaml#2 (line 7)", "defs.yaml#3 (line 14)"]);
  });

  it("reads a JSON object, a JSON array and a kind: List", () => {
    expect(parseDocuments('{"kind":"Network","metadata":{"name":"n"},"spec":{"tenant":"t"}}', "one.json").map((d) => d.name)).toEqual(["n"]);
    const array = parseDocuments('[{"kind":"Network","metadata":{"name":"a"}},{"kind":"Subnet","metadata":{"name":"b"}}]', "-");
    expect(array.map((d) => d.origin)).toEqual(["-#1", "-#2"]);
    const list = parseDocuments("kind: List\nitems:\n  - {kind: Network, metadata: {name: x}}\n  - {kind: Network, metadata: {name: y}}\n", "l.yaml");
    expect(list.map((d) => [d.name, d.origin])).toEqual([
      ["x", "l.yaml#1 (line 1) item 1"],
      ["y", "l.yaml#1 (line 1) item 2"],
    ]);
  });

  it("names the file, document and line of invalid YAML", () => {
    const text = "kind: Network\nmetadata: {name: a}\n---\nkind: Subnet\nmetadata: {name: [b\n";
    expect(() => parseDocuments(text, "bad.yaml")).toThrow(DocumentError);
    expect(() => parseDocuments(text, "bad.yaml")).toThrow(/^bad\.yaml#2 \(line 4\): not valid YAML: /);
  });

  it("names what is missing or wrong in a document", () => {
    expect(() => parseDocuments("metadata: {name: a}\n", "f.yaml")).toThrow('f.yaml#1 (line 1): "kind" is missing (expected one of Network, Subnet, IsolationPolicy)');
    expect(() => parseDocuments("kind: Pod\nmetadata: {name: a}\n", "f.yaml")).toThrow('f.yaml#1 (line 1): unknown kind "Pod"');
    expect(() => parseDocuments("kind: Network\nspec: {}\n", "f.yaml")).toThrow('f.yaml#1 (line 1): Network has no "metadata.name"');
    expect(() => parseDocuments("kind: Network\nmetadata: {name: ''}\n", "f.yaml")).toThrow(/has no "metadata.name"/);
    expect(() => parseDocuments("- 1\n- 2\n", "f.yaml")).toThrow("f.yaml#1 (line 1) item 1: a document must be a mapping with kind, metadata and spec");
    expect(() => parseDocuments("just text\n", "f.yaml")).toThrow(/must be a mapping/);
    expect(() => parseDocuments('{"kind": "Network",', "f.json")).toThrow(/^f\.json: not valid JSON: /);
    expect(() => parseDocuments("kind: List\nitems: 3\n", "f.yaml")).toThrow(/a List needs an "items" array/);
  });
});

describe("loadDocuments / loadAll", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "ovs-sdnctl-docs-"));
    mkdirSync(join(dir, "defs"));
    writeFileSync(join(dir, "defs", "b-subnets.yaml"), "kind: Subnet\nmetadata: {name: s1}\n---\nkind: Subnet\nmetadata: {name: s2}\n");
    writeFileSync(join(dir, "defs", "a-networks.json"), '[{"kind":"Network","metadata":{"name":"n1"}}]');
    writeFileSync(join(dir, "defs", "notes.txt"), "not a definition");
    mkdirSync(join(dir, "empty"));
    writeFileSync(join(dir, "dupe.yml"), "kind: Subnet\nmetadata: {name: s1}\n");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads every .yaml/.yml/.json of a directory in name order and ignores other files", () => {
    const docs = loadDocuments(join(dir, "defs"), () => "");
    expect(docs.map((d) => d.name)).toEqual(["n1", "s1", "s2"]);
  });

  it("reads stdin for -", () => {
    expect(loadDocuments("-", () => "kind: Network\nmetadata: {name: from-stdin}\n").map((d) => [d.name, d.origin])).toEqual([["from-stdin", "<stdin>#1 (line 1)"]]);
  });

  it("fails clearly on a missing path, an empty directory and a document defined twice", () => {
    expect(() => loadDocuments(join(dir, "missing.yaml"), () => "")).toThrow(`${join(dir, "missing.yaml")}: cannot read: ENOENT`);
    expect(() => loadDocuments(join(dir, "empty"), () => "")).toThrow("holds no .yaml, .yml or .json file");
    expect(() => loadAll([join(dir, "defs"), join(dir, "dupe.yml")], () => "")).toThrow(/dupe\.yml#1 \(line 1\): Subnet\/s1 is also defined at .*b-subnets\.yaml#1 \(line 1\)/);
  });
});
