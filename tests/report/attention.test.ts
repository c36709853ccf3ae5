import { describe, expect, it } from 'vitest';
import { buildAttention, redStreak, summarize, type AttentionInput } from '../../src/report/attention.js';

function row(id: string, over: Partial<AttentionInput> = {}): AttentionInput {
  return {
    id,
    name: id.toUpperCase(),
    owner: `${id}@example.com`,
    ownerName: null,
    source: 'hubspot',
    unit: 'count',
    goal: '≥ 100',
    goalSpec: { op: '>=', value: 100 },
    thisWeek: '100',
    lastWeek: '100',
    status: 'green',
    basis: 'green',
    lastWeekBasis: 'green',
    redWeeks: 0,
    staleHours: null,
    connection: 'connected',
    values: { thisWeek: 100, lastWeek: 100 },
    ...over,
  };
}

const red = (id: string, value: number, weeks: number, over: Partial<AttentionInput> = {}) =>
  row(id, {
    status: 'red',
    basis: 'red',
    lastWeekBasis: weeks > 1 ? 'red' : 'green',
    redWeeks: weeks,
    thisWeek: String(value),
    values: { thisWeek: value, lastWeek: 100 },
    ...over,
  });

describe('summary counts', () => {
  it('counts each status on its own, each metric once', () => {
    const rows = [
      row('a'),
      row('b', { status: 'yellow', basis: 'yellow' }),
      red('c', 50, 1),
      row('d', { status: 'no_data', basis: 'no_data', values: { thisWeek: null, lastWeek: null } }),
      row('e', { status: 'no_goal', basis: 'no_goal', goalSpec: null }),
      row('f', { status: 'stale', basis: 'green', staleHours: 72 }),
      row('a'),
    ];
    expect(summarize(rows)).toEqual({ green: 1, yellow: 1, red: 1, no_data: 1, no_goal: 1, stale: 1 });
  });
});

describe('needs attention', () => {
  it('lists reds longest-running first, then furthest off, with the miss and the streak', () => {
    const attention = buildAttention([red('near', 80, 1), row('ok'), red('far', 40, 1), red('long', 95, 4)]);
    expect(attention.red.map((r) => [r.id, r.weeks, r.missText])).toEqual([
      ['long', 4, '5 short'],
      ['far', 1, '60 short'],
      ['near', 1, '20 short'],
    ]);
    expect(attention.red[1]!.missRatio).toBeCloseTo(0.6);
  });

  it('measures a ceiling goal as over, and a range against the side it misses', () => {
    const ceiling = red('hours', 20, 1, {
      unit: 'hours',
      goalSpec: { op: '<=', value: 16 },
      goal: '≤ 16.0 h',
      values: { thisWeek: 20, lastWeek: 15 },
    });
    const range = red('range', 1, 1, { goalSpec: { op: 'between', min: 3, max: 5 }, values: { thisWeek: 1, lastWeek: 4 } });
    // The range misses by two thirds of its bound, the ceiling by a quarter: furthest off first.
    expect(buildAttention([ceiling, range]).red.map((r) => r.missText)).toEqual(['2 short', '4.0 h over']);
  });

  it('names metrics that turned yellow or red since last week, not those that stayed or improved', () => {
    const attention = buildAttention([
      row('turned-yellow', { status: 'yellow', basis: 'yellow', lastWeekBasis: 'green' }),
      red('turned-red', 50, 1, { lastWeekBasis: 'yellow' }),
      red('still-red', 50, 3),
      row('recovered', { lastWeekBasis: 'red' }),
      row('was-empty', { status: 'yellow', basis: 'yellow', lastWeekBasis: 'no_data' }),
    ]);
    expect(attention.changed.map((c) => [c.id, c.from, c.to])).toEqual([
      ['turned-yellow', 'green', 'yellow'],
      ['turned-red', 'yellow', 'red'],
    ]);
  });

  it('groups stale metrics by source with their owners, and names missing manual numbers', () => {
    const attention = buildAttention([
      row('bills', { source: 'bill', status: 'stale', staleHours: 72, owner: 'finance@example.com', ownerName: 'Finance' }),
      row('vendors', { source: 'bill', status: 'stale', staleHours: 80, owner: 'finance@example.com', ownerName: 'Finance' }),
      row('events', {
        source: 'manual',
        connection: 'manual',
        status: 'no_data',
        basis: 'no_data',
        values: { thisWeek: null, lastWeek: 2 },
      }),
      row('coi', { source: 'manual', connection: 'manual' }),
    ]);
    expect(attention.stale).toEqual([
      {
        source: 'bill',
        hours: 80,
        metrics: [
          { id: 'bills', name: 'BILLS' },
          { id: 'vendors', name: 'VENDORS' },
        ],
        owners: [{ owner: 'finance@example.com', ownerName: 'Finance' }],
      },
    ]);
    expect(attention.missing).toEqual([{ id: 'events', name: 'EVENTS', owner: 'events@example.com', ownerName: null }]);
  });

  it('keeps the three biggest moves of at least 20 %, saying whether each is toward the goal', () => {
    const moved = (id: string, last: number, now: number, over: Partial<AttentionInput> = {}) =>
      row(id, { values: { thisWeek: now, lastWeek: last }, thisWeek: String(now), lastWeek: String(last), ...over });
    const attention = buildAttention([
      moved('small', 100, 110),
      moved('up', 100, 150),
      moved('down', 100, 40),
      moved('ceiling-down', 10, 5, { goalSpec: { op: '<=', value: 8 } }),
      moved('from-zero', 0, 5),
      moved('flat-goal', 100, 130, { goalSpec: null }),
    ]);
    expect(attention.movers.map((m) => [m.id, m.change, m.better])).toEqual([
      ['down', -0.6, false],
      ['up', 0.5, true],
      ['ceiling-down', -0.5, true],
    ]);
  });

  it('counts a red streak back from this week', () => {
    expect(redStreak(['red', 'green', 'red', 'red'])).toBe(2);
    expect(redStreak(['red', 'red', 'yellow'])).toBe(0);
    expect(redStreak([])).toBe(0);
  });
});
