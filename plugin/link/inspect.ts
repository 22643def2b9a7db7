/** Reads the container end back for CHECK: one `ip -j -batch` inside the netns. */
import { run } from "../../ovs/exec.js";
import { CniCode, CniError } from "../cni/errors.js";
import { LinkError, stderrOf } from "./errors.js";

export interface ContainerLinkState {
  mac: string;
  mtu: number;
  up: boolean;
  /** CIDR strings of global-scope addresses. */
  addresses: string[];
  /** Routes as `ip -j route` prints them (dst "default" normalised to 0.0.0.0/0 or ::/0). */
  routes: { dst: string; gateway?: string }[];
}

interface IpAddrJson {
  address?: string;
  mtu?: number;
  flags?: string[];
  addr_info?: { family?: string; local?: string; prefixlen?: number; scope?: string }[];
}

interface IpRouteJson {
  dst?: string;
  gateway?: string;
  type?: string;
}

export async function inspectContainerLink(netnsPath: string, ifname: string, timeoutMs: number): Promise<ContainerLinkState> {
  let stdout: string;
  try {
    stdout = await run("nsenter", [`--net=${netnsPath}`, "--", "ip", "-j", "-batch", "-"], {
      input: `addr show dev ${ifname}\nroute show table all dev ${ifname}\n`,
      timeoutMs,
    });
  } catch (err) {
    const stderr = stderrOf(err);
    if (/does not exist|Cannot find device/.test(stderr)) throw new CniError(CniCode.CheckMismatch, `interface ${ifname} not found in ${netnsPath}`, stderr);
    throw new LinkError(`reading ${ifname} in ${netnsPath} failed`, stderr, { cause: err });
  }
  const [addrLine, routeLine] = stdout.split("\n").filter((l) => l.trim() !== "");
  const link = (JSON.parse(addrLine ?? "[]") as IpAddrJson[])[0];
  if (!link) throw new CniError(CniCode.CheckMismatch, `interface ${ifname} not found in ${netnsPath}`);
  const routes = (JSON.parse(routeLine ?? "[]") as IpRouteJson[])
    .filter((r) => r.type === undefined || r.type === "unicast")
    .map((r) => {
      const v6 = (r.gateway ?? r.dst ?? "").includes(":");
      const dst = r.dst === "default" ? (v6 ? "::/0" : "0.0.0.0/0") : (r.dst ?? "");
      return r.gateway ? { dst, gateway: r.gateway } : { dst };
    });
  return {
    mac: (link.address ?? "").toLowerCase(),
    mtu: link.mtu ?? 0,
    up: (link.flags ?? []).includes("UP"),
    addresses: (link.addr_info ?? []).filter((a) => a.scope === "global").map((a) => `${a.local}/${a.prefixlen}`),
    routes,
  };
}
