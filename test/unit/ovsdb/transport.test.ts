import { createServer } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CniCode } from "../../../plugin/cni/errors.js";
import { OvsdbClient } from "../../../ovs/ovsdb/client.js";
import { OvsdbTransportError } from "../../../ovs/ovsdb/errors.js";
import { formatRemote, parseRemote } from "../../../ovs/ovsdb/transport.js";

describe("OVS remote strings", () => {
  it("parse unix, tcp, ssl, IPv6 and the default port", () => {
    expect(parseRemote("unix:/run/openvswitch/db.sock")).toEqual({ kind: "unix", path: "/run/openvswitch/db.sock" });
    expect(parseRemote("tcp:127.0.0.1:6641")).toEqual({ kind: "tcp", host: "127.0.0.1", port: 6641 });
    expect(parseRemote("ssl:ovsdb.example:6640")).toEqual({ kind: "ssl", host: "ovsdb.example", port: 6640 });
    expect(parseRemote("tcp:[fd10::1]:6642")).toEqual({ kind: "tcp", host: "fd10::1", port: 6642 });
    expect(parseRemote("ssl:[::1]")).toEqual({ kind: "ssl", host: "::1", port: 6640 });
    expect(parseRemote("tcp:10.0.0.1")).toEqual({ kind: "tcp", host: "10.0.0.1", port: 6640 });
  });

  it("format back to the same strings", () => {
    for (const r of ["unix:/x/db.sock", "tcp:127.0.0.1:6641", "ssl:[fd10::1]:6642"]) expect(formatRemote(parseRemote(r))).toBe(r);
  });

  it("reject malformed remotes with a transport error that names them", () => {
    for (const bad of ["", "db.sock", "unix:", "tcp:", "tcp:host:0", "tcp:host:70000", "tcp:fd10::1:6640", "http://x", "ssl:[::1"]) {
      expect(() => parseRemote(bad), bad).toThrow(OvsdbTransportError);
    }
    expect(() => parseRemote("punix:/x")).toThrow(/invalid OVSDB remote "punix:\/x"/);
  });
});

describe("connecting", () => {
  it("a missing unix socket is 'try again later' (code 11)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ovsdb-unit-"));
    try {
      const err = await OvsdbClient.connect(`unix:${join(dir, "nothing.sock")}`).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OvsdbTransportError);
      expect(err).toMatchObject({ code: CniCode.TryAgainLater, errno: "ENOENT" });
      expect(String(err)).toContain("nothing.sock");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a refused TCP connection is 'try again later' too", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve)); // the port is now closed
    const err = await OvsdbClient.connect(`tcp:127.0.0.1:${port}`).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: CniCode.TryAgainLater, errno: "ECONNREFUSED" });
  });

  it("ssl: without credentials fails before connecting", async () => {
    await expect(OvsdbClient.connect("ssl:127.0.0.1:1")).rejects.toThrow(/needs TLS credentials/);
  });
});
