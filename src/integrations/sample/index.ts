import { z } from 'zod';
import type { LocalDay } from '../../metrics/types.js';
import { defineSource, type CollectedValue, type Source } from '../source.js';
import { sampleConnection } from './connection.js';
import { sampleSeries, type SampleMetric, type SamplePlan } from './generate.js';

const settingsSchema = z.object({ seed: z.number().int().default(47) }).strict();
const querySchema = z.object({}).strict();

const BATCH_DAYS = 31;

/**
 * Deterministic values for any metrics, whatever source the catalog names (the demo feeds the whole catalog from it),
 * in batches of about a month of the metrics' days.
 */
export async function* sampleValues(
  plan: SamplePlan,
  metrics: readonly SampleMetric[],
  from: LocalDay,
  to: LocalDay,
): AsyncGenerator<CollectedValue[]> {
  let batch: CollectedValue[] = [];
  for (const metric of metrics) {
    for (const v of sampleSeries(plan, metric, from, to)) {
      batch.push({ metricId: metric.id, day: v.day, value: v.value, numerator: v.numerator, denominator: v.denominator });
      if (batch.length >= BATCH_DAYS * 16) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length) yield batch;
}

/** The built-in deterministic source behind `scorecard demo`, the tests and the benchmarks. */
export function createSampleSource(plan: SamplePlan): Source {
  return defineSource({
    id: 'sample',
    name: 'Sample data',
    envVars: [],
    settingsSchema,
    querySchema,
    ...sampleConnection,
    collect: (_run, { from, to, metrics }) => sampleValues(plan, metrics, from, to),
    async check() {
      return { ok: true, detail: 'built-in deterministic sample data' };
    },
  });
}

export const sampleSource = createSampleSource({ seed: 47, missingWeek: null });
