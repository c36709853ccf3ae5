import type { Logger } from 'pino';
import { openConfigCache } from './config/cache.js';
import { loadEnv, type CoreEnv } from './config/env.js';
import { readConfigFile } from './config/file.js';
import type { LoadedConfig } from './config/load.js';
import { metricsWithIds } from './config/metric-ids.js';
import { makeClock } from './config/now.js';
import type { Config, Metric } from './config/schema.js';
import { openStore, type Store } from './store/db.js';
import { createLogger } from './logger.js';
import { connectionCheck } from './integrations/source-loaders.js';
import type { Env } from './integrations/source.js';
import { periodSettings, type EvalContext } from './metrics/context.js';
import { useZoneTable } from './metrics/zone.js';
import { buildZoneTable, type ZoneTable } from './metrics/zone-table.js';

/** What every entry point (CLI command, bot, scheduler) works with: config, environment, store, logger and "now". */
export interface Runtime {
  config: Config;
  configPath: string;
  env: CoreEnv;
  rawEnv: Env;
  store: Store;
  logger: Logger;
  now: () => Date;
  evalContext(now?: Date): EvalContext;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  configPath?: string;
  databaseUrl?: string;
  /** A pinned instant (`--now`, SCORECARD_NOW) makes every output reproducible. */
  now?: Date;
  env?: Env;
  logger?: Logger;
  /** The demo pretends every source is connected: the sample stands in for all of them. */
  allConnected?: boolean;
  /**
   * The only metrics this process will evaluate (`scorecard metric cash`: one), so only their sources are loaded to
   * tell whether they are connected. Default: every source.
   */
  connectionsFor?: (config: Config) => readonly Metric[];
  /** Reuse the config validated by an earlier run of this build when the file is unchanged (short CLI commands). */
  cacheConfig?: boolean;
}

export { parseNow } from './config/now.js';

/**
 * The config file, parsed and checked against every source's schemas (loaded only here, on a cache miss: a cached
 * config needs neither the YAML parser nor any schema).
 */
export async function loadRuntimeConfig(opts: { configPath?: string; env: Env; cache?: boolean }): Promise<LoadedConfig> {
  const file = readConfigFile({ path: opts.configPath, env: opts.env });
  const cache = opts.cache ? openConfigCache<ZoneTable>(opts.env) : undefined;
  const cached = cache?.read(file.text);
  if (cached) {
    useZoneTable(cached.extra);
    return { config: cached.config, path: file.path, metrics: metricsWithIds(cached.config) };
  }
  const [{ parseConfigText }, registry] = await Promise.all([import('./config/load.js'), import('./integrations/registry.js')]);
  const schemas = { querySchemas: registry.querySchemas(), settingsSchemas: registry.settingsSchemas() };
  const loaded = parseConfigText(file.text, file.displayName, file.path, schemas);
  // The org zone's offsets go in with the config, so a cached run converts instants without ICU (zone-table.ts).
  if (cache)
    cache.write(file.text, {
      config: loaded.config,
      extra: buildZoneTable(loaded.config.org.timezone, ZONE_TABLE_YEARS[0], ZONE_TABLE_YEARS[1]),
    });
  return loaded;
}

/** Years the cached zone table spans: every period a scorecard shows, with room; instants outside go to Intl. */
const ZONE_TABLE_YEARS = [2000, 2050] as const;

export async function openRuntime(opts: RuntimeOptions = {}): Promise<Runtime> {
  const rawEnv = opts.env ?? process.env;
  const env = loadEnv(rawEnv);
  const { config, path } = await loadRuntimeConfig({ configPath: opts.configPath, env: rawEnv, cache: opts.cacheConfig });
  const isConnected = opts.allConnected ? () => true : await connectionCheck(rawEnv, opts.connectionsFor?.(config));
  let logger = opts.logger;
  const store = await openStore(opts.databaseUrl ?? env.DATABASE_URL);
  const now = makeClock({ start: opts.now ?? env.SCORECARD_NOW, rate: env.SCORECARD_CLOCK_RATE, startedAt: env.SCORECARD_CLOCK_STARTED });
  const periods = periodSettings(config);
  return {
    config,
    configPath: path,
    env,
    rawEnv,
    store,
    // Made at first use: most short commands never log (see createLogger).
    get logger() {
      logger ??= createLogger(env.LOG_LEVEL);
      return logger;
    },
    now,
    evalContext: (at?: Date) => ({ config, now: at ?? now(), periods, isConnected }),
    close: () => store.close(),
  };
}
