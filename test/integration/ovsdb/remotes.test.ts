/**
 * TCP and SSL remotes: a bare ovsdb-server listening on loopback, certificates made by openssl in
 * the test's temp dir; the client connects, lists databases and runs a transaction.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertedUuid, OvsdbClient, OvsdbTransportError, op, readTlsFiles, selectedRows, VSWITCH_DB, where } from "../../../ovs/ovsdb/index.js";
import { ExtraOvsdbServer, makePki, type Pki } from "./extra-server.js";

/** Inserts an SSL row (a root table the schema allows without vswitchd) and reads it back. */
async function roundTrip(client: OvsdbClient): Promise<void> {
  expect(await client.listDbs()).toContain(VSWITCH_DB);
  const results = await client.transact(VSWITCH_DB, [
    op.insert("Open_vSwitch", { external_ids: { "ovs-sdn/test": "remote" } }, "ovs"),
    op.select("Open_vSwitch", [where.includes("external_ids", { "ovs-sdn/test": "remote" })], ["_uuid"]),
  ]);
  const inserted = insertedUuid(results[0]);
  expect(selectedRows(results[1]).map((r) => String(r._uuid))).toEqual([inserted]);
}

describe("OVSDB over TCP", () => {
  let server: ExtraOvsdbServer;
  beforeAll(async () => {
    server = await ExtraOvsdbServer.start("ptcp:0:127.0.0.1");
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("connects to tcp:127.0.0.1:PORT, lists databases and transacts", async () => {
    const client = await OvsdbClient.connect(`tcp:127.0.0.1:${server.port}`);
    try {
      await roundTrip(client);
    } finally {
      client.close();
    }
  });
});

describe("OVSDB over SSL", () => {
  let dir: string;
  let pki: Pki;
  let server: ExtraOvsdbServer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "ovs-sdn-pki-"));
    pki = await makePki(dir);
    server = await ExtraOvsdbServer.start("pssl:0:127.0.0.1", async () => [
      `--private-key=${pki.serverKey}`,
      `--certificate=${pki.serverCert}`,
      `--ca-cert=${pki.caCert}`,
    ]);
  });
  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("connects to ssl:127.0.0.1:PORT with key, certificate and CA, lists databases and transacts", async () => {
    const tls = readTlsFiles({ privateKey: pki.clientKey, certificate: pki.clientCert, caCert: pki.caCert });
    const client = await OvsdbClient.connect(`ssl:127.0.0.1:${server.port}`, { tls });
    try {
      await roundTrip(client);
    } finally {
      client.close();
    }
  });

  it("refuses a server whose certificate our CA did not sign", async () => {
    const otherDir = mkdtempSync(join(tmpdir(), "ovs-sdn-pki-other-"));
    try {
      const other = await makePki(otherDir);
      const tls = readTlsFiles({ privateKey: other.clientKey, certificate: other.clientCert, caCert: other.caCert });
      const err = await OvsdbClient.connect(`ssl:127.0.0.1:${server.port}`, { tls }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OvsdbTransportError);
      expect(String(err)).toMatch(/certificate/i);
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
  });
});
