import { describe, expect, it } from 'vitest';
import { configSchema, type Config, type Metric } from '../../src/config/schema.js';
import type { MetricAnswer } from '../../src/report/metric-answer.js';
import { assertSlackLimits, assertViewLimits, checkView } from '../../src/slack/limits.js';
import {
  decodeMetricRef,
  encodeMetricRef,
  renderExplainPicker,
  renderMetricAnswer,
  renderMetricHelp,
  renderMetricList,
  renderMetricSuggestions,
  renderSensitiveRefusal,
  renderShareRefused,
} from '../../src/slack/metric.js';
import {
  parseEntryMode,
  readEntryState,
  renderEntryConfirmation,
  renderEntryModal,
  renderEntryUndone,
} from '../../src/bot/views/entry-modal.js';
import { decodeEditRef, encodeEditRef, renderHomeView } from '../../src/bot/views/home.js';

// Worst cases: long names, long texts, more of everything than a real catalog has. Each renderer must still fit.
const LONG = 'Very long metric name that keeps going and going, past every label limit Slack has '.repeat(3);
const NOW = new Date('2026-11-18T15:00:00Z');

function metric(id: string, extra: Partial<Metric> = {}): Metric {
  return {
    id,
    name: `${LONG} ${id}`,
    aliases: [],
    unit: 'count',
    cadence: ['weekly'],
    aggregate: 'sum',
    goal_history: [],
    goal_overrides: [],
    source: 'manual',
    query: {},
    manual: false,
    sensitive: false,
    definition: 'x'.repeat(4000),
    why: 'y'.repeat(4000),
    calculation: 'z'.repeat(4000),
    entry: { min: 0, max: 100, decimal: false },
    ...extra,
  };
}

function bigConfig(groups: number, perGroup: number): Config {
  const metrics: Record<string, unknown> = {};
  const groupList = [];
  for (let g = 0; g < groups; g++) {
    const ids = [];
    for (let m = 0; m < perGroup; m++) {
      const id = `metric_${g}_${m}`;
      ids.push(id);
      metrics[id] = {
        name: `${LONG} ${id}`,
        unit: 'count',
        aggregate: 'sum',
        source: 'manual',
        sensitive: m === 0,
        definition: 'd',
        why: 'w',
        calculation: 'c',
      };
    }
    groupList.push({ id: `group_${g}`, name: `${LONG} group ${g}`, metrics: ids });
  }
  return configSchema.parse({ org: { name: 'Big Co', timezone: 'America/Chicago' }, groups: groupList, metrics });
}

const answer: MetricAnswer = {
  metric: 'cash',
  name: LONG,
  unit: 'currency',
  period: '2026-W46',
  period_range: { start: '2026-11-09', end: '2026-11-15', timezone: 'America/Chicago' },
  value: 512345.67,
  value_text: '$512.3K',
  goal: { op: '>=', value: 500000 },
  goal_text: '≥ $500K',
  status: 'green',
  reason: 'r'.repeat(5000),
  last_week: { period: '2026-W45', value: 1, text: '$1' },
  week_to_date: { period: '2026-W47', value: 2, text: '$2' },
  qtd_avg: { value: 3, text: '$3' },
  trend: { weeks: ['2026-W46'], values: [1], goals: [{ op: '>=', value: 500000 }], sparkline: '▁▂▃▄▅▆▇█▁▂▃▄▅' },
  as_of: '2026-11-18T12:00:00Z',
  source: 'simplefin',
  connection: 'connected',
  owner: 'finance@example.com',
  owner_name: null,
  definition: 'd'.repeat(5000),
  why: 'w'.repeat(5000),
  calculation: 'c'.repeat(5000),
  edge_cases: 'e'.repeat(5000),
  caveat: 'a'.repeat(5000),
  warnings: Array.from({ length: 20 }, (_, i) => `warning ${i} ${'w'.repeat(3000)}`),
  refresh_failure: { error_class: 'config', error: 'e'.repeat(3000), failed_at: '2026-11-18T12:00:00Z' },
};

describe('/metric blocks stay within Block Kit limits', () => {
  it('the answer, shared or not, however long its texts', () => {
    assertSlackLimits(renderMetricAnswer(answer, { now: NOW, shareRef: { metric: 'cash', period: '2026-W46' } }));
    assertSlackLimits(renderMetricAnswer(answer, { now: NOW, sharedBy: 'W111' }));
  });

  it('suggestions, list, help, refusals and the explain menu, for a catalog of 150 metrics', () => {
    const config = bigConfig(15, 10);
    assertSlackLimits(
      renderMetricSuggestions(
        'q'.repeat(500),
        Object.values(config.metrics)
          .slice(0, 5)
          .map((m, i) => ({ id: `metric_0_${i}`, name: m.name })),
        '2026-W46',
      ),
    );
    assertSlackLimits(renderMetricList(config));
    assertSlackLimits(renderMetricHelp());
    assertSlackLimits(renderSensitiveRefusal(LONG));
    assertSlackLimits(renderShareRefused(LONG));
    const picker = renderExplainPicker(config, '2026-W46');
    assertSlackLimits(picker);
    expect(JSON.stringify(picker).match(/"value":"metric_/g)).toHaveLength(100);
  });

  it('round-trips what the buttons carry', () => {
    expect(decodeMetricRef(encodeMetricRef({ metric: 'cash', period: null }))).toEqual({ metric: 'cash', period: null });
    expect(decodeMetricRef(encodeMetricRef({ metric: 'dials', period: '2026-W44' }))).toEqual({ metric: 'dials', period: '2026-W44' });
    expect(decodeMetricRef('not json')).toBeUndefined();
  });
});

describe('the entry modal and its confirmation stay within limits', () => {
  const many = Array.from({ length: 150 }, (_, i) => metric(`m${i}`, i % 2 ? { entry: { min: 0, max: 5, decimal: true } } : {}));

  it('with 150 manual metrics, long names, a long note and every field', () => {
    const view = renderEntryModal({
      mode: { kind: 'new' },
      ownMetrics: many.slice(0, 120),
      otherMetrics: many.slice(120),
      selected: many[1],
      day: '2026-11-17',
      value: '2.5',
      note: 'n'.repeat(900),
      onBehalfOf: 'U0OMAR001',
      showOnBehalf: true,
    });
    assertViewLimits(view);
    expect(JSON.stringify(view).match(/"value":"m\d+"/g)!.length).toBeLessThanOrEqual(101);
  });

  it('drops a carried value that does not fit the new metric', () => {
    const view = renderEntryModal({
      mode: { kind: 'new' },
      ownMetrics: [],
      otherMetrics: many,
      selected: many[0],
      day: '2026-11-17',
      value: '2.5',
      showOnBehalf: false,
    });
    expect(JSON.stringify(view)).not.toContain('initial_value":"2.5"');
  });

  it('in edit mode, remembering which entry it edits', () => {
    const view = renderEntryModal({
      mode: { kind: 'edit', entryId: 42, metricId: 'm1' },
      ownMetrics: many,
      otherMetrics: [],
      selected: many[1],
      day: '2026-11-17',
      value: '3',
      showOnBehalf: true,
    });
    assertViewLimits(view);
    expect(parseEntryMode(view.private_metadata)).toEqual({ kind: 'edit', entryId: 42, metricId: 'm1' });
    expect(parseEntryMode('garbage')).toEqual({ kind: 'new' });
    expect(JSON.stringify(view)).not.toContain('entry_on_behalf');
  });

  it('with nothing to log, says so instead of showing empty inputs', () => {
    const view = renderEntryModal({ mode: { kind: 'new' }, ownMetrics: [], otherMetrics: [], day: '2026-11-17', showOnBehalf: false });
    expect(checkView(view)).toEqual([]);
    expect(JSON.stringify(view)).toContain('No metric in the scorecard takes manual entries');
  });

  it('reads the inputs back from view state', () => {
    expect(
      readEntryState({
        metric: { entry_metric: { selected_option: { text: { type: 'plain_text', text: 'X' }, value: 'm1' } } },
        value: { entry_value: { value: '3' } },
      }),
    ).toEqual({
      metricId: 'm1',
      day: undefined,
      value: '3',
      note: undefined,
      onBehalfOf: undefined,
    });
  });

  it('the confirmation and its undone version', () => {
    const entry = { id: 7, metric: many[0]!, day: '2026-11-17', value: 3, note: 'n'.repeat(500), forUser: 'U0OMAR001' };
    assertSlackLimits(renderEntryConfirmation(entry, 10));
    assertSlackLimits(renderEntryUndone(entry));
  });
});

describe('the Home tab stays within limits', () => {
  it('with 40 metrics, 15 entries with long notes and 30 sources', () => {
    const view = renderHomeView({
      userId: 'W111',
      now: NOW,
      notice: 'n'.repeat(4000),
      week: { label: '2026-W47', start: '2026-11-16', lastDay: '2026-11-22', timezone: 'America/Chicago' },
      metrics: Array.from({ length: 40 }, (_, i) => ({
        id: `m${i}`,
        name: LONG,
        thisWeek: '1',
        lastWeek: '2',
        goal: '≥ 3',
        status: 'red' as const,
        reason: 'r'.repeat(4000),
        restricted: i === 3,
      })),
      entries: Array.from({ length: 15 }, (_, i) => ({
        id: i + 1,
        metricId: `m${i}`,
        metricName: LONG,
        unit: 'count' as const,
        day: '2026-11-17',
        value: i,
        note: 'n'.repeat(500),
        createdAt: NOW.toISOString(),
        enteredBy: i % 2 ? 'U0ADMIN001' : null,
      })),
      health: Array.from({ length: 30 }, (_, i) => ({
        source: `source_${i}_${'s'.repeat(100)}`,
        lastSuccessAt: null,
        consecutiveFailures: i,
        lastErrorClass: 'network',
      })),
    });
    assertViewLimits(view);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
  });

  it('round-trips the entry an Edit button carries, even with a long note', () => {
    const ref = { id: 5, metric: 'coi_meetings', day: '2026-11-17', value: 2.5, note: '"quoted" \\ '.repeat(50) };
    const encoded = encodeEditRef(ref);
    expect(encoded.length).toBeLessThanOrEqual(2000);
    expect(decodeEditRef(encoded)).toEqual(ref);
    expect(decodeEditRef('{"i":"x"}')).toBeUndefined();
  });
});
