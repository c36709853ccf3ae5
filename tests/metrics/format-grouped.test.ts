import { describe, expect, it } from 'vitest';
import { grouped } from '../../src/metrics/format.js';

/** grouped() must write exactly what Intl.NumberFormat('en-US') writes; it only skips building the formatter. */
const intl = (n: number, min: number, max: number) =>
  new Intl.NumberFormat('en-US', { minimumFractionDigits: min, maximumFractionDigits: max }).format(n);

const PRECISIONS: [number, number][] = [
  [0, 0],
  [0, 1],
  [1, 1],
  [0, 2],
  [1, 2],
  [2, 2],
];

describe('grouped numbers', () => {
  it('matches Intl on halves, carries and boundaries', () => {
    const edges = [
      0, -0, 0.5, 1.5, 2.5, 0.05, 0.15, 0.25, 0.005, 1.005, 1.015, 1.045, 2.675, 9.95, 9.995, 99.95, 999.5, 999.95, 999_999.5, 1_000_000,
      1234.5678, 12_345_678.9, 0.0001, 1e-7, 1e21, 123_456_789_012_345, -1.5, -0.004, -1234.567, 4.35, 8.345,
    ];
    for (const n of edges) for (const [min, max] of PRECISIONS) expect(grouped(n, min, max), `${n} ${min}-${max}`).toBe(intl(n, min, max));
  });

  it('matches Intl on 20,000 values across magnitudes', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 20_000; i++) {
      const magnitude = 10 ** Math.floor(random() * 10 - 3);
      // Values with few decimals hit exact halves often (x.xx5), the case toFixed gets wrong.
      const n = i % 2 === 0 ? random() * magnitude : Math.round(random() * 100_000) / 1000;
      const [min, max] = PRECISIONS[i % PRECISIONS.length]!;
      expect(grouped(n, min, max)).toBe(intl(n, min, max));
    }
  });
});
