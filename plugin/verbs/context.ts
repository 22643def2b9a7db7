/** What every verb gets: the parsed environment, config and CNI_ARGS, and the logger. */
import type { CniArgs } from "../cni/args.js";
import type { PluginConfig } from "../cni/config.js";
import type { CniEnv } from "../cni/env.js";
import type { Logger } from "../log.js";

export interface VerbContext {
  env: CniEnv;
  config: PluginConfig;
  /** stdin exactly as received, for delegated plugins. */
  configText: string;
  cniArgs: CniArgs;
  /** The process environment, passed on to delegated plugins. */
  processEnv: NodeJS.ProcessEnv;
  log: Logger;
}
