import type { CollectedValue, Env, Source } from '../../../src/integrations/source.js';
import type { Store } from '../../../src/store/db.js';
import { createHarness as createSourceHarness, valuesOrThrow, type Harness } from '../../helpers/source-harness.js';

export type { Harness };
export { collectAll, expectNoSecrets, sourceTestLifecycle } from '../../helpers/source-harness.js';

/** A Datto source context: every metric is a stock (`last`) with its `query` written as in scorecard.yml. */
export function createHarness(options: {
  env: Env;
  settings?: Record<string, unknown>;
  metrics: Record<string, Record<string, unknown>>;
  now: Date;
  timezone?: string;
  store?: Store;
}): Promise<Harness> {
  return createSourceHarness({
    env: options.env,
    source: 'datto',
    sources: options.settings ? { datto: options.settings } : {},
    metrics: Object.fromEntries(Object.entries(options.metrics).map(([id, query]) => [id, { query, aggregate: 'last' as const }])),
    now: options.now,
    ...(options.timezone ? { timezone: options.timezone } : {}),
    ...(options.store ? { store: options.store } : {}),
  });
}

/** Collects until the source throws; returns what was yielded before, and the error. */
export async function collectUntilFailure(source: Source, harness: Harness, from: string, to: string) {
  const values: CollectedValue[] = [];
  try {
    for await (const batch of source.collect(harness.ctx, { from, to, metrics: harness.metrics })) values.push(...valuesOrThrow(batch));
  } catch (error) {
    return { values, error };
  }
  throw new Error('expected a failure');
}
