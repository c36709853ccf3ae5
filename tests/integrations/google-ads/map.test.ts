import { describe, expect, it } from 'vitest';
import { addBatches, durationMs, microsToAmount, spendQuery } from '../../../src/integrations/google-ads/map.js';
import { isThrottleCode, usageOf } from '../../../src/integrations/meta-ads/map.js';

describe('ad platform mappers', () => {
  it('turns micros into currency to the cent, summing beyond 2^53 exactly', () => {
    expect(microsToAmount(120_505_000n)).toBe(120.51);
    expect(microsToAmount(4_999n)).toBe(0);
    const micros = new Map<string, bigint>();
    addBatches(
      micros,
      {
        results: [
          { segments: { date: '2026-11-01' }, metrics: { costMicros: '9007199254740993' } },
          { segments: { date: '2026-11-01' }, metrics: {} },
        ],
      },
      {},
    );
    expect(micros.get('2026-11-01')).toBe(9_007_199_254_740_993n);
  });

  it('builds GAQL from validated days only, and reads Google durations', () => {
    expect(spendQuery('2026-11-01', '2026-11-07')).toContain("BETWEEN '2026-11-01' AND '2026-11-07'");
    expect(() => spendQuery("2026-11-01' OR '1'='1", '2026-11-07')).toThrow(/not a day/);
    expect(durationMs('30s')).toBe(30_000);
    expect(durationMs('1.5s')).toBe(1500);
    expect(durationMs(undefined)).toBeUndefined();
  });

  it('reads Meta’s usage headers and throttle codes', () => {
    const headers = {
      'x-business-use-case-usage': JSON.stringify({
        '42': [{ type: 'ads_insights', call_count: 12, total_cputime: 81, total_time: 30, estimated_time_to_regain_access: 3 }],
      }),
      'x-ad-account-usage': JSON.stringify({ acc_id_util_pct: 9.5, reset_time_duration: 0 }),
      'x-fb-ads-insights-throttle': 'not json',
    };
    expect(usageOf(headers)).toEqual({ pct: 81, regainSeconds: 180 });
    expect([17, 4, 613, 80000, 80004, 190, 100].map(isThrottleCode)).toEqual([true, true, true, true, true, false, false]);
  });
});
