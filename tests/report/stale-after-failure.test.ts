import { describe, it, expect, beforeEach } from 'vitest';
import { z } from 'zod';
import { pino } from 'pino';
import { configSchema, type Config } from '../../src/config/schema.js';
import { refresh } from '../../src/integrations/refresh.js';
import { SourceError } from '../../src/integrations/errors.js';
import type { CollectedValue, Source } from '../../src/integrations/source.js';
import { daysInRange, addDays, parseWeekLabel } from '../../src/metrics/periods.js';
import { dailyDigest, metricAnswer, weeklyScorecard } from '../../src/report/queries.js';
import { storeKinds, useTempStore } from '../helpers/tmp-store.js';
import type { Store } from '../../src/store/db.js';
import { periodSettings, type EvalContext } from '../../src/metrics/context.js';

/** A source outage never blanks a digest: the last good values stay, marked stale with their age. */

const text = (name: string) => ({ name, definition: `${name}.`, why: 'Because.', calculation: 'Counted.' });

function testConfig(): Config {
  return configSchema.parse({
    org: { name: 'Test Co', timezone: 'America/Chicago', week_start: 'monday' },
    groups: [{ id: 'ops', name: 'Ops', metrics: ['widgets', 'balance', 'meetings'] }],
    metrics: {
      widgets: { ...text('Widgets'), unit: 'count', aggregate: 'sum', source: 'flaky', goal: { op: '>=', value: 10 } },
      balance: {
        ...text('Balance'),
        unit: 'currency',
        aggregate: 'last',
        cadence: ['daily', 'weekly'],
        source: 'flaky',
        goal: { op: '>=', value: 1000 },
      },
      meetings: { ...text('Meetings'), unit: 'count', aggregate: 'sum', source: 'manual', goal: { op: '>=', value: 1 } },
    },
    digests: { cash: ['balance'] },
  });
}

/** A source that answers until told to fail, like a vendor API going down mid-week. */
function flakySource(state: { failing: boolean }): Source {
  return {
    id: 'flaky',
    name: 'Flaky',
    envVars: ['FLAKY_TOKEN'],
    settingsSchema: z.object({}),
    querySchema: z.object({}),
    configured: () => true,
    async *collect(_ctx, { from, to, metrics }) {
      if (state.failing) throw new SourceError('unavailable', 'flaky', 'HTTP 503 after 4 retries');
      const batch: CollectedValue[] = [];
      for (const day of daysInRange(from, addDays(to, 1))) {
        for (const m of metrics) batch.push({ metricId: m.id, day, value: m.id === 'balance' ? 1200 : 3 });
      }
      yield batch;
    },
    async check() {
      return { ok: true, detail: 'fine' };
    },
  };
}

describe.each(storeKinds())('a source that stops answering (%s)', (kind) => {
  const temp = useTempStore(kind);
  let store: Store;
  const config = testConfig();
  const logger = pino({ level: 'silent' });
  const state = { failing: false };
  const deps = (now: Date) => ({ store, config, env: {}, logger, now, sources: [flakySource(state)] });
  const ctx = (now: Date): EvalContext => ({ config, now, periods: periodSettings(config), isConnected: () => true });

  beforeEach(async () => {
    store = temp.store;
    state.failing = false;
    // Tuesday morning: a good refresh of the trailing week (Nov 4 – Nov 10).
    const ok = await refresh(deps(new Date('2026-11-10T14:00:00Z')));
    expect(ok.ok).toBe(true);
    state.failing = true;
  });

  it('keeps its last good values and shows them stale, with their age, on the weekly scorecard', async () => {
    const monday = new Date('2026-11-16T14:00:00Z');
    const failed = await refresh(deps(monday));
    expect(failed.ok).toBe(false);
    expect(failed.results[0]).toMatchObject({ source: 'flaky', status: 'failed', errorClass: 'unavailable' });

    const view = await weeklyScorecard(store, ctx(monday), parseWeekLabel('2026-W46', periodSettings(config))!);
    const rows = Object.fromEntries(view.groups[0]!.rows.map((r) => [r.id, r]));
    // Nov 9 and Nov 10 were collected before the outage: 2 days × 3 widgets. The value is kept, not blanked.
    expect(rows.widgets!.values.thisWeek).toBe(6);
    expect(rows.widgets!.status).toBe('stale');
    expect(rows.widgets!.staleHours).toBe(144);
    expect(rows.widgets!.reason).toMatch(/stale/);
    expect(rows.balance!.thisWeek).toBe('$1.2K');
    expect(rows.balance!.status).toBe('stale'); // would be green on the numbers: stale is never green
    expect(rows.meetings!.status).toBe('no_data'); // manual metrics never go stale; nobody logged
    expect(view.freshness.stale.map((s) => s.id).sort()).toEqual(['balance', 'widgets']);
  });

  it('answers /metric and the daily digest with the last good figure, marked stale', async () => {
    const monday = new Date('2026-11-16T14:00:00Z');
    await refresh(deps(monday));
    const answer = await metricAnswer(
      store,
      ctx(monday),
      { ...config.metrics.balance!, id: 'balance' },
      parseWeekLabel('2026-W46', periodSettings(config))!,
      false,
    );
    expect(answer).toMatchObject({
      metric: 'balance',
      period: '2026-11-16',
      value: 1200,
      status: 'stale',
      as_of: '2026-11-10T14:00:00.000Z',
    });

    const cash = await dailyDigest(store, ctx(monday), 'cash');
    expect(cash.items[0]).toMatchObject({ id: 'balance', value: 1200, text: '$1.2K', status: 'stale', asOf: '2026-11-10T14:00:00.000Z' });
    expect(cash.items[0]!.reason).toContain('stale: last data 6 d ago');
  });

  it('is fresh again after the source recovers', async () => {
    const monday = new Date('2026-11-16T14:00:00Z');
    await refresh(deps(monday));
    state.failing = false;
    const recovered = await refresh(deps(monday));
    expect(recovered.ok).toBe(true);
    const view = await weeklyScorecard(store, ctx(monday), parseWeekLabel('2026-W46', periodSettings(config))!);
    const widgets = view.groups[0]!.rows.find((r) => r.id === 'widgets')!;
    expect(widgets.values.thisWeek).toBe(21);
    expect(widgets.status).toBe('green');
  });
});
