import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import pino from 'pino';
import { configSchema, type Config } from '../../../src/config/schema.js';
import type { CollectedValue, Source, SourceContext } from '../../../src/integrations/source.js';
import type { Metric } from '../../../src/config/schema.js';
import { syncStateFor } from '../../../src/store/sync-state.js';
import type { Store } from '../../../src/store/db.js';
import { valuesOrThrow } from '../../helpers/source-harness.js';

export const HOST = 'https://beta-bridge.simplefin.org';
export const USER = 'sfin-user-81c2';
export const PASSWORD = 'Zx9-pass-4f1d77e0b2';
export const ACCESS_URL = `https://${USER}:${PASSWORD}@beta-bridge.simplefin.org/simplefin`;
/** 14:00 UTC on 16 Nov 2026 is 09:00 in New York. */
export const NOW = new Date('2026-11-16T14:00:00Z');
export const TODAY = '2026-11-16';

export function fixture(name: string): Record<string, unknown> {
  const url = new URL(`../../../src/integrations/simplefin/fixtures/${name}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>;
}

export function makeConfig(simplefin: Record<string, unknown> = {}, query: Record<string, unknown> = {}): Config {
  return configSchema.parse({
    org: { name: 'Acme', timezone: 'America/New_York' },
    sources: { simplefin },
    groups: [{ id: 'finance', name: 'Finance', metrics: ['cash_position'] }],
    metrics: {
      cash_position: {
        name: 'Cash position',
        unit: 'currency',
        aggregate: 'last',
        source: 'simplefin',
        query,
        definition: 'd',
        why: 'w',
        calculation: 'c',
      },
    },
  });
}

export function metricsOf(config: Config): Metric[] {
  return Object.entries(config.metrics).map(([id, m]) => ({ ...m, id }));
}

/** Every log line any test context wrote, to check for credentials. */
export const logLines: string[] = [];

export function makeContext(
  store: Store,
  config: Config,
  env: Record<string, string> = { SIMPLEFIN_ACCESS_URL: ACCESS_URL },
  now = NOW,
): SourceContext {
  const stream = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  return {
    config,
    env,
    logger: pino({ level: 'debug' }, stream),
    state: syncStateFor(store, () => now),
    now,
    stats: { calls: 0, rateLimited: 0 },
  };
}

export async function collectAll(source: Source, ctx: SourceContext, from = TODAY, to = TODAY): Promise<CollectedValue[]> {
  const out: CollectedValue[] = [];
  for await (const batch of source.collect(ctx, { from, to, metrics: metricsOf(ctx.config) })) out.push(...valuesOrThrow(batch));
  return out;
}

export async function errorOf(promise: Promise<unknown>): Promise<Error & { errorClass?: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error('expected a rejection');
  return error;
}

export function account(id: string, name: string, currency: string, balance: string) {
  return { id, name, conn_id: 'CON-1', currency, balance, 'available-balance': balance, 'balance-date': 1794834000, transactions: [] };
}
