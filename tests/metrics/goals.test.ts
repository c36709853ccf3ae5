import { describe, expect, it } from 'vitest';
import { metricSchema, type Goal, type Metric, type Unit } from '../../src/config/schema.js';
import { describeGoal, goalFor } from '../../src/metrics/goals.js';

function metric(extra: Record<string, unknown>): Metric {
  const parsed = metricSchema.parse({
    name: 'Dials',
    unit: 'count',
    aggregate: 'sum',
    source: 'hubspot',
    definition: 'Outbound calls logged.',
    why: 'Activity drives pipeline.',
    calculation: 'Count of calls.',
    ...extra,
  });
  return { ...parsed, id: 'dials' };
}

const w47 = { label: '2026-W47', start: '2026-11-16' };
const w48 = { label: '2026-W48', start: '2026-11-23' };
const w49 = { label: '2026-W49', start: '2026-11-30' };
const w50 = { label: '2026-W50', start: '2026-12-07' };

describe('goalFor', () => {
  const dials = metric({
    goal: { op: '>=', value: 125 },
    goal_history: [
      { op: '>=', value: 150, from: '2026-11-18' },
      { op: '>=', value: 100, from: '2026-01-05' },
    ],
    goal_overrides: [{ op: '>=', value: 60, period: '2026-W48' }],
  });

  it('keeps the goal in force at the start of an old week after the goal changed', () => {
    expect(goalFor(metric({ goal: { op: '>=', value: 125 } }), w47)).toEqual({ op: '>=', value: 125 });
    expect(goalFor(dials, { label: '2025-W50', start: '2025-12-08' })).toEqual({ op: '>=', value: 125 });
    // A change from a Wednesday applies from the next week on.
    expect(goalFor(dials, w47)).toEqual({ op: '>=', value: 100 });
    expect(goalFor(dials, w49)).toEqual({ op: '>=', value: 150 });
  });

  it('uses a one-period override for that week only', () => {
    expect(goalFor(dials, w48)).toEqual({ op: '>=', value: 60 });
    expect(goalFor(dials, w49)).toEqual({ op: '>=', value: 150 });
  });

  it('applies recorded changes by date, next to the config history', () => {
    const changes = [{ goal: { op: '>=' as const, value: 200 }, from: '2026-12-01' }];
    expect(goalFor(dials, w49, changes)).toEqual({ op: '>=', value: 150 });
    expect(goalFor(dials, w50, changes)).toEqual({ op: '>=', value: 200 });
    // A change dated on a week's first day applies to that week.
    expect(goalFor(dials, w50, [{ goal: { op: '>=', value: 175 }, from: '2026-12-07', period: null }])).toEqual({ op: '>=', value: 175 });
  });

  it('lets a recorded one-period change win over dated goals, but not over the config override for the same week', () => {
    const changes = [
      { goal: { op: '>=' as const, value: 200 }, from: '2026-12-01' },
      { goal: { op: '>=' as const, value: 80 }, from: '2026-12-02', period: '2026-W50' },
      { goal: { op: '>=' as const, value: 90 }, from: '2026-11-20', period: '2026-W48' },
    ];
    expect(goalFor(dials, w50, changes)).toEqual({ op: '>=', value: 80 });
    expect(goalFor(dials, w48, changes)).toEqual({ op: '>=', value: 60 });
    expect(goalFor(dials, { label: '2026-W51', start: '2026-12-14' }, changes)).toEqual({ op: '>=', value: 200 });
  });

  it('returns only goal fields and undefined when there is no goal', () => {
    const goal = goalFor(metric({ goal_history: [{ op: 'between', min: 1, max: 3, tolerance_abs: 1, from: '2026-01-01' }] }), w47);
    expect(goal).toEqual({ op: 'between', min: 1, max: 3, tolerance_abs: 1 });
    expect(goalFor(metric({}), w47)).toBeUndefined();
    expect(goalFor(metric({ goal_history: [{ op: '>=', value: 5, from: '2027-01-01' }] }), w47)).toBeUndefined();
  });
});

describe('describeGoal', () => {
  it.each<[Goal, Unit, string]>([
    [{ op: '>=', value: 125 }, 'count', '≥ 125'],
    [{ op: '>=', value: 70 }, 'percent', '≥ 70 %'],
    [{ op: '<=', value: 16 }, 'hours', '≤ 16.0 h'],
    [{ op: '=', value: 0 }, 'count', '= 0'],
    [{ op: '>=', value: 500_000 }, 'currency', '≥ $500K'],
    [{ op: '>=', value: 30 }, 'days', '≥ 30 d'],
    [{ op: 'between', min: 1, max: 3 }, 'count', '1–3'],
    [{ op: 'between', min: 60, max: 80 }, 'percent', '60–80 %'],
    [{ op: 'between', min: 1000, max: 3000 }, 'currency', '$1K–$3K'],
  ])('%o in %s reads %s', (goal, unit, text) => {
    expect(describeGoal(goal, unit)).toBe(text);
  });
});
