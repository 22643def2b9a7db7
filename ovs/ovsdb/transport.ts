/**
 * Opens the byte stream under a JSON-RPC connection, from an OVS remote string:
 *   unix:PATH   tcp:HOST[:PORT]   ssl:HOST[:PORT]   (IPv6 as [ADDR]:PORT; default port 6640)
 * SSL uses mutual TLS like OVS's own ssl: remotes: our key + certificate, and the CA that signed
 * the server's certificate. OVS certificates (ovs-pki) do not name hosts, so by default the chain
 * is verified but not the host name.
 */
import { readFileSync } from "node:fs";
import { createConnection, type Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { OvsdbTransportError } from "./errors.js";

export type Remote = { kind: "unix"; path: string } | { kind: "tcp" | "ssl"; host: string; port: number };

export const DEFAULT_OVSDB_PORT = 6640;

export interface TlsCredentials {
  /** PEM private key of this client. */
  key: string | Buffer;
  /** PEM certificate of this client, signed by a CA the server trusts. */
  cert: string | Buffer;
  /** PEM CA certificate(s) that signed the server's certificate. */
  ca: string | Buffer;
  /** Also check that the server certificate names the host (off by default, see above). */
  verifyHostname?: boolean;
}

/** Reads credentials from the same files OVS takes as --private-key, --certificate, --ca-cert. */
export function readTlsFiles(files: { privateKey: string; certificate: string; caCert: string }): TlsCredentials {
  return { key: readFileSync(files.privateKey), cert: readFileSync(files.certificate), ca: readFileSync(files.caCert) };
}

export function parseRemote(remote: string): Remote {
  const colon = remote.indexOf(":");
  const kind = colon < 0 ? "" : remote.slice(0, colon);
  const rest = remote.slice(colon + 1);
  if (kind === "unix") {
    if (rest === "") throw new OvsdbTransportError(`invalid OVSDB remote "${remote}": missing socket path`);
    return { kind, path: rest };
  }
  if (kind !== "tcp" && kind !== "ssl") {
    throw new OvsdbTransportError(`invalid OVSDB remote "${remote}": expected unix:PATH, tcp:HOST:PORT or ssl:HOST:PORT`);
  }
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  const plain = /^([^:[\]]+)(?::(\d+))?$/.exec(rest);
  const match = bracketed ?? plain;
  if (!match) throw new OvsdbTransportError(`invalid OVSDB remote "${remote}": bad host or port`);
  const port = match[2] === undefined ? DEFAULT_OVSDB_PORT : Number(match[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new OvsdbTransportError(`invalid OVSDB remote "${remote}": bad port`);
  return { kind, host: match[1] as string, port };
}

export function formatRemote(remote: Remote): string {
  if (remote.kind === "unix") return `unix:${remote.path}`;
  const host = remote.host.includes(":") ? `[${remote.host}]` : remote.host;
  return `${remote.kind}:${host}:${remote.port}`;
}

export interface OpenOptions {
  tls?: TlsCredentials;
  connectTimeoutMs?: number;
}

/**
 * Connects; resolves once the stream is usable (after the TLS handshake for ssl:). node:tls is
 * loaded only for ssl: remotes: it costs the short-lived plugin several ms of start-up otherwise.
 */
export async function openStream(remote: Remote, options: OpenOptions = {}): Promise<Socket | TLSSocket> {
  const where = formatRemote(remote);
  if (remote.kind === "ssl" && !options.tls) {
    throw new OvsdbTransportError(`OVSDB remote ${where} needs TLS credentials (key, cert, CA)`);
  }
  const timeoutMs = options.connectTimeoutMs ?? 5_000;
  let socket: Socket | TLSSocket;
  let readyEvent: string;
  if (remote.kind === "unix") {
    socket = createConnection({ path: remote.path });
    readyEvent = "connect";
  } else if (remote.kind === "tcp") {
    socket = createConnection({ host: remote.host, port: remote.port, noDelay: true });
    readyEvent = "connect";
  } else {
    const tls = options.tls as TlsCredentials;
    const { connect: tlsConnect } = await import("node:tls");
    socket = tlsConnect({
      host: remote.host,
      port: remote.port,
      key: tls.key,
      cert: tls.cert,
      ca: tls.ca,
      rejectUnauthorized: true,
      ...(tls.verifyHostname ? {} : { checkServerIdentity: () => undefined }),
    });
    socket.setNoDelay(true);
    readyEvent = "secureConnect";
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new OvsdbTransportError(`OVSDB connect to ${where} timed out after ${timeoutMs} ms`, { retryable: true }));
    }, timeoutMs);
    socket.once("error", (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      reject(new OvsdbTransportError(`OVSDB connect to ${where} failed: ${err.message}`, { errno: err.code, cause: err }));
    });
    socket.once(readyEvent, () => {
      clearTimeout(timer);
      socket.removeAllListeners("error");
      resolve(socket);
    });
  });
}
