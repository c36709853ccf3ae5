import { describe, expect, it } from 'vitest';
import { aggregate, aggregateWeeks, mergeManual, ratioValue } from '../../src/metrics/aggregate.js';
import type { Aggregated, DayValue } from '../../src/metrics/types.js';

/** Day 1: 1 of 1 closed the same day (100 %). Day 2: 1 of 9 (11.1 %). Together: 2 of 10 = 20 %, not 55.6 %. */
const closeRateDays: DayValue[] = [
  { day: '2026-11-16', value: 100, numerator: 1, denominator: 1 },
  { day: '2026-11-17', value: (100 * 1) / 9, numerator: 1, denominator: 9 },
];

describe('mergeManual', () => {
  it('adds live manual entries to the source value, keeps manual-only days and sorts by day', () => {
    const merged = mergeManual(
      [
        { day: '2026-11-17', value: 10 },
        { day: '2026-11-16', value: 5, numerator: 5, denominator: 8 },
      ],
      [
        { day: '2026-11-17', value: 2 },
        { day: '2026-11-17', value: 1 },
        { day: '2026-11-19', value: 4 },
        { day: '2026-11-15', value: 0.5 },
      ],
    );
    expect(merged).toEqual([
      { day: '2026-11-15', value: 0.5 },
      { day: '2026-11-16', value: 5, numerator: 5, denominator: 8 },
      { day: '2026-11-17', value: 13 },
      { day: '2026-11-19', value: 4 },
    ]);
  });

  it('sums money without float drift', () => {
    const merged = mergeManual([{ day: '2026-11-16', value: 0.1 }], [{ day: '2026-11-16', value: 0.2 }]);
    expect(merged[0]!.value).toBe(0.3);
  });

  it('does not modify its inputs', () => {
    const values: DayValue[] = [{ day: '2026-11-16', value: 1 }];
    mergeManual(values, [{ day: '2026-11-16', value: 1 }]);
    expect(values).toEqual([{ day: '2026-11-16', value: 1 }]);
  });
});

describe('aggregate', () => {
  const week: DayValue[] = [
    { day: '2026-11-18', value: 30 },
    { day: '2026-11-16', value: 10 },
    { day: '2026-11-17', value: 20 },
  ];

  it('sums flows', () => {
    expect(aggregate(week, 'sum', 'count')).toEqual({ value: 60, numerator: null, denominator: null, days: 3 });
  });

  it('takes the latest day with data for stocks, whatever the input order', () => {
    expect(aggregate(week, 'last', 'count')).toEqual({ value: 30, numerator: null, denominator: null, days: 3 });
  });

  it('averages days that have data', () => {
    expect(aggregate(week, 'mean', 'count').value).toBe(20);
  });

  it('returns null with zero days when there is no data', () => {
    for (const how of ['sum', 'last', 'mean', 'ratio'] as const) {
      expect(aggregate([], how, 'count')).toEqual({ value: null, numerator: null, denominator: null, days: 0 });
    }
  });

  it('sums cents exactly', () => {
    const cents = [19.99, 0.01, 0.1, 0.2].map((value, i) => ({ day: `2026-11-1${i}`, value }));
    expect(aggregate(cents, 'sum', 'currency').value).toBe(20.3);
  });

  it('computes a percent ratio from the sums, never averaging daily percentages', () => {
    const result = aggregate(closeRateDays, 'ratio', 'percent');
    expect(result).toEqual({ value: 20, numerator: 2, denominator: 10, days: 2 });
    expect(result.value).not.toBeCloseTo(55.56, 1);
  });

  it('computes an hours ratio in the numerator unit (average first response = Σ hours ÷ Σ replies)', () => {
    const firstResponse: DayValue[] = [
      { day: '2026-11-16', value: 5, numerator: 10, denominator: 2 },
      { day: '2026-11-17', value: 10, numerator: 30, denominator: 3 },
    ];
    expect(aggregate(firstResponse, 'ratio', 'hours').value).toBe(8);
  });

  it('reads a stock that carries parts as their quotient at its latest day (runway with no sends is null)', () => {
    const runway: DayValue[] = [
      { day: '2026-11-16', value: 30, numerator: 600, denominator: 20 },
      { day: '2026-11-17', value: 0, numerator: 1200, denominator: 0 },
    ];
    expect(aggregate(runway, 'last', 'days')).toEqual({ value: null, numerator: 1200, denominator: 0, days: 2 });
    expect(aggregate(runway.slice(0, 1), 'last', 'days').value).toBe(30);
  });

  it('has no ratio value when nothing was counted, but keeps the sums', () => {
    const runway: DayValue[] = [{ day: '2026-11-16', value: 0, numerator: 1200, denominator: 0 }];
    expect(aggregate(runway, 'ratio', 'days')).toEqual({ value: null, numerator: 1200, denominator: 0, days: 1 });
  });

  it('ignores days without numerator and denominator in a ratio but counts them as days with data', () => {
    const days: DayValue[] = [...closeRateDays, { day: '2026-11-18', value: 50 }];
    expect(aggregate(days, 'ratio', 'percent')).toEqual({ value: 20, numerator: 2, denominator: 10, days: 3 });
  });
});

describe('ratioValue', () => {
  it('scales percent ratios to a percentage number and leaves other units alone', () => {
    expect(ratioValue(7, 10, 'percent')).toBe(70);
    expect(ratioValue(1, 3, 'percent')).toBeCloseTo(33.333, 3);
    expect(ratioValue(7, 10, 'hours')).toBe(0.7);
    expect(ratioValue(5000, 40, 'currency')).toBe(125);
    expect(ratioValue(3, 0, 'percent')).toBeNull();
  });
});

describe('aggregateWeeks', () => {
  const week = (value: number | null, numerator: number | null = null, denominator: number | null = null): Aggregated => ({
    value,
    numerator,
    denominator,
    days: value === null ? 0 : 5,
  });

  it('averages weekly values of flows and stocks, skipping weeks without data', () => {
    expect(aggregateWeeks([week(100), week(150), week(null)], 'sum', 'count')).toBe(125);
    expect(aggregateWeeks([week(500_000), week(520_000)], 'last', 'currency')).toBe(510_000);
    expect(aggregateWeeks([week(4), week(5), week(9)], 'mean', 'count')).toBe(6);
    expect(aggregateWeeks([week(null)], 'sum', 'count')).toBeNull();
    expect(aggregateWeeks([], 'ratio', 'percent')).toBeNull();
  });

  it('sums numerators and denominators across weeks for ratios, never averaging weekly percentages', () => {
    const weeks = [week(100, 1, 1), week((100 * 1) / 9, 1, 9)];
    expect(aggregateWeeks(weeks, 'ratio', 'percent')).toBe(20);
    expect(aggregateWeeks(weeks, 'ratio', 'percent')).not.toBeCloseTo(55.56, 1);
  });

  it('matches aggregating all the days at once', () => {
    const perWeek = closeRateDays.map((d) => aggregate([d], 'ratio', 'percent'));
    expect(aggregateWeeks(perWeek, 'ratio', 'percent')).toBe(aggregate(closeRateDays, 'ratio', 'percent').value);
  });
});
