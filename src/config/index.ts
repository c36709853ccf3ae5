export * from './schema.js';
export { ConfigError, formatProblems, formatPath, type Problem } from './errors.js';
export { loadConfig, parseConfigText, resolveConfigPath, packageRoot } from './load.js';
export type { LoadConfigOptions, LoadedConfig, ResolvedConfigPath } from './load.js';
export { validateConfig, isTimeZone } from './validate.js';
export { BUILT_IN_SOURCES, type SourceSchemas } from './validate-sources.js';
export { loadEnv, coreEnvSchema, LOG_LEVELS, DATABASE_SCHEMES, DEFAULT_DATABASE_URL } from './env.js';
export type { CoreEnv, Env } from './env.js';
