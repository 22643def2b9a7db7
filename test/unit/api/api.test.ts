import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ApiServer, type Route } from "../../../controller/api/server.js";
import { ControllerClient } from "../../../controller/api/client.js";
import { CniCode, CniError } from "../../../plugin/cni/errors.js";

describe("controller API over a unix socket", () => {
  const dir = mkdtempSync(join(tmpdir(), "ovs-sdn-api-"));
  const socketPath = join(dir, "sub", "controller.sock");
  const seen: unknown[] = [];
  const routes: Route[] = [
    { method: "GET", path: /^\/v1\/echo\/(?<word>[^/]+)$/, handler: async ({ params, query }) => ({ word: params.word, n: query.get("n") }) },
    { method: "POST", path: /^\/v1\/things$/, handler: async ({ body }) => (seen.push(body), { ok: true }) },
    { method: "DELETE", path: /^\/v1\/things\/(?<id>[^/]+)$/, handler: async () => undefined },
    {
      method: "GET",
      path: /^\/v1\/fail\/(?<code>\d+)$/,
      handler: async ({ params }) => {
        throw new CniError(Number(params.code), `failed with ${params.code}`, "some details");
      },
    },
  ];
  const server = new ApiServer(routes);
  const client = new ControllerClient(socketPath, 2_000);

  beforeAll(() => server.listen(socketPath));
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("routes by method and path, decodes path parameters and query", async () => {
    expect(await client.call("GET", "/v1/echo/a%2Fb?n=3")).toEqual({ word: "a/b", n: "3" });
    expect(await client.call("POST", "/v1/things", { x: [1, "é"] })).toEqual({ ok: true });
    expect(seen).toEqual([{ x: [1, "é"] }]);
    expect(await client.call("DELETE", "/v1/things/7")).toBeUndefined();
  });

  it("keeps the socket private to root", () => {
    expect(statSync(socketPath).mode & 0o777).toBe(0o600);
  });

  it("returns the handler's CNI code, message and details", async () => {
    const err = await client.call("GET", "/v1/fail/102").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CniError);
    expect(err).toMatchObject({ code: 102, message: "failed with 102", details: "some details" });
  });

  it("rejects unknown paths, wrong methods and malformed JSON with codes", async () => {
    await expect(client.call("GET", "/v1/nothing")).rejects.toMatchObject({ code: CniCode.InvalidConfig, message: "no such API path: /v1/nothing" });
    await expect(client.call("PUT", "/v1/things")).rejects.toMatchObject({ message: "method PUT not allowed on /v1/things" });
    const raw = await fetchRaw(socketPath, "POST", "/v1/things", "{not json");
    expect(raw.status).toBe(400);
    expect(JSON.parse(raw.body)).toMatchObject({ code: CniCode.DecodeFailure });
  });

  it("reports an unreachable controller as try-again-later naming the socket", async () => {
    const missing = new ControllerClient(join(dir, "absent.sock"), 500);
    const err = await missing.status().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: CniCode.TryAgainLater });
    expect((err as Error).message).toContain(join(dir, "absent.sock"));
  });
});

async function fetchRaw(socketPath: string, method: string, path: string, body: string): Promise<{ status: number; body: string }> {
  const { request } = await import("node:http");
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method, path }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}
