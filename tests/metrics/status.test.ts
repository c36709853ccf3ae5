import { describe, expect, it } from 'vitest';
import type { Goal, Unit } from '../../src/config/schema.js';
import { evaluateStatus, staleHours } from '../../src/metrics/status.js';
import type { StatusKind } from '../../src/metrics/types.js';

function judge(value: number | null, goal: Goal | undefined, unit: Unit = 'count', stale: number | null = null) {
  return evaluateStatus({ value, goal, unit, tolerancePct: 10, toleranceAbsForZero: 1, staleHours: stale });
}

describe('evaluateStatus colours at the goal, at the tolerance edge and just past it', () => {
  it.each<[string, Goal, Unit, number, StatusKind]>([
    // ≥ 125, tolerance 10 % = 12.5
    ['≥ met exactly', { op: '>=', value: 125 }, 'count', 125, 'green'],
    ['≥ beaten', { op: '>=', value: 125 }, 'count', 131, 'green'],
    ['≥ at the edge', { op: '>=', value: 125 }, 'count', 112.5, 'yellow'],
    ['≥ just past', { op: '>=', value: 125 }, 'count', 112.49, 'red'],
    // ≤ 16 h (lower is better), tolerance 1.6 h
    ['≤ met exactly', { op: '<=', value: 16 }, 'hours', 16, 'green'],
    ['≤ well under', { op: '<=', value: 16 }, 'hours', 3, 'green'],
    ['≤ at the edge', { op: '<=', value: 16 }, 'hours', 17.6, 'yellow'],
    ['≤ just past', { op: '<=', value: 16 }, 'hours', 17.61, 'red'],
    // = 10, tolerance 1 either side
    ['= met exactly', { op: '=', value: 10 }, 'count', 10, 'green'],
    ['= met within float noise', { op: '=', value: 0.3 }, 'count', 0.1 + 0.2, 'green'],
    ['= at the upper edge', { op: '=', value: 10 }, 'count', 11, 'yellow'],
    ['= at the lower edge', { op: '=', value: 10 }, 'count', 9, 'yellow'],
    ['= just past above', { op: '=', value: 10 }, 'count', 11.01, 'red'],
    ['= just past below', { op: '=', value: 10 }, 'count', 8.99, 'red'],
    // between 1–3: 10 % of the violated bound (0.1 below, 0.3 above)
    ['between at the low bound', { op: 'between', min: 1, max: 3 }, 'count', 1, 'green'],
    ['between inside', { op: 'between', min: 1, max: 3 }, 'count', 2, 'green'],
    ['between at the high bound', { op: 'between', min: 1, max: 3 }, 'count', 3, 'green'],
    ['between low-side edge', { op: 'between', min: 1, max: 3 }, 'count', 0.9, 'yellow'],
    ['between low side just past', { op: 'between', min: 1, max: 3 }, 'count', 0.89, 'red'],
    ['between high-side edge', { op: 'between', min: 1, max: 3 }, 'count', 3.3, 'yellow'],
    ['between high side just past', { op: 'between', min: 1, max: 3 }, 'count', 3.31, 'red'],
    // zero goals use the absolute tolerance (1)
    ['≤ 0 met', { op: '<=', value: 0 }, 'count', 0, 'green'],
    ['≤ 0 at the edge', { op: '<=', value: 0 }, 'count', 1, 'yellow'],
    ['≤ 0 just past', { op: '<=', value: 0 }, 'count', 1.01, 'red'],
    ['= 0 met', { op: '=', value: 0 }, 'count', 0, 'green'],
    ['= 0 at the edge', { op: '=', value: 0 }, 'count', -1, 'yellow'],
    ['= 0 just past', { op: '=', value: 0 }, 'count', 2, 'red'],
    ['≥ 0 at the edge', { op: '>=', value: 0 }, 'count', -1, 'yellow'],
    ['between 0–5 below', { op: 'between', min: 0, max: 5 }, 'count', -1, 'yellow'],
    ['between 0–5 just past below', { op: 'between', min: 0, max: 5 }, 'count', -1.5, 'red'],
    ['zero goal even with tolerance_pct', { op: '<=', value: 0, tolerance_pct: 50 }, 'count', 1, 'yellow'],
    // a goal's own tolerance wins over the default
    ['tolerance_abs edge', { op: '>=', value: 500, tolerance_abs: 50 }, 'currency', 450, 'yellow'],
    ['tolerance_abs just past', { op: '>=', value: 500, tolerance_abs: 50 }, 'currency', 449.99, 'red'],
    ['tolerance_pct edge', { op: '>=', value: 100, tolerance_pct: 20 }, 'count', 80, 'yellow'],
    ['tolerance_pct just past', { op: '>=', value: 100, tolerance_pct: 20 }, 'count', 79.9, 'red'],
    ['tolerance_abs on a zero goal', { op: '<=', value: 0, tolerance_abs: 0 }, 'count', 1, 'red'],
    ['percent edge', { op: '>=', value: 70 }, 'percent', 63, 'yellow'],
    ['percent just past', { op: '>=', value: 70 }, 'percent', 62.99, 'red'],
  ])('%s', (_name, goal, unit, value, kind) => {
    const status = judge(value, goal, unit);
    expect(status.kind).toBe(kind);
    expect(status.basis).toBe(kind);
    expect(status.staleHours).toBeNull();
    if (kind === 'green') expect(status.miss).toBe(0);
    else expect(status.miss).toBeGreaterThan(0);
  });
});

describe('evaluateStatus details', () => {
  it('reports miss and tolerance in the unit', () => {
    expect(judge(118, { op: '>=', value: 125 })).toMatchObject({ kind: 'yellow', miss: 7, tolerance: 12.5 });
    expect(judge(3.5, { op: 'between', min: 1, max: 3 })).toMatchObject({ kind: 'red', miss: 0.5, tolerance: 0.3 });
    // Float noise (17.6 − 16) does not reach the reported miss.
    expect(judge(17.6, { op: '<=', value: 16 }, 'hours')).toMatchObject({ kind: 'yellow', miss: 1.6, tolerance: 1.6 });
    expect(judge(2, { op: '<=', value: 0 })).toMatchObject({ kind: 'red', miss: 2, tolerance: 1 });
  });

  it('explains itself', () => {
    expect(judge(131, { op: '>=', value: 125 }).reason).toBe('131 vs goal ≥ 125 → green');
    expect(judge(118, { op: '>=', value: 125 }).reason).toBe('118 vs goal ≥ 125: missed by 7, within 10 % (12.5) → yellow');
    expect(judge(100, { op: '>=', value: 125 }).reason).toBe('100 vs goal ≥ 125: missed by 25, beyond 10 % (12.5) → red');
    expect(judge(68, { op: '>=', value: 70 }, 'percent').reason).toBe('68 % vs goal ≥ 70 %: missed by 2 pts, within 10 % (7 pts) → yellow');
    expect(judge(18.5, { op: '<=', value: 16 }, 'hours').reason).toBe(
      '18.5 h vs goal ≤ 16.0 h: missed by 2.5 h, beyond 10 % (1.6 h) → red',
    );
    expect(judge(1, { op: '=', value: 0 }).reason).toBe('1 vs goal = 0: missed by 1, within 1 → yellow');
    expect(judge(470_000, { op: '>=', value: 500_000, tolerance_abs: 50_000 }, 'currency').reason).toBe(
      '$470K vs goal ≥ $500K: missed by $30K, within $50K → yellow',
    );
    expect(judge(null, { op: '>=', value: 125 }).reason).toBe('no data this period');
  });

  it('is never green when stale, keeps the goal colour as basis and tells the age', () => {
    const green = judge(131, { op: '>=', value: 125 }, 'count', 72);
    expect(green).toMatchObject({ kind: 'stale', basis: 'green', staleHours: 72, miss: 0 });
    expect(green.reason).toBe('131 vs goal ≥ 125: goal met in the last data; stale: last data 3 d ago');
    expect(green.reason).not.toMatch(/green/);
    expect(judge(100, { op: '>=', value: 125 }, 'count', 40)).toMatchObject({ kind: 'stale', basis: 'red' });
    expect(judge(100, { op: '>=', value: 125 }, 'count', 40).reason).toContain('stale: last data 40 h ago');
    expect(judge(131, undefined, 'count', 50)).toMatchObject({
      kind: 'stale',
      basis: 'no_goal',
      reason: '131 (no goal); stale: last data 2 d ago',
    });
  });

  it('says no data for a missing value, even when stale or without a goal', () => {
    expect(judge(null, { op: '>=', value: 125 }, 'count', 72)).toMatchObject({
      kind: 'no_data',
      basis: 'no_data',
      miss: null,
      tolerance: null,
      staleHours: null,
      reason: 'no data this period; last data 3 d ago',
    });
    expect(judge(null, undefined).kind).toBe('no_data');
    expect(judge(Number.NaN, { op: '>=', value: 1 }).kind).toBe('no_data');
  });

  it('has no colour without a goal, or with a goal that has no number', () => {
    expect(judge(131, undefined)).toEqual({
      kind: 'no_goal',
      basis: 'no_goal',
      miss: null,
      tolerance: null,
      staleHours: null,
      reason: '131 (no goal)',
    });
    expect(judge(131, { op: '>=' }).kind).toBe('no_goal');
    expect(judge(131, { op: 'between' }).kind).toBe('no_goal');
  });

  it('treats a one-sided between as open on the other side', () => {
    expect(judge(1_000, { op: 'between', min: 10 }).kind).toBe('green');
    expect(judge(9, { op: 'between', min: 10 }).kind).toBe('yellow');
    expect(judge(12, { op: 'between', max: 10 }).kind).toBe('red');
  });
});

describe('staleHours', () => {
  const now = new Date('2026-11-16T14:00:00Z');
  const weekEnd = '2026-11-16T06:00:00.000Z';

  it('is the age, rounded down to 0.1 h, when the data is old and ends before the period does', () => {
    expect(staleHours('2026-11-14T06:00:00Z', now, 36, weekEnd)).toBe(56);
    expect(staleHours('2026-11-14T11:55:00Z', now, 36, weekEnd)).toBe(50.0);
    expect(staleHours('2026-11-14T11:01:00Z', now, 36, weekEnd)).toBe(50.9);
  });

  it('is null when the data is fresh enough, exactly at the limit, or covers the period', () => {
    expect(staleHours('2026-11-15T06:00:00Z', now, 36, weekEnd)).toBeNull();
    expect(staleHours('2026-11-15T02:00:00Z', now, 36, weekEnd)).toBeNull();
    expect(staleHours('2026-11-16T06:00:00Z', new Date('2026-11-20T06:00:00Z'), 36, weekEnd)).toBeNull();
    expect(staleHours('2026-11-16T07:00:00Z', new Date('2026-11-20T06:00:00Z'), 36, weekEnd)).toBeNull();
  });

  it('is null without any data: that is no data, not stale', () => {
    expect(staleHours(null, now, 36, weekEnd)).toBeNull();
  });

  it('applies to an open period ending now (daily digests)', () => {
    expect(staleHours('2026-11-14T14:00:00Z', now, 36, now.toISOString())).toBe(48);
  });
});
