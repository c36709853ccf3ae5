import type { Logger } from 'pino';
import { loadConfig } from './config/load.js';
import { loadEnv, type CoreEnv } from './config/env.js';
import { makeClock } from './config/now.js';
import type { Config, Metric } from './config/schema.js';
import { openStore, type Store } from './store/db.js';
import { createLogger } from './logger.js';
import { isMetricConnected, querySchemas, settingsSchemas } from './integrations/registry.js';
import type { Env } from './integrations/source.js';
import { periodSettings, type EvalContext } from './metrics/context.js';

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
}

export { parseNow } from './config/now.js';

export function loadRuntimeConfig(opts: { configPath?: string; env: Env }) {
  return loadConfig({ path: opts.configPath, env: opts.env, querySchemas: querySchemas(), settingsSchemas: settingsSchemas() });
}

export async function openRuntime(opts: RuntimeOptions = {}): Promise<Runtime> {
  const rawEnv = opts.env ?? process.env;
  const env = loadEnv(rawEnv);
  const { config, path } = loadRuntimeConfig({ configPath: opts.configPath, env: rawEnv });
  const logger = opts.logger ?? createLogger(env.LOG_LEVEL);
  const store = await openStore(opts.databaseUrl ?? env.DATABASE_URL);
  const now = makeClock({ start: opts.now ?? env.SCORECARD_NOW, rate: env.SCORECARD_CLOCK_RATE, startedAt: env.SCORECARD_CLOCK_STARTED });
  const periods = periodSettings(config);
  const isConnected = opts.allConnected ? () => true : (metric: Metric) => isMetricConnected(metric, rawEnv);
  return {
    config,
    configPath: path,
    env,
    rawEnv,
    store,
    logger,
    now,
    evalContext: (at?: Date) => ({ config, now: at ?? now(), periods, isConnected }),
    close: () => store.close(),
  };
}
