import { describe, expect, it } from 'vitest';
import { chooseWeek, splitQueryAndPeriod } from '../../src/report/period.js';
import { configSchema } from '../../src/config/schema.js';
import type { EvalContext } from '../../src/metrics/context.js';

const config = configSchema.parse({
  org: { name: 'Test Co', timezone: 'America/Chicago' },
  groups: [{ id: 'g', name: 'G', metrics: ['x'] }],
  metrics: { x: { name: 'X', unit: 'count', aggregate: 'sum', source: 'manual', definition: 'd', why: 'w', calculation: 'c' } },
});
// Monday 16 Nov 2026, 00:30 in Chicago: week 2026-W47 has just begun, 2026-W46 is the last completed one.
const ctx: EvalContext = {
  config,
  now: new Date('2026-11-16T06:30:00Z'),
  periods: { timezone: 'America/Chicago', weekStart: 'monday' },
  isConnected: () => true,
};

describe('chooseWeek', () => {
  it('defaults to the last completed week, not explicitly chosen', () => {
    expect(chooseWeek('', ctx)).toMatchObject({ ok: true, explicit: false, week: { label: '2026-W46', start: '2026-11-09' } });
  });

  it('reads week labels (any case), days, last-week and this-week', () => {
    expect(chooseWeek('2026-w44', ctx)).toMatchObject({ ok: true, explicit: true, week: { label: '2026-W44' } });
    expect(chooseWeek('2026-11-20', ctx)).toMatchObject({ ok: true, week: { label: '2026-W47' } });
    expect(chooseWeek('last-week', ctx)).toMatchObject({ ok: true, explicit: true, week: { label: '2026-W46' } });
    expect(chooseWeek('this-week', ctx)).toMatchObject({ ok: true, week: { label: '2026-W47', start: '2026-11-16' } });
  });

  it('explains what it accepts when it can’t read the period', () => {
    for (const bad of ['yesterday', '2026-W60', '2026-13-01']) {
      const choice = chooseWeek(bad, ctx);
      expect(choice.ok).toBe(false);
      if (!choice.ok)
        expect(choice.message).toBe(
          `"${bad}" isn't a period I know. Use a week like 2026-W47, a day like 2026-11-20, last-week or this-week.`,
        );
    }
  });
});

describe('splitQueryAndPeriod', () => {
  it('takes a trailing period off the metric query', () => {
    expect(splitQueryAndPeriod('close rate 2026-W44')).toEqual({ query: 'close rate', period: '2026-W44' });
    expect(splitQueryAndPeriod('  cash   last-week ')).toEqual({ query: 'cash', period: 'last-week' });
    expect(splitQueryAndPeriod('close rate')).toEqual({ query: 'close rate', period: undefined });
    // A lone period-looking word is the query itself.
    expect(splitQueryAndPeriod('2026-W44')).toEqual({ query: '2026-W44', period: undefined });
  });
});
