import { describe, expect, it } from 'vitest';
import type { Unit } from '../../src/config/schema.js';
import { formatAge, formatDelta, formatValue } from '../../src/metrics/format.js';
import { sparkline } from '../../src/metrics/trend.js';

describe('formatValue', () => {
  it.each<[number | null, Unit, string]>([
    [null, 'count', '—'],
    [null, 'currency', '—'],
    [Number.NaN, 'count', '—'],
    [0, 'currency', '$0'],
    [950, 'currency', '$950'],
    [950.4, 'currency', '$950'],
    [999.6, 'currency', '$1K'],
    [1_000, 'currency', '$1K'],
    [1_500, 'currency', '$1.5K'],
    [512_300, 'currency', '$512.3K'],
    [500_000, 'currency', '$500K'],
    [999_960, 'currency', '$1M'],
    [1_234_567, 'currency', '$1.2M'],
    [2_500_000_000, 'currency', '$2.5B'],
    [-1_500, 'currency', '−$1.5K'],
    [-0.2, 'currency', '$0'],
    [68, 'percent', '68 %'],
    [68.4, 'percent', '68 %'],
    [6.5, 'percent', '6.5 %'],
    [6, 'percent', '6 %'],
    [9.96, 'percent', '10 %'],
    [100, 'percent', '100 %'],
    [14.5, 'hours', '14.5 h'],
    [16, 'hours', '16.0 h'],
    [0.25, 'hours', '0.3 h'],
    [31, 'days', '31 d'],
    [30.6, 'days', '31 d'],
    [2.5, 'days', '2.5 d'],
    [1_250, 'count', '1,250'],
    [12.5, 'count', '12.5'],
    [12.54, 'count', '12.5'],
    [1_234_567, 'count', '1,234,567'],
    [-3, 'count', '−3'],
    [0, 'count', '0'],
  ])('%s %s → %s', (value, unit, text) => {
    expect(formatValue(value, unit)).toBe(text);
  });

  it('has a precise form without abbreviations', () => {
    expect(formatValue(512_345.678, 'currency', { precise: true })).toBe('$512,345.68');
    expect(formatValue(500_000, 'currency', { precise: true })).toBe('$500,000');
    expect(formatValue(-1_500.5, 'currency', { precise: true })).toBe('−$1,500.50');
    expect(formatValue(68.456, 'percent', { precise: true })).toBe('68.46 %');
    expect(formatValue(12.345, 'count', { precise: true })).toBe('12.35');
  });
});

describe('formatDelta', () => {
  it.each<[number | null, number | null, Unit, string]>([
    [133, 125, 'count', '+8'],
    [120, 125, 'count', '−5'],
    [125, 125, 'count', '0'],
    [500_000, 503_200, 'currency', '−$3.2K'],
    [503_200, 500_000, 'currency', '+$3.2K'],
    [70, 68, 'percent', '+2 pts'],
    [68, 69, 'percent', '−1 pt'],
    [68.5, 68, 'percent', '+0.5 pts'],
    [12.5, 14, 'hours', '−1.5 h'],
    [0.3, 0.1 + 0.2, 'count', '0'],
    [null, 5, 'count', '—'],
    [5, null, 'count', '—'],
  ])('%s vs %s (%s) → %s', (a, b, unit, text) => {
    expect(formatDelta(a, b, unit)).toBe(text);
  });
});

describe('formatAge', () => {
  it.each<[number, string]>([
    [0.5, '30 min'],
    [5, '5 h'],
    [5.9, '5 h'],
    [47.9, '47 h'],
    [48, '2 d'],
    [72, '3 d'],
    [-1, '0 min'],
  ])('%s h → %s', (hours, text) => {
    expect(formatAge(hours)).toBe(text);
  });
});

describe('sparkline', () => {
  it('scales between the min and max of the values present', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([100, 200])).toBe('▁█');
    expect(sparkline([-5, 0, 5])).toBe('▁▅█');
  });

  it('shows gaps for weeks without data, one character per input', () => {
    const line = sparkline([10, null, 30, null, 20]);
    expect(line).toBe('▁·█·▅');
    expect([...line]).toHaveLength(5);
    expect(sparkline([null, null])).toBe('··');
    expect(sparkline([])).toBe('');
  });

  it('draws a flat middle line when every value is the same', () => {
    expect(sparkline([5, 5, null, 5])).toBe('▄▄·▄');
    expect(sparkline([7])).toBe('▄');
  });
});
