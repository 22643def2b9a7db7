/** Configuration text to EtcdStoreOptions: endpoints, prefix, timeouts and TLS files. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CniCode } from "../../../plugin/cni/errors.js";
import { etcdStoreOptions } from "../../../controller/store/etcd/config.js";

const dir = mkdtempSync(join(tmpdir(), "ovs-sdn-etcd-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("etcdStoreOptions", () => {
  it("splits comma-separated endpoints and keeps the other settings", () => {
    expect(etcdStoreOptions({ endpoints: " http://10.0.0.1:2379, https://etcd-2:2379 ", prefix: "/prod/", requestTimeoutMs: 3000 })).toEqual({
      endpoints: ["http://10.0.0.1:2379", "https://etcd-2:2379"],
      prefix: "/prod/",
      requestTimeoutMs: 3000,
    });
    expect(etcdStoreOptions({ endpoints: ["http://127.0.0.1:2379"] })).toEqual({ endpoints: ["http://127.0.0.1:2379"] });
  });

  it("reads the TLS files", () => {
    for (const name of ["ca.pem", "cert.pem", "key.pem"]) writeFileSync(join(dir, name), `PEM ${name}`);
    const options = etcdStoreOptions({ endpoints: "https://a:2379", caFile: join(dir, "ca.pem"), certFile: join(dir, "cert.pem"), keyFile: join(dir, "key.pem") });
    expect(options.tls).toEqual({ ca: "PEM ca.pem", cert: "PEM cert.pem", key: "PEM key.pem" });
  });

  it("names the setting that is wrong, with code 7", () => {
    const cases: [Parameters<typeof etcdStoreOptions>[0], RegExp][] = [
      [{ endpoints: "" }, /at least one client URL/],
      [{ endpoints: "10.0.0.1:2379" }, /"10.0.0.1:2379" is not an http/],
      [{ endpoints: "http://a:2379/v3" }, /is not an http/],
      [{ endpoints: "http://a:2379", prefix: "ovs" }, /prefix "ovs" must start and end with/],
      [{ endpoints: "http://a:2379", requestTimeoutMs: 0 }, /requestTimeoutMs 0/],
      [{ endpoints: "http://a:2379", certFile: "/x" }, /certFile and keyFile go together/],
      [{ endpoints: "http://a:2379", caFile: join(dir, "missing.pem") }, /caFile .*missing.pem/],
    ];
    for (const [config, message] of cases) {
      expect(() => etcdStoreOptions(config)).toThrow(message);
      expect(() => etcdStoreOptions(config)).toThrow(expect.objectContaining({ code: CniCode.InvalidConfig }));
    }
  });
});
