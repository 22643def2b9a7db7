/**
 * One CNI call from (environment, stdin bytes) to (stdout text, exit code): the whole plugin minus
 * process I/O, so tests can drive it in-process too. Errors of any kind become exactly one CNI
 * error object; a non-CniError (a bug) becomes code 999 without a stack.
 */
import { parseCniArgs } from "./cni/args.js";
import { decodeConfig, parseConfig, responseVersion } from "./cni/config.js";
import { readEnv, parseCommand, type CniCommand } from "./cni/env.js";
import { CniCode, CniError } from "./cni/errors.js";
import { formatResult } from "./cni/result.js";
import { atLeast } from "./cni/versions.js";
import { acquireLock } from "./lock.js";
import { createLogger, errorFields, type Logger } from "./log.js";
import { standaloneSource } from "./source/standalone.js";
import { managedSource } from "./source/managed.js";
import { cmdAdd } from "./verbs/add.js";
import { cmdCheck } from "./verbs/check.js";
import type { VerbContext } from "./verbs/context.js";
import { cmdDel } from "./verbs/del.js";
import { cmdGc } from "./verbs/gc.js";
import { cmdStatus } from "./verbs/status.js";
import { cmdVersion } from "./verbs/version.js";

export interface Outcome {
  stdout: string;
  exitCode: number;
}

const MINIMUM_VERSION: Partial<Record<CniCommand, string>> = { CHECK: "0.4.0", STATUS: "1.1.0", GC: "1.1.0" };

function versionJson(bytes: Uint8Array): unknown {
  try {
    return (decodeConfig(bytes).json as { cniVersion?: unknown }).cniVersion;
  } catch {
    return undefined;
  }
}

function makeLogger(file: string | undefined, level: string | undefined, context: Record<string, unknown>): Logger {
  try {
    return createLogger({ file, level, context });
  } catch (err) {
    const log = createLogger({ level, context });
    log.warn(errorFields(err), `cannot log to ${file}: logging to stderr`);
    return log;
  }
}

async function dispatch(ctx: VerbContext): Promise<Record<string, unknown> | undefined> {
  const { env, config } = ctx;
  const source = config.network === undefined ? standaloneSource : managedSource;
  switch (env.command) {
    case "ADD":
    case "DEL": {
      const lock = await acquireLock(`${env.containerId}/${env.ifname}`, config.timeoutMs);
      try {
        if (env.command === "DEL") return void (await cmdDel(ctx, source));
        return formatResult(await cmdAdd(ctx, source), config.cniVersion);
      } finally {
        await lock.release();
      }
    }
    case "CHECK":
      return void (await cmdCheck(ctx, source));
    case "STATUS":
      return void (await cmdStatus(ctx, source));
    case "GC":
      return void (await cmdGc(ctx, source));
    case "VERSION":
      return cmdVersion(config.cniVersion);
  }
}

export async function run(processEnv: NodeJS.ProcessEnv, stdin: Uint8Array): Promise<Outcome> {
  let version = "1.1.0";
  let log: Logger | undefined;
  try {
    const command = parseCommand(processEnv.CNI_COMMAND);
    if (command === "VERSION") return { stdout: `${JSON.stringify(cmdVersion(versionJson(stdin)))}\n`, exitCode: 0 };
    const decoded = decodeConfig(stdin);
    version = responseVersion(decoded.json);
    const env = readEnv(processEnv);
    const config = parseConfig(decoded.json);
    const minimum = MINIMUM_VERSION[command];
    if (minimum && !atLeast(config.cniVersion, minimum)) {
      throw new CniError(CniCode.IncompatibleVersion, `config version does not allow ${command}`, `${command} needs cniVersion ${minimum} or later, config is ${config.cniVersion}`);
    }
    const cniArgs = parseCniArgs(env.args);
    log = makeLogger(config.logFile, config.logLevel, { command, containerId: env.containerId || undefined, ifname: env.ifname || undefined, network: config.name });
    log.debug({}, "start");
    const result = await dispatch({ env, config, configText: decoded.text, cniArgs, processEnv, log });
    log.close();
    return { stdout: result === undefined ? "" : `${JSON.stringify(result)}\n`, exitCode: 0 };
  } catch (err) {
    const error = err instanceof CniError ? err : new CniError(999, `internal error: ${err instanceof Error ? err.message : String(err)}`);
    log?.error(errorFields(error), "failed");
    log?.close();
    return { stdout: `${JSON.stringify(error.toResult(version))}\n`, exitCode: 1 };
  }
}
