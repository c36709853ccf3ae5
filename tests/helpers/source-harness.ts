import { afterEach, beforeEach, expect } from 'vitest';
import nock from 'nock';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { configSchema, type Metric } from '../../src/config/schema.js';
import {
  isFailedMetric,
  type Collected,
  type CollectedValue,
  type Env,
  type Source,
  type SourceContext,
} from '../../src/integrations/source.js';
import { syncStateFor } from '../../src/store/sync-state.js';
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
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logLines.push(chunk.toString('utf8'));
      callback();
    },
  });
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

export async function collectAll(
  source: Source,
  harness: Harness,
  from: string,
  to: string,
  metrics = harness.metrics,
): Promise<CollectedValue[]> {
  const values: CollectedValue[] = [];
  for await (const batch of source.collect(harness.ctx, { from, to, metrics })) values.push(...valuesOrThrow(batch));
  return values;
}

/** `{ day: value }` for one metric, for compact exact assertions. */
export function byDay(values: readonly CollectedValue[], metricId: string, pick: (v: CollectedValue) => unknown = (v) => v.value) {
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
  return { sleeps, track: (harness) => (harnesses.push(harness), harness) };
}

/** Asserts that no captured text (log lines, error messages, details) contains any of the secrets. */
export function expectNoSecrets(texts: readonly string[], secrets: readonly string[]): void {
  for (const text of texts) for (const secret of secrets) expect(text).not.toContain(secret);
}

/** A batch's values; a metric that failed on its own is thrown, so a test never mistakes it for missing data. */
export function valuesOrThrow(batch: Collected[]): CollectedValue[] {
  const failed = batch.find(isFailedMetric);
  if (failed) throw new Error(`metric ${failed.metricId} failed: ${failed.failure.errorClass}: ${failed.failure.message}`);
  return batch as CollectedValue[];
}
