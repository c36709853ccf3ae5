import { afterEach, beforeEach, expect } from 'vitest';
import nock from 'nock';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { configSchema, type Config, type Metric } from '../../src/config/schema.js';
import { metricsOf } from '../../src/metrics/catalog.js';
import {
  isFailedMetric,
  type Collected,
  type CollectedValue,
  type Env,
  type Source,
  type SourceContext,
} from '../../src/integrations/source.js';
import { syncStateFor, type SyncState } from '../../src/store/sync-state.js';
import type { Store } from '../../src/store/db.js';
import { openTempStore } from './tmp-store.js';

/** A source context on a real SQLite sync state, with every log line captured (pino at debug level). Shared by the source tests. */
export interface Harness {
  ctx: SourceContext;
  store: Store;
  logLines: string[];
  metrics: Metric[];
  cleanup(): Promise<void>;
}

export interface HarnessOptions {
  env: Env;
  sources?: Record<string, Record<string, unknown>>;
  /** Metric id → its query kind (or whole `query`, as written in scorecard.yml), unit and aggregate; every metric's source is `source`. */
  metrics: Record<
    string,
    {
      kind?: string;
      query?: Record<string, unknown>;
      unit?: 'count' | 'currency' | 'percent' | 'hours' | 'days';
      aggregate?: 'sum' | 'last' | 'ratio';
    }
  >;
  source: string;
  now: Date;
  timezone?: string;
  /** Reuse another harness's store (to share sync state between runs). */
  store?: Store;
}

export async function createHarness(options: HarnessOptions): Promise<Harness> {
  const temp = options.store ? undefined : await openTempStore();
  const store = options.store ?? temp!.store;
  const { logger, lines: logLines } = memoryLogger();
  const metricEntries = Object.entries(options.metrics).map(([id, spec]) => [
    id,
    {
      name: id,
      unit: spec.unit ?? 'count',
      aggregate: spec.aggregate ?? 'sum',
      source: options.source,
      query: spec.query ?? { kind: spec.kind },
      definition: `${id} definition`,
      why: `${id} matters`,
      calculation: `${id} calculation`,
    },
  ]);
  const config = configSchema.parse({
    org: { name: 'Test Co', timezone: options.timezone ?? 'America/Chicago' },
    groups: [{ id: 'test', name: 'Test', metrics: Object.keys(options.metrics) }],
    metrics: Object.fromEntries(metricEntries),
    sources: options.sources ?? {},
  });
  const ctx: SourceContext = {
    config,
    env: options.env,
    logger,
    state: syncStateFor(store, () => options.now),
    now: options.now,
    stats: { calls: 0, rateLimited: 0 },
  };
  return {
    ctx,
    store,
    logLines,
    metrics: metricsOf(config),
    cleanup: async () => {
      await temp?.cleanup();
    },
  };
}

/** Every value a source yields for `[from, to]`, from a harness (its metrics by default) or a bare context. */
export async function collectAll(
  source: Source,
  on: Harness | SourceContext,
  from: string,
  to: string,
  metrics: Metric[] = 'ctx' in on ? on.metrics : metricsOf(on.config),
): Promise<CollectedValue[]> {
  return (await collectBatches(source, 'ctx' in on ? on.ctx : on, from, to, metrics)).flat();
}

/** The batches a source yields for `[from, to]`, as yielded (for tests of batching and ordering). */
export async function collectBatches(
  source: Source,
  ctx: SourceContext,
  from: string,
  to: string,
  metrics: Metric[] = metricsOf(ctx.config),
): Promise<CollectedValue[][]> {
  const batches: CollectedValue[][] = [];
  for await (const batch of source.collect(ctx, { from, to, metrics })) batches.push(valuesOrThrow(batch));
  return batches;
}

/** `{ day: value }` for one metric, for compact exact assertions (`pick` chooses what to keep of each value). */
export function byDay<T = number>(
  values: readonly CollectedValue[],
  metricId: string,
  pick: (v: CollectedValue) => T = (v) => v.value as T,
): Record<string, T> {
  return Object.fromEntries(values.filter((v) => v.metricId === metricId).map((v) => [v.day, pick(v)]));
}

export async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );
}

/**
 * The lifecycle every source test file needs: nock with loopback only, a fresh log of the waits its fast `sleep`
 * was asked for, and cleanup of every harness a test created. Call once at the top of the file.
 */
export function sourceTestLifecycle(): { sleeps: number[]; track: (harness: Harness) => Harness } {
  const sleeps: number[] = [];
  const harnesses: Harness[] = [];
  beforeEach(() => {
    sleeps.length = 0;
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });
  afterEach(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    for (const created of harnesses.splice(0)) await created.cleanup();
  });
  const track = (harness: Harness): Harness => {
    harnesses.push(harness);
    return harness;
  };
  return { sleeps, track };
}

/** Asserts that no captured text (log lines, error messages, details) contains any of the secrets. */
export function expectNoSecrets(texts: readonly string[], secrets: readonly string[]): void {
  for (const text of texts) for (const secret of secrets) expect(text).not.toContain(secret);
}

/** A logger that keeps every line it writes (debug and up), to check what reached the logs. */
export function memoryLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

/** A retry sleep that returns at once and remembers what it was asked to wait. */
export function fakeSleep(): { waits: number[]; sleep: (ms: number) => Promise<void> } {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms: number) => {
      waits.push(ms);
    },
  };
}

/** Sync state in memory, for contexts that need no database. */
export function memoryState(initial: Record<string, string> = {}): SyncState & { values: Map<string, string> } {
  const values = new Map(Object.entries(initial));
  return {
    values,
    get: async (key) => values.get(key),
    set: async (key, value) => {
      values.set(key, value);
    },
  };
}

/** A source context over `config` with in-memory sync state and a memory logger; `lines` holds what was logged. */
export function makeContext(
  config: Config,
  options: { env: Env; now: Date | string; state?: SyncState },
): { ctx: SourceContext; lines: string[] } {
  const { logger, lines } = memoryLogger();
  const ctx: SourceContext = {
    config,
    env: options.env,
    logger,
    now: new Date(options.now),
    stats: { calls: 0, rateLimited: 0 },
    state: options.state ?? memoryState(),
  };
  return { ctx, lines };
}

export interface SupportMetricSpec {
  unit: 'count' | 'hours';
  aggregate: 'last' | 'sum' | 'ratio';
  query: Record<string, unknown>;
}

/** A catalog for a support source (Zendesk, Intercom, LiveChat): its metrics in one group, with support settings. */
export function supportConfig(
  source: string,
  metrics: Record<string, SupportMetricSpec>,
  extra: { support?: Record<string, unknown>; settings?: Record<string, unknown> } = {},
): Config {
  return configSchema.parse({
    org: { name: 'Acme', timezone: 'America/Chicago' },
    groups: [{ id: 'support', name: 'Support', metrics: Object.keys(metrics) }],
    metrics: Object.fromEntries(
      Object.entries(metrics).map(([id, spec]) => [id, { name: id, ...spec, source, definition: 'd', why: 'w', calculation: 'c' }]),
    ),
    support: { source, ...extra.support },
    sources: extra.settings ? { [source]: extra.settings } : {},
  });
}

/** A batch's values; a metric that failed on its own is thrown, so a test never mistakes it for missing data. */
export function valuesOrThrow(batch: Collected[]): CollectedValue[] {
  const failed = batch.find(isFailedMetric);
  if (failed) throw new Error(`metric ${failed.metricId} failed: ${failed.failure.errorClass}: ${failed.failure.message}`);
  return batch as CollectedValue[];
}
