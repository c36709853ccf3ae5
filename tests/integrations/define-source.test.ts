import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { pino } from 'pino';
import { configSchema, type Config } from '../../src/config/schema.js';
import { metricsOf } from '../../src/metrics/catalog.js';
import { refresh } from '../../src/integrations/refresh.js';
import { defineSource, type CollectedValue, type SourceContext } from '../../src/integrations/source.js';
import { syncStateFor } from '../../src/store/sync-state.js';
import { openTempStore } from '../helpers/tmp-store.js';
import { valuesOrThrow } from '../helpers/source-harness.js';

/** The framework parses a source's settings and each metric's query once, before the source's own code runs. */

const text = (name: string) => ({ name, definition: `${name}.`, why: 'Because.', calculation: 'Counted.' });

function testConfig(settings: unknown, query: unknown): Config {
  return configSchema.parse({
    org: { name: 'Test Co', timezone: 'America/Chicago', week_start: 'monday' },
    groups: [{ id: 'ops', name: 'Ops', metrics: ['widgets'] }],
    metrics: { widgets: { ...text('Widgets'), unit: 'count', aggregate: 'sum', source: 'typed', query } },
    sources: { typed: settings },
  });
}

/** Records what its collect and check were handed, so the test can see the parsed (defaulted) values. */
function typedSource(seen: { settings: unknown[]; queries: unknown[] }) {
  return defineSource({
    id: 'typed',
    name: 'Typed',
    envVars: [],
    settingsSchema: z.object({ per_day: z.number().int().default(2) }).strict(),
    querySchema: z.object({ kind: z.enum(['widgets']), scale: z.number().default(1) }).strict(),
    configured: () => true,
    async *collect(run, { from, metrics }) {
      seen.settings.push(run.settings);
      const values: CollectedValue[] = metrics.map((metric) => {
        seen.queries.push(metric.query);
        return { metricId: metric.id, day: from, value: run.settings.per_day * metric.query.scale };
      });
      yield values;
    },
    async check(run) {
      return { ok: true, detail: `per_day ${run.settings.per_day}` };
    },
  });
}

async function withStore<T>(
  run: (ctx: Omit<SourceContext, 'config'>, store: Awaited<ReturnType<typeof openTempStore>>['store']) => Promise<T>,
) {
  const temp = await openTempStore();
  try {
    const now = new Date('2026-11-18T15:00:00Z');
    const ctx = {
      env: {},
      logger: pino({ level: 'silent' }),
      state: syncStateFor(temp.store, () => now),
      now,
      stats: { calls: 0, rateLimited: 0 },
    };
    return await run(ctx, temp.store);
  } finally {
    await temp.cleanup();
  }
}

describe('defineSource', () => {
  it('hands collect and check the parsed settings and queries, defaults filled', async () => {
    const seen = { settings: [] as unknown[], queries: [] as unknown[] };
    const source = typedSource(seen);
    const config = testConfig({}, { kind: 'widgets' });
    await withStore(async (base) => {
      const ctx = { ...base, config };
      const values: CollectedValue[] = [];
      for await (const batch of source.collect(ctx, { from: '2026-11-16', to: '2026-11-16', metrics: metricsOf(config) }))
        values.push(...valuesOrThrow(batch));
      expect(values).toEqual([{ metricId: 'widgets', day: '2026-11-16', value: 2 }]);
      expect(seen.settings).toEqual([{ per_day: 2 }]);
      expect(seen.queries).toEqual([{ kind: 'widgets', scale: 1 }]);
      await expect(source.check(ctx)).resolves.toEqual({ ok: true, detail: 'per_day 2' });
    });
  });

  it('reports a bad setting as a config error naming its YAML path, never as internal', async () => {
    const seen = { settings: [] as unknown[], queries: [] as unknown[] };
    const config = testConfig({ per_day: 'two' }, { kind: 'widgets' });
    await withStore(async (base, store) => {
      const summary = await refresh(
        { store, config, env: {}, logger: base.logger, now: base.now, sources: [typedSource(seen)] },
        { from: '2026-11-16', to: '2026-11-16' },
      );
      expect(summary.results[0]).toMatchObject({ source: 'typed', status: 'failed', errorClass: 'config' });
      expect(summary.results[0]!.error).toContain('sources.typed.per_day: ');
      expect(seen.settings).toEqual([]);
      const check = await typedSource(seen).check({ ...base, config });
      expect(check.ok).toBe(false);
      expect(check.detail).toContain('sources.typed.per_day: ');
    });
  });

  it('reports a bad query as a config error naming the metric', async () => {
    const seen = { settings: [] as unknown[], queries: [] as unknown[] };
    const config = testConfig({}, { kind: 'gadgets' });
    await withStore(async (base, store) => {
      const summary = await refresh(
        { store, config, env: {}, logger: base.logger, now: base.now, sources: [typedSource(seen)] },
        { from: '2026-11-16', to: '2026-11-16' },
      );
      expect(summary.results[0]).toMatchObject({ status: 'failed', errorClass: 'config' });
      expect(summary.results[0]!.error).toContain('metrics.widgets.query.kind: ');
      expect(seen.queries).toEqual([]);
    });
  });
});
