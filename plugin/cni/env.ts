/**
 * The CNI environment (SPEC.md "Parameters"): which variables each verb needs and what a valid
 * value looks like. Names reach `ip`, `nsenter` and OVSDB, so they are checked strictly here.
 */
import { CniCode, CniError } from "./errors.js";

export const COMMANDS = ["ADD", "DEL", "CHECK", "STATUS", "GC", "VERSION"] as const;
export type CniCommand = (typeof COMMANDS)[number];

export interface CniEnv {
  command: CniCommand;
  containerId: string;
  /** Empty when the runtime gave none (allowed for DEL). */
  netns: string;
  ifname: string;
  /** Raw CNI_ARGS, passed through to delegated plugins unchanged. */
  args: string;
  /** CNI_PATH split on ':'; empty entries dropped. */
  path: string[];
}

const REQUIRED: Record<CniCommand, readonly string[]> = {
  ADD: ["CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_PATH"],
  DEL: ["CNI_CONTAINERID", "CNI_IFNAME", "CNI_PATH"],
  CHECK: ["CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_PATH"],
  STATUS: ["CNI_PATH"],
  GC: ["CNI_PATH"],
  VERSION: [],
};

const CONTAINER_ID = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
/** Stricter than the kernel (which allows almost any byte): these names go into `ip -batch` lines. */
const IFNAME = /^[a-zA-Z0-9_.@+-]{1,15}$/;
const MAX_PATH = 4095;

/** True if the text holds a C0 control character or DEL (newlines would split `ip -batch` lines). */
export function hasControlChars(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

function envError(msg: string, details?: string): CniError {
  return new CniError(CniCode.InvalidEnvironment, msg, details);
}

export function parseCommand(value: string | undefined): CniCommand {
  if (value === undefined || value === "") throw envError("required env variables [CNI_COMMAND] missing");
  if (!(COMMANDS as readonly string[]).includes(value)) throw envError(`unknown CNI_COMMAND: ${value.slice(0, 64)}`);
  return value as CniCommand;
}

export function validateContainerId(id: string): void {
  if (id.length > 512 || !CONTAINER_ID.test(id)) throw envError("CNI_CONTAINERID: invalid characters in container id", id.slice(0, 128));
}

export function validateIfname(name: string): void {
  if (name === "." || name === ".." || !IFNAME.test(name)) {
    throw envError("CNI_IFNAME: must be 1-15 characters of [a-zA-Z0-9_.@+-] and not . or ..", name.slice(0, 64));
  }
}

/** An absolute, normalised path without control characters (a netns bind mount or /proc/PID/ns/net). */
export function validateNetnsPath(path: string): void {
  const segments = path.split("/");
  const bad =
    !path.startsWith("/") ||
    path.length > MAX_PATH ||
    hasControlChars(path) ||
    segments.some((s) => s === "." || s === "..");
  if (bad) throw envError("CNI_NETNS: must be an absolute path without . or .. segments or control characters", path.slice(0, 128));
}

export function readEnv(env: NodeJS.ProcessEnv): CniEnv {
  const command = parseCommand(env.CNI_COMMAND);
  const missing = REQUIRED[command].filter((name) => (env[name] ?? "") === "");
  if (missing.length > 0) throw envError(`required env variables [${missing.join(",")}] missing`);
  const result: CniEnv = {
    command,
    containerId: env.CNI_CONTAINERID ?? "",
    netns: env.CNI_NETNS ?? "",
    ifname: env.CNI_IFNAME ?? "",
    args: env.CNI_ARGS ?? "",
    path: (env.CNI_PATH ?? "").split(":").filter((p) => p !== ""),
  };
  if (command === "ADD" || command === "DEL" || command === "CHECK") {
    validateContainerId(result.containerId);
    validateIfname(result.ifname);
    if (result.netns !== "") validateNetnsPath(result.netns);
  }
  for (const dir of result.path) {
    if (!dir.startsWith("/") || hasControlChars(dir)) throw envError("CNI_PATH: every entry must be an absolute path", dir.slice(0, 128));
  }
  return result;
}
