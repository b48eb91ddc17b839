export { CONFIG_FILE, findConfigFile, loadConfig, resolveConfig, type ResolvedConfig } from './resolve.js';
export { configSchema, DEFAULT_EXCLUDE, type ConfigInput, type ParsedConfig } from './schema.js';
export { globToRegExp, makePathFilter } from './glob.js';
export { readToken } from './token.js';
