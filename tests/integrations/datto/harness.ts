import { Writable } from 'node:stream';
import { pino } from 'pino';
import { configSchema, type Metric } from '../../../src/config/schema.js';
import type { CollectedValue, Env, Source, SourceContext } from '../../../src/integrations/source.js';
import { syncStateFor } from '../../../src/store/sync-state.js';
import type { Store } from '../../../src/store/db.js';
import { openTempStore } from '../../helpers/tmp-store.js';

/** A Datto source context on a real SQLite sync state, every log line captured (pino at debug level). */
export interface Harness {
  ctx: SourceContext;
  store: Store;
  logLines: string[];
  metrics: Metric[];
  cleanup(): Promise<void>;
}

export interface HarnessOptions {
  env: Env;
  settings?: Record<string, unknown>;
  /** Metric id → its `query`, written as in scorecard.yml. */
  metrics: Record<string, Record<string, unknown>>;
  now: Date;
  timezone?: string;
  /** Reuse another harness's store, to share sync state between runs. */
  store?: Store;
}

export async function createHarness(options: HarnessOptions): Promise<Harness> {
  const temp = options.store ? undefined : await openTempStore();
  const store = options.store ?? temp!.store;
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logLines.push(chunk.toString('utf8'));
      callback();
    },
  });
  const config = configSchema.parse({
    org: { name: 'Test Co', timezone: options.timezone ?? 'America/Chicago' },
    groups: [{ id: 'centralized_services', name: 'Centralized Services', metrics: Object.keys(options.metrics) }],
    metrics: Object.fromEntries(
      Object.entries(options.metrics).map(([id, query]) => [
        id,
        { name: id, unit: 'count', aggregate: 'last', source: 'datto', query, definition: 'd', why: 'w', calculation: 'c' },
      ]),
    ),
    sources: options.settings ? { datto: options.settings } : {},
  });
  const ctx: SourceContext = {
    config,
    env: options.env,
    logger: pino({ level: 'debug' }, sink),
    state: syncStateFor(store, () => options.now),
    now: options.now,
    stats: { calls: 0, rateLimited: 0 },
  };
  return {
    ctx,
    store,
    logLines,
    metrics: Object.entries(config.metrics).map(([id, metric]) => ({ ...metric, id })),
    cleanup: async () => {
      await temp?.cleanup();
    },
  };
}

export async function collectAll(source: Source, harness: Harness, from: string, to: string): Promise<CollectedValue[]> {
  const values: CollectedValue[] = [];
  for await (const batch of source.collect(harness.ctx, { from, to, metrics: harness.metrics })) values.push(...batch);
  return values;
}

/** Collects until the source throws; returns what was yielded before, and the error. */
export async function collectUntilFailure(source: Source, harness: Harness, from: string, to: string) {
  const values: CollectedValue[] = [];
  try {
    for await (const batch of source.collect(harness.ctx, { from, to, metrics: harness.metrics })) values.push(...batch);
  } catch (error) {
    return { values, error };
  }
  throw new Error('expected a failure');
}
