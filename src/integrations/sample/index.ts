import { z } from 'zod';
import type { CollectedValue, Source } from '../source.js';
import { sampleSeries, type SamplePlan } from './generate.js';

const settingsSchema = z.object({ seed: z.number().int().default(47) }).strict();
const querySchema = z.object({}).strict();

const BATCH_DAYS = 31;

/**
 * The built-in deterministic source behind `scorecard demo`, the tests and the benchmarks.
 * It can stand in for any metric, whatever source the catalog names, so the demo needs no credentials.
 */
export function createSampleSource(plan: SamplePlan): Source<z.output<typeof settingsSchema>, z.output<typeof querySchema>> {
  return {
    id: 'sample',
    name: 'Sample data',
    envVars: [],
    settingsSchema,
    querySchema,
    configured: () => true,
    async *collect(_ctx, { from, to, metrics }) {
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
    },
    async check() {
      return { ok: true, detail: 'built-in deterministic sample data' };
    },
  };
}

export const sampleSource = createSampleSource({ seed: 47, missingWeek: null });
