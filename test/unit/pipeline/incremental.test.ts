// The incremental compiler must always give exactly what a full compile gives, rebuilding less.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { PipelineCompiler } from "../../../controller/pipeline/incremental.js";
import { compileDesiredFlows } from "../../../controller/pipeline/compile.js";
import type { PipelineInput } from "../../../controller/pipeline/input.js";
import { largeInput } from "./fixtures.js";

const mutations: Record<string, (input: PipelineInput, n: number) => void> = {
  dropPort: (i, n) => void i.ports.splice(n % i.ports.length, 1),
  movePort: (i, n) => {
    const port = i.ports[n % i.ports.length]!;
    port.ofport = 5000 + n;
  },
  changeMac: (i, n) => {
    i.ports[n % i.ports.length]!.mac = `02:00:00:aa:00:${(n % 250).toString(16).padStart(2, "0")}`;
  },
  ruleDestinationPort: (i, n) => {
    i.policies[n % i.policies.length]!.rules[0]!.ports = [{ from: 1 + (n % 60000) }];
  },
  ruleAction: (i, n) => {
    const rule = i.policies[n % i.policies.length]!.rules[0]!;
    rule.action = rule.action === "allow" ? "deny" : "allow";
  },
  dropRule: (i, n) => void i.policies[n % i.policies.length]!.rules.splice(0, 1),
  networkDefault: (i, n) => {
    const network = i.networks[n % i.networks.length]!;
    network.interSubnetDefault = network.interSubnetDefault === "allow" ? "deny" : "allow";
  },
  subnetId: (i, n) => {
    i.subnets[n % i.subnets.length]!.id = 70000 + n;
  },
  dropPolicy: (i, n) => void i.policies.splice(n % i.policies.length, 1),
};

describe("PipelineCompiler", () => {
  it("gives the full compile's flows, and rebuilds only the changed rule after a one-rule change", () => {
    const compiler = new PipelineCompiler();
    const input = largeInput({ ports: 200, subnets: 20, rules: 50 });
    const first = compiler.compile(input);
    expect(first.flows).toEqual(compileDesiredFlows(input).flows);
    expect(first.rebuilt).toBe(first.units);
    input.policies[0]!.rules[0]!.ports = [{ from: 4242 }];
    const second = compiler.compile(input);
    expect(second.rebuilt).toBe(1);
    expect(second.flows).toEqual(compileDesiredFlows(input).flows);
  });

  it("stays equal to a full compile through any sequence of changes", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...Object.keys(mutations)), fc.nat(10_000)), { minLength: 1, maxLength: 8 }), (steps) => {
        const compiler = new PipelineCompiler();
        const input = largeInput({ ports: 40, subnets: 8, rules: 30, tenants: 3 });
        compiler.compile(input);
        for (const [name, n] of steps) {
          if (input.ports.length > 1 && input.policies.length > 0 && input.policies.every((p) => p.rules.length > 0)) mutations[name]!(input, n);
          const round = compiler.compile(input);
          const full = compileDesiredFlows(input);
          expect(round.flows).toEqual(full.flows);
          expect(round.problems).toEqual(full.problems);
        }
      }),
      { numRuns: 40 },
    );
  });
});
