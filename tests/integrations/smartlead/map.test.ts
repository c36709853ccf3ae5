import { describe, expect, it } from 'vitest';
import { averageContactedValue, runwayValue, sequencedValues, tallySequenced } from '../../../src/integrations/smartlead/map.js';
import { campaignLeadsPageSchema, parseSmartleadInstant, unwrapEnvelope } from '../../../src/integrations/smartlead/schemas.js';

describe('runway', () => {
  it('divides the queue by the average per day, keeping both as numerator and denominator', () => {
    // 1000 contacted over 14 days = 71.4286 / day; 250 queued ÷ 71.4286 = 3.5 days.
    const figures = { queued: 250, contacted: 1000, windowDays: 14 };
    expect(averageContactedValue('avg', '2026-11-20', figures)).toEqual({
      metricId: 'avg',
      day: '2026-11-20',
      value: 71.4286,
      numerator: 1000,
      denominator: 14,
    });
    expect(runwayValue('runway', '2026-11-20', figures)).toEqual({
      metricId: 'runway',
      day: '2026-11-20',
      value: 3.5,
      numerator: 250,
      denominator: 71.4286,
    });
  });

  it('marks an unbounded runway (queue but no sends) with a 0 denominator and a warning', () => {
    expect(runwayValue('runway', '2026-11-20', { queued: 12, contacted: 0, windowDays: 1 })).toEqual({
      metricId: 'runway',
      day: '2026-11-20',
      value: 0,
      numerator: 12,
      denominator: 0,
      warnings: ['no leads contacted in the last 1 day: runway is unbounded (∞, no sends)'],
    });
  });
});

describe('new contacts sequenced', () => {
  it('buckets by local day (timestamps without a zone are UTC) and keeps only the range', () => {
    const tally = new Map<string, number>();
    tallySequenced(
      tally,
      [
        { created_at: '2026-03-08T07:59:59Z' }, // 03-08 01:59:59 CST, just before spring-forward
        { created_at: '2026-03-08T08:00:00Z' }, // 03-08 03:00:00 CDT
        { created_at: '2026-03-09 04:59:00' }, // 03-08 23:59 CDT, no zone designator
        { created_at: '2026-03-09T05:00:00.000Z' }, // 03-09 00:00 CDT: outside
      ],
      'America/Chicago',
      '2026-03-08',
      '2026-03-08',
    );
    expect(sequencedValues('new', ['2026-03-07', '2026-03-08'], tally)).toEqual([
      { metricId: 'new', day: '2026-03-07', value: 0 },
      { metricId: 'new', day: '2026-03-08', value: 3 },
    ]);
    expect(parseSmartleadInstant('2026-03-09 04:59:00').toISOString()).toBe('2026-03-09T04:59:00.000Z');
  });

  it('reads a leads page top-level or inside the envelope', () => {
    const rows = [{ created_at: '2026-03-08T08:00:00Z', status: 'STARTED' }];
    expect(campaignLeadsPageSchema.parse({ total_leads: '1', data: rows, offset: 0, limit: 100 })).toEqual({
      leads: [{ created_at: '2026-03-08T08:00:00Z' }],
      total: 1,
    });
    expect(campaignLeadsPageSchema.parse({ ok: true, data: rows })).toEqual({
      leads: [{ created_at: '2026-03-08T08:00:00Z' }],
      total: undefined,
    });
    expect(unwrapEnvelope([1, 2])).toEqual([1, 2]);
    expect(unwrapEnvelope({ data: [1] })).toEqual({ data: [1] });
  });
});
