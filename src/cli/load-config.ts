import { loadConfig, type ResolvedConfig } from '../config/index.js';
import type { CliIO } from './command.js';

/** The config `--config FILE` names, or the one found from the current folder (`-C DIR`) up. */
export function loadCliConfig(io: CliIO): ResolvedConfig {
  return loadConfig(io.cwd, io.env, io.configFile);
}
