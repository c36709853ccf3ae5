import { Writable } from 'node:stream';
import pino from 'pino';
import { configSchema, type Metric } from '../../src/config/schema.js';
import { valuesOrThrow } from './source-harness.js';
import type { CollectedValue, Env, Source, SourceContext } from '../../src/integrations/source.js';

/** Test plumbing for the support sources (Zendesk, Intercom, LiveChat): a config with support settings, a context with in-memory state, a memory logger. */

export function memoryLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

export interface MetricSpec {
  unit: 'count' | 'hours';
  aggregate: 'last' | 'sum' | 'ratio';
  query: Record<string, unknown>;
}

export function buildConfig(
  source: string,
  metrics: Record<string, MetricSpec>,
  extra: { support?: Record<string, unknown>; settings?: Record<string, unknown> } = {},
) {
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

export function metricsOf(config: ReturnType<typeof buildConfig>): Metric[] {
  return Object.entries(config.metrics).map(([id, metric]) => ({ ...metric, id }));
}

export function makeContext(env: Env, config: ReturnType<typeof buildConfig>, now: string) {
  const { logger, lines } = memoryLogger();
  const state = new Map<string, string>();
  const ctx: SourceContext = {
    config,
    env,
    logger,
    now: new Date(now),
    stats: { calls: 0, rateLimited: 0 },
    state: { get: async (key) => state.get(key), set: async (key, value) => void state.set(key, value) },
  };
  return { ctx, lines };
}

/** A sleep that returns at once and remembers what it was asked to wait. */
export function fakeSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

export async function collectAll(source: Source, ctx: SourceContext, from: string, to: string, metrics: Metric[]) {
  const values: CollectedValue[] = [];
  for await (const batch of source.collect(ctx, { from, to, metrics })) values.push(...valuesOrThrow(batch));
  return values;
}

/** Values of one metric keyed by day. */
export function byDay(values: CollectedValue[], metricId: string): Record<string, CollectedValue> {
  return Object.fromEntries(values.filter((v) => v.metricId === metricId).map((v) => [v.day, v]));
}
