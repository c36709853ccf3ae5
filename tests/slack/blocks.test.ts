import { beforeEach, describe, expect, it } from 'vitest';
import type { KnownBlock, RawTextElement, TableBlock } from '@slack/types';
import { configSchema, type Config } from '../../src/config/schema.js';
import { metricsOf } from '../../src/metrics/catalog.js';
import { lastCompletedWeek } from '../../src/metrics/periods.js';
import type { Store } from '../../src/store/db.js';
import { upsertDailyValues } from '../../src/store/daily-values.js';
import { addManualEntry } from '../../src/store/manual-entries.js';
import type { NewDailyValue } from '../../src/store/types.js';
import { sampleSeries } from '../../src/integrations/sample/generate.js';
import { dailyDigest, weeklyScorecard } from '../../src/report/queries.js';
import { renderWeeklyMessages } from '../../src/slack/weekly.js';
import { renderDailyMessage } from '../../src/slack/daily.js';
import { assertSlackLimits, blocksTextLength, SLACK_LIMITS } from '../../src/slack/limits.js';
import type { SlackMessage } from '../../src/slack/blocks.js';
import { isChart } from '../../src/slack/chart.js';
import { describeChanges, snapshotOf } from '../../src/report/changes.js';
import { openTempStore, storeKinds, useTempStore } from '../helpers/tmp-store.js';
import { periodSettings, type EvalContext } from '../../src/metrics/context.js';

// Monday 17 Nov 2025, 08:00 in Chicago: the scorecard reports 2025-W46 (Mon 10 – Sun 16 Nov).
const NOW = new Date('2025-11-17T14:00:00Z');
const FETCHED = '2025-11-17T12:00:00.000Z';
const PLAN = { seed: 47, missingWeek: null };

const explain = { definition: 'What it counts.', why: 'Why it matters.', calculation: 'How it is computed.' };
const UNITS = [
  { unit: 'count', aggregate: 'sum', goal: { op: '>=', value: 125 } },
  { unit: 'currency', aggregate: 'sum', goal: { op: '>=', value: 500 } },
  { unit: 'percent', aggregate: 'ratio', goal: { op: '>=', value: 70 } },
  { unit: 'hours', aggregate: 'ratio', goal: { op: '<=', value: 16 } },
  { unit: 'days', aggregate: 'last', goal: { op: '>=', value: 30 } },
  { unit: 'count', aggregate: 'sum' },
] as const;

/** `groups × perGroup` sample-fed weekly metrics with mixed units, goals and owners. */
function catalog(
  groups: number,
  perGroup: number,
  nameOf = (n: number, g: number) => `Metric ${String(n).padStart(3, '0')} of group ${g}`,
): Config {
  const metrics: Record<string, unknown> = {};
  const groupList = [];
  let n = 0;
  for (let g = 1; g <= groups; g++) {
    const ids: string[] = [];
    for (let i = 0; i < perGroup; i++, n++) {
      const id = `m${String(n).padStart(3, '0')}`;
      ids.push(id);
      metrics[id] = {
        name: nameOf(n, g),
        ...UNITS[n % UNITS.length],
        source: 'sample',
        owner: n % 2 ? `owner${g}@example.com` : 'U0DANA001',
        ...explain,
      };
    }
    groupList.push({ id: `group_${g}`, name: `Group ${g}`, metrics: ids });
  }
  return configSchema.parse({ org: { name: 'Test Co', timezone: 'America/Chicago' }, groups: groupList, metrics });
}

const ctxOf = (config: Config, now = NOW): EvalContext => ({
  config,
  now,
  periods: periodSettings(config),
  isConnected: (m) => m.source !== 'bill',
});

async function seedSample(store: Store, config: Config, from: string, to: string, fetchedAt = FETCHED): Promise<void> {
  const rows: NewDailyValue[] = [];
  for (const metric of metricsOf(config).filter((m) => m.source === 'sample')) {
    for (const v of sampleSeries(PLAN, metric, from, to)) {
      rows.push({
        metric_id: metric.id,
        day: v.day,
        value: v.value,
        numerator: v.numerator,
        denominator: v.denominator,
        source: 'sample',
        fetched_at: fetchedAt,
        warnings: null,
      });
    }
  }
  await upsertDailyValues(store, rows);
}

const tableOf = (message: SlackMessage) => message.blocks.filter((b): b is TableBlock => b.type === 'table');
const cellText = (cell: unknown) => (cell as RawTextElement).text;
/** The scorecard's table messages (parent and continuations); the chart replies come after them. */
const tableMessages = (messages: SlackMessage[]) => messages.filter((m) => tableOf(m).length > 0);
const chartMessages = (messages: SlackMessage[]) => messages.filter((m) => m.blocks.some(isChart));
const metricRows = (messages: SlackMessage[]) =>
  tableMessages(messages)
    .flatMap((m) => tableOf(m)[0]!.rows.slice(1))
    .filter((row) => !cellText(row[0]).startsWith('— '));

function expectValidMessages(messages: SlackMessage[]): void {
  for (const message of messages) assertSlackLimits(message);
  // Tables first, then chart replies; every message is one or the other.
  const tables = tableMessages(messages);
  expect([...tables, ...chartMessages(messages)]).toEqual(messages);
  for (const message of tables) {
    expect(tableOf(message)).toHaveLength(1);
    for (const row of tableOf(message)[0]!.rows) {
      expect(row).toHaveLength(6);
      // raw_text cells need at least one visible character.
      for (const cell of row) expect(cellText(cell).trim().length).toBeGreaterThan(0);
    }
  }
}

describe.each(storeKinds())('weekly scorecard Block Kit (%s)', (kind) => {
  const temp = useTempStore(kind);
  let store: Store;
  beforeEach(async () => (store = temp.store));

  it('renders a small catalog as one message: period, summary, table, freshness, buttons', async () => {
    const config = catalog(2, 3);
    await seedSample(store, config, '2025-08-01', '2025-11-16');
    const ctx = ctxOf(config);
    const view = await weeklyScorecard(store, ctx, lastCompletedWeek(NOW, ctx.periods));
    const mentions = new Map([
      ['owner1@example.com', 'U0OWNER01'],
      ['owner2@example.com', 'U0OWNER02'],
    ]);
    const messages = renderWeeklyMessages(view, { now: NOW, mentions });

    expect(tableMessages(messages)).toHaveLength(1);
    expectValidMessages(messages);
    const [parent] = messages;
    const s = view.summary;
    expect(parent!.text).toBe(
      `Weekly scorecard 2025-W46: 🟢 ${s.green} on track  🟡 ${s.yellow} near miss  🔴 ${s.red} off track  ⚪ ${s.no_data} no data  ▫️ ${s.no_goal} no goal  🕒 ${s.stale} stale`,
    );
    expect(parent!.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Weekly scorecard 2025-W46', emoji: true } });
    const intro = JSON.stringify(parent!.blocks[1]);
    expect(intro).toContain('Mon 10 Nov – Sun 16 Nov 2025');
    expect(intro).toContain('America/Chicago');
    expect(intro).toContain(`🟢 ${s.green}`);

    const table = tableOf(parent!)[0]!;
    expect(table.rows[0]!.map(cellText)).toEqual(['Metric', 'Goal', 'This week', 'Last week', 'QTD', 'Status']);
    expect(table.column_settings!.map((c) => c.align)).toEqual(['left', 'right', 'right', 'right', 'right', 'left']);
    expect(table.rows.map((r) => cellText(r[0]))).toContain('— Group 1 —');
    const firstMetric = table.rows.find((r) => cellText(r[0]) === 'Metric 000 of group 1')!;
    expect(cellText(firstMetric[2])).toBe(view.groups[0]!.rows[0]!.thisWeek);

    // What needs attention comes before the table, reds first with their owners mentioned.
    const attention = parent!.blocks.findIndex((b) => JSON.stringify(b).includes('*Needs attention*'));
    expect(attention).toBeGreaterThan(0);
    expect(attention).toBeLessThan(parent!.blocks.findIndex((b) => b.type === 'table'));
    const attentionText = JSON.stringify(parent!.blocks[attention]);
    expect(view.attention.red.length).toBeGreaterThan(0);
    for (const red of view.attention.red) {
      expect(attentionText).toContain(red.name);
      expect(attentionText).toContain(`<@${mentions.get(red.owner!) ?? red.owner}>`);
    }

    // One chart per red metric in the thread, two per reply at most, each with its figures in text.
    const replies = chartMessages(messages);
    expect(replies).toHaveLength(Math.ceil(view.attention.red.length / 2));
    const charts = replies.flatMap((m) => m.blocks.filter(isChart));
    expect(charts.map((c) => c.title)).toEqual(view.attention.red.map((r) => `${r.name}, last 13 weeks`.slice(0, 50)));
    for (const reply of replies) expect(reply.blocks.filter((b) => b.type === 'context').length).toBe(reply.blocks.filter(isChart).length);

    const context = parent!.blocks.find((b) => b.type === 'context');
    expect(JSON.stringify(context)).toContain('Data as of 2 h ago');
    const actions = parent!.blocks.find((b): b is Extract<KnownBlock, { type: 'actions' }> => b.type === 'actions')!;
    expect(actions.elements.map((e) => [(e as { action_id: string }).action_id, (e as { text: { text: string } }).text.text])).toEqual([
      ['log_activity', 'Log activity'],
      ['explain_metric', 'Explain a metric'],
    ]);
  });

  it('a 150-metric catalog becomes a parent plus thread replies that all pass, each metric exactly once', async () => {
    const config = catalog(10, 15);
    await seedSample(store, config, '2025-08-01', '2025-11-16');
    const ctx = ctxOf(config);
    const view = await weeklyScorecard(store, ctx, lastCompletedWeek(NOW, ctx.periods));
    const messages = renderWeeklyMessages(view, { now: NOW });

    expect(messages.length).toBeGreaterThan(1);
    expectValidMessages(messages);
    const names = metricRows(messages).map((r) => cellText(r[0]));
    expect(names).toHaveLength(150);
    expect(new Set(names).size).toBe(150);
    expect(names.sort()).toEqual(
      metricsOf(config)
        .map((m) => m.name)
        .sort(),
    );
    const tables = tableMessages(messages);
    tables.slice(1).forEach((m, i) => {
      expect(m.text).toBe(`Weekly scorecard 2025-W46 (continued ${i + 2}/${tables.length})`);
      expect(m.blocks.some((b) => b.type === 'actions')).toBe(false);
    });
    // A reply that starts inside a group repeats the group's name, marked as continued.
    const firstRows = tables.slice(1).map((m) => cellText(tableOf(m)[0]!.rows[1]![0]));
    for (const first of firstRows) expect(first).toMatch(/^— Group \d+( \(cont\.\))? —$/);
    const more = tables.length - 1;
    expect(JSON.stringify(messages[0]!.blocks[1])).toContain(`Continued in the thread: ${more} more ${more === 1 ? 'part' : 'parts'}`);
  });

  it('chunks by measured text size when names are long, and honours maxRowsPerMessage', async () => {
    // 80 characters, the most a name cell shows: 100 such rows would pass the 11k-character budget.
    const longName = (n: number, g: number) => `${n}/${g} `.padEnd(80, 'Long metric name describing the measure in detail; ');
    const config = catalog(10, 15, longName);
    await seedSample(store, config, '2025-08-01', '2025-11-16');
    const ctx = ctxOf(config);
    const view = await weeklyScorecard(store, ctx, lastCompletedWeek(NOW, ctx.periods));

    const bySize = renderWeeklyMessages(view, { now: NOW });
    expectValidMessages(bySize);
    // Cut by size or by the 100-row cap, whichever comes first: a full message is at one of the two.
    const full = tableMessages(bySize).slice(0, -1);
    expect(full.some((m) => tableOf(m)[0]!.rows.length < SLACK_LIMITS.tableRows)).toBe(true);
    for (const m of full) {
      const atRowCap = tableOf(m)[0]!.rows.length === SLACK_LIMITS.tableRows;
      expect(atRowCap || blocksTextLength(m.blocks) > SLACK_LIMITS.messageTotalText * 0.95).toBe(true);
    }
    expect(metricRows(bySize)).toHaveLength(150);

    const small = renderWeeklyMessages(view, { now: NOW, maxRowsPerMessage: 20 });
    expectValidMessages(small);
    for (const m of tableMessages(small)) expect(tableOf(m)[0]!.rows.length).toBeLessThanOrEqual(20);
    expect(metricRows(small)).toHaveLength(150);
  });

  it('shows stale figures with their age and sources that are not connected', async () => {
    const config = configSchema.parse({
      org: { name: 'Test Co', timezone: 'America/Chicago' },
      groups: [{ id: 'ops', name: 'Ops', metrics: ['backlog', 'vendors'] }],
      metrics: {
        backlog: { name: 'Backlog', unit: 'count', aggregate: 'sum', goal: { op: '>=', value: 10 }, source: 'sample', ...explain },
        vendors: {
          name: 'Vendors not onboarded',
          unit: 'count',
          aggregate: 'last',
          goal: { op: '<=', value: 0 },
          source: 'bill',
          ...explain,
        },
      },
    });
    await seedSample(store, config, '2025-08-01', '2025-11-16', '2025-11-14T12:00:00.000Z');
    const ctx = ctxOf(config);
    const [message] = renderWeeklyMessages(await weeklyScorecard(store, ctx, lastCompletedWeek(NOW, ctx.periods)), { now: NOW });
    expectValidMessages([message!]);
    const backlog = tableOf(message!)[0]!.rows.find((r) => cellText(r[0]) === 'Backlog')!;
    expect(cellText(backlog[5])).toBe('🕒 3 d');
    const vendors = tableOf(message!)[0]!.rows.find((r) => cellText(r[0]) === 'Vendors not onboarded')!;
    expect(cellText(vendors[5])).toBe('⚪ not connected');
    const context = JSON.stringify(message!.blocks.find((b) => b.type === 'context'));
    expect(context).toContain('Stale: Backlog (3 d)');
    expect(context).toContain('Not connected: bill');
  });
});

describe.each(storeKinds())('daily digests Block Kit (%s)', (kind) => {
  const temp = useTempStore(kind);
  let store: Store;
  beforeEach(async () => (store = temp.store));

  const dailyConfig = (extraSupport: string[] = [], extraMetrics: Record<string, unknown> = {}) =>
    configSchema.parse({
      org: { name: 'Test Co', timezone: 'America/Chicago' },
      groups: [{ id: 'finance', name: 'Finance', metrics: ['cash', 'bills_pending', 'missing_w9', 'tickets_opened'] }],
      metrics: {
        cash: {
          name: 'Cash position',
          unit: 'currency',
          aggregate: 'last',
          cadence: ['daily'],
          goal: { op: '>=', value: 500000 },
          source: 'sample',
          ...explain,
        },
        bills_pending: { name: 'Bills pending approval', unit: 'count', aggregate: 'last', cadence: ['daily'], source: 'bill', ...explain },
        missing_w9: {
          name: 'Bills missing W-9',
          unit: 'count',
          aggregate: 'last',
          cadence: ['daily'],
          goal: { op: '<=', value: 0 },
          source: 'sample',
          caveat: 'Approximated from vendors flagged for 1099 without a tax id.',
          ...explain,
        },
        tickets_opened: { name: 'Tickets opened', unit: 'count', aggregate: 'sum', cadence: ['daily'], source: 'sample', ...explain },
        ...extraMetrics,
      },
      digests: { cash: ['cash', 'bills_pending', 'missing_w9'], support: ['tickets_opened', ...extraSupport] },
    });

  it('cash: the figure with changes, goal, as-of per figure, the W-9 caveat, and "not connected"', async () => {
    const config = dailyConfig();
    await seedSample(store, config, '2025-11-01', '2025-11-17');
    const message = renderDailyMessage(await dailyDigest(store, ctxOf(config), 'cash'), { now: NOW });
    assertSlackLimits(message);

    expect(message.text).toMatch(/^Cash digest 2025-11-17: Cash position \$/);
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Cash digest · Monday 17 Nov 2025' } });
    const sections = message.blocks.filter((b): b is Extract<KnownBlock, { type: 'section' }> => b.type === 'section');
    expect(sections).toHaveLength(3);
    for (const s of sections) expect(s.fields!.length).toBeLessThanOrEqual(10);
    const cash = JSON.stringify(sections[0]);
    expect(cash).toContain('*Cash position* · now');
    expect(cash).toContain('vs yesterday');
    expect(cash).toContain('vs 7 days ago');
    expect(cash).toContain('≥ $500K');
    expect(cash).toContain('(2 h ago)');
    expect(JSON.stringify(sections[1])).toContain('not connected');
    const w9 = message.blocks.findIndex((b) => JSON.stringify(b).includes('Bills missing W-9'));
    expect(JSON.stringify(message.blocks[w9 + 1])).toContain('Approximated from vendors flagged for 1099');
  });

  it('support: flows read "yesterday" with the trailing 7 days; a digest too long for one message names the rest', async () => {
    const many = Object.fromEntries(
      Array.from({ length: 60 }, (_, i) => [
        `queue_${i}`,
        { name: `Queue ${i} tickets opened`, unit: 'count', aggregate: 'sum', cadence: ['daily'], source: 'sample', ...explain },
      ]),
    );
    const config = dailyConfig(Object.keys(many), many);
    await seedSample(store, config, '2025-11-01', '2025-11-17');
    const message = renderDailyMessage(await dailyDigest(store, ctxOf(config), 'support'), { now: NOW });
    assertSlackLimits(message);
    expect(JSON.stringify(message.blocks[2])).toContain('*Tickets opened* · yesterday');
    expect(JSON.stringify(message.blocks[2])).toContain('Last 7 days');
    const last = JSON.stringify(message.blocks.at(-1));
    expect(last).toMatch(/\d+ more figures \(ask \/metric\): Queue \d+ tickets opened/);
  });
});

describe('what changed between two renders', () => {
  it('lists figure and status changes in the snapshot order', () => {
    const before = { dials: { text: '118', status: 'yellow' as const, name: 'Dials' }, mrr: { text: '$500', status: 'green' as const } };
    const after = { dials: { text: '126', status: 'green' as const, name: 'Dials' }, mrr: { text: '$500', status: 'stale' as const } };
    expect(describeChanges(before, after, { dials: 'Dials', mrr: 'MRR closed' })).toEqual([
      'Dials 118 → 126, 🟡 → 🟢',
      'MRR closed $500, 🟢 → 🕒',
    ]);
    expect(describeChanges(before, before)).toEqual([]);
    expect(describeChanges({ ...before, gone: { text: '1', status: 'green' } }, before)).toEqual(['gone removed']);
  });

  it("snapshots a weekly view by this week's figure and status", async () => {
    const { store, cleanup } = await openTempStore();
    try {
      const config = configSchema.parse({
        org: { name: 'Test Co', timezone: 'America/Chicago' },
        groups: [{ id: 'sales', name: 'Sales', metrics: ['dials'] }],
        metrics: {
          dials: { name: 'Dials', unit: 'count', aggregate: 'sum', goal: { op: '>=', value: 125 }, source: 'manual', ...explain },
        },
      });
      await addManualEntry(store, { metricId: 'dials', day: '2025-11-12', value: 118, userId: 'U0DANA001', enteredBy: 'U0DANA001' }, NOW);
      const ctx = ctxOf(config);
      const view = await weeklyScorecard(store, ctx, lastCompletedWeek(NOW, ctx.periods));
      expect({ ...snapshotOf(view) }).toEqual({ dials: { text: '118', status: 'yellow', name: 'Dials' } });
    } finally {
      await cleanup();
    }
  });
});
