import { beforeEach, describe, expect, it } from 'vitest';
import { configSchema, type Config } from '../../src/config/schema.js';
import { periodSettings, type EvalContext } from '../../src/metrics/context.js';
import { parseWeekLabel } from '../../src/metrics/periods.js';
import type { Week } from '../../src/metrics/types.js';
import { weeklyScorecard } from '../../src/report/queries.js';
import { buildQuarterDeals, quarterDealsWindow, visibleQuarterDeals } from '../../src/report/quarter-deals.js';
import { visibleScorecard } from '../../src/report/visibility.js';
import { toJsonView } from '../../src/report/json.js';
import type { Store } from '../../src/store/db.js';
import { upsertQuarterDeals, type QuarterDealsSnapshot } from '../../src/store/quarter-deals.js';
import { storeKinds, useTempStore } from '../helpers/tmp-store.js';

/** The quarter deals view model: which quarter a week reports, which snapshot it reads, when it is stale, who sees amounts. */

const text = (name: string) => ({ name, definition: `${name}.`, why: 'Because.', calculation: 'Counted.' });

function testConfig(opts: { sensitive?: boolean; timezone?: string; hubspot?: Record<string, unknown> } = {}): Config {
  return configSchema.parse({
    org: { name: 'Test Co', timezone: opts.timezone ?? 'America/Chicago', week_start: 'monday' },
    groups: [{ id: 'sales', name: 'Sales', metrics: ['mrr', 'dials'] }],
    metrics: {
      mrr: {
        ...text('MRR closed'),
        unit: 'currency',
        aggregate: 'sum',
        source: 'hubspot',
        query: { object: 'deals' },
        sensitive: opts.sensitive,
      },
      dials: { ...text('Dials'), unit: 'count', aggregate: 'sum', source: 'hubspot', query: { object: 'calls' } },
    },
    sources: opts.hubspot ? { hubspot: opts.hubspot } : {},
    slack: { sensitive_access: { users: ['U0CFO'] } },
  });
}

function ctxOf(config: Config, now: string, connected = true): EvalContext {
  return { config, now: new Date(now), periods: periodSettings(config), isConnected: () => connected };
}

const week = (label: string, config: Config): Week => parseWeekLabel(label, periodSettings(config))!;

function snapshot(day: string, fetchedAt: string, quarter = '2026-Q4'): QuarterDealsSnapshot {
  return {
    source: 'hubspot',
    quarter,
    day,
    won_count: 12,
    won_amount: 120_500.5,
    lost_count: 5,
    lost_amount: 20_000.25,
    open_count: 9,
    open_amount: 300_000,
    fetched_at: fetchedAt,
    warnings: [],
  };
}

describe('quarter deals view model', () => {
  it('reports the quarter holding the week’s first day, with the snapshot bound at the quarter’s end', () => {
    const config = testConfig();
    // 2026-W53 runs Mon 28 Dec 2026 to Sun 3 Jan 2027: it belongs to Q4, whose snapshots end on 31 Dec.
    expect(quarterDealsWindow(week('2026-W53', config))).toEqual({
      quarter: { label: '2026-Q4', start: '2026-10-01', end: '2027-01-01' },
      beforeDay: '2027-01-01',
    });
    expect(quarterDealsWindow(week('2026-W40', config))).toEqual({
      quarter: { label: '2026-Q3', start: '2026-07-01', end: '2026-10-01' },
      beforeDay: '2026-10-01',
    });
    expect(quarterDealsWindow(week('2026-W47', config)).beforeDay).toBe('2026-11-23');
  });

  it('adds the total, states the definition in the org time zone, and is current within the freshness', () => {
    const config = testConfig({ timezone: 'Asia/Tokyo' });
    const view = buildQuarterDeals(
      week('2026-W47', config),
      snapshot('2026-11-22', '2026-11-21T21:00:00Z'),
      ctxOf(config, '2026-11-23T00:00:00Z'),
    );
    expect(view).toMatchObject({
      quarter: '2026-Q4',
      start: '2026-10-01',
      end: '2026-12-31',
      status: 'current',
      snapshotDay: '2026-11-22',
      total: { count: 26, amount: 440_500.75, amountText: '$440.5K' },
      won: { count: 12, amount: 120_500.5, amountText: '$120.5K' },
    });
    expect(view.definition).toContain('2026-10-01 to 2026-12-31, Asia/Tokyo');
    expect(view.definition).toContain('Total = won + lost + open');
  });

  it('judges a past week at its end, and marks a snapshot older than the freshness stale with its age', () => {
    const config = testConfig();
    const w47 = week('2026-W47', config); // ends Mon 23 Nov 00:00 CST = 06:00Z
    const later = ctxOf(config, '2026-12-20T12:00:00Z');
    expect(buildQuarterDeals(w47, snapshot('2026-11-22', '2026-11-22T12:00:00Z'), later)).toMatchObject({
      status: 'current',
      ageHours: 18,
    });
    expect(buildQuarterDeals(w47, snapshot('2026-11-20', '2026-11-20T12:00:00Z'), later)).toMatchObject({
      status: 'stale',
      ageHours: 66,
      ageText: '2 d',
    });
    // The week in progress is judged now.
    const current = week('2026-W51', config);
    expect(buildQuarterDeals(current, snapshot('2026-12-14', '2026-12-14T12:00:00Z'), ctxOf(config, '2026-12-16T12:00:00Z'))).toMatchObject(
      {
        status: 'stale',
        ageHours: 48,
      },
    );
  });

  it('says when there is no snapshot yet', () => {
    const config = testConfig();
    const view = buildQuarterDeals(week('2026-W47', config), undefined, ctxOf(config, '2026-11-23T12:00:00Z'));
    expect(view).toMatchObject({ status: 'no_snapshot', won: null, lost: null, open: null, total: null, asOf: null });
  });

  it('hides amounts from people outside sensitive access when the deal metric is sensitive, counts stay', () => {
    const sensitive = testConfig({ sensitive: true });
    const view = buildQuarterDeals(
      week('2026-W47', sensitive),
      snapshot('2026-11-22', '2026-11-22T12:00:00Z'),
      ctxOf(sensitive, '2026-11-23T12:00:00Z'),
    );
    expect(view.restrictedBy).toEqual(['mrr']);
    const hidden = visibleQuarterDeals(view, (id) => id !== 'mrr');
    expect(hidden).toMatchObject({
      amountsHidden: true,
      won: { count: 12, amount: null, amountText: '—' },
      total: { count: 26, amount: null },
    });
    expect(visibleQuarterDeals(view, () => true)).toBe(view);
    const open = testConfig();
    const openView = buildQuarterDeals(
      week('2026-W47', open),
      snapshot('2026-11-22', '2026-11-22T12:00:00Z'),
      ctxOf(open, '2026-11-23T12:00:00Z'),
    );
    expect(visibleQuarterDeals(openView, () => false).amountsHidden).toBe(false);
  });
});

describe.each(storeKinds())('quarter deals in the weekly scorecard (%s)', (kind) => {
  const temp = useTempStore(kind);
  let store: Store;
  beforeEach(async () => {
    store = temp.store;
    await upsertQuarterDeals(store, snapshot('2026-09-30', '2026-09-30T11:00:00Z', '2026-Q3'));
    await upsertQuarterDeals(store, { ...snapshot('2026-11-20', '2026-11-20T12:00:00Z'), won_count: 10 });
    await upsertQuarterDeals(store, snapshot('2026-11-22', '2026-11-22T12:00:00Z'));
    await upsertQuarterDeals(store, { ...snapshot('2026-11-23', '2026-11-23T12:00:00Z'), won_count: 14 });
  });

  it('reads the newest snapshot before the week ended; a past quarter shows its last snapshot', async () => {
    const config = testConfig();
    const ctx = ctxOf(config, '2026-12-07T14:00:00Z');
    const w47 = await weeklyScorecard(store, ctx, week('2026-W47', config));
    expect(w47.quarterDeals).toMatchObject({ quarter: '2026-Q4', snapshotDay: '2026-11-22', won: { count: 12 } });
    const w48 = await weeklyScorecard(store, ctx, week('2026-W48', config));
    expect(w48.quarterDeals).toMatchObject({ snapshotDay: '2026-11-23', won: { count: 14 }, status: 'stale' });
    // 2026-W40 (28 Sep to 4 Oct) starts in Q3: it shows Q3's last snapshot, judged at the quarter's end.
    const w40 = await weeklyScorecard(store, ctx, week('2026-W40', config));
    expect(w40.quarterDeals).toMatchObject({ quarter: '2026-Q3', snapshotDay: '2026-09-30', status: 'current', ageHours: 18 });
    const w45 = await weeklyScorecard(store, ctx, week('2026-W45', config));
    expect(w45.quarterDeals).toMatchObject({ quarter: '2026-Q4', status: 'no_snapshot' });
  });

  it('is null without HubSpot, or turned off; --json carries it as quarter_deals in snake_case', async () => {
    const config = testConfig();
    const w47 = week('2026-W47', config);
    expect((await weeklyScorecard(store, ctxOf(config, '2026-12-07T14:00:00Z', false), w47)).quarterDeals).toBeNull();
    const off = testConfig({ hubspot: { quarter_deals: false } });
    expect((await weeklyScorecard(store, ctxOf(off, '2026-12-07T14:00:00Z'), w47)).quarterDeals).toBeNull();
    const { rowsRead: _rowsRead, ...view } = await weeklyScorecard(store, ctxOf(config, '2026-12-07T14:00:00Z'), w47);
    const json = toJsonView(view) as { quarter_deals: Record<string, unknown> };
    expect(json.quarter_deals).toMatchObject({
      quarter: '2026-Q4',
      snapshot_day: '2026-11-22',
      amounts_hidden: false,
      won: { count: 12, amount: 120_500.5, amount_text: '$120.5K' },
      total: { count: 26 },
    });
  });

  it('visibleScorecard hides deal amounts along with the sensitive metric', async () => {
    const config = testConfig({ sensitive: true });
    const full = await weeklyScorecard(store, ctxOf(config, '2026-12-07T14:00:00Z'), week('2026-W47', config));
    const { view, hidden } = visibleScorecard(full, (id) => id !== 'mrr');
    expect(hidden).toBe(1);
    expect(view.quarterDeals).toMatchObject({ amountsHidden: true, won: { count: 12, amount: null } });
  });
});
