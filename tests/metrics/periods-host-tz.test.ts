import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayStart, lastCompletedWeek, localDayOf, weekContaining } from '../../src/metrics/periods.js';

/*
 * The server's own timezone must not leak into org-local periods. These instants are the ones dayjs's timezone
 * plugin gets wrong on a London host (it re-parses wall-clock strings in host time), so they run with TZ changed.
 */
const originalTz = process.env.TZ;

beforeAll(() => {
  process.env.TZ = 'Europe/London';
});

afterAll(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

describe('on a Europe/London host', () => {
  it('really runs in London time', () => {
    expect(new Date('2026-07-01T12:00:00Z').getTimezoneOffset()).toBe(-60);
  });

  it('converts Chicago instants during London DST changes', () => {
    expect(localDayOf('2026-03-29T05:30:00Z', 'America/Chicago')).toBe('2026-03-29');
    expect(localDayOf('2026-03-29T04:59:59.999Z', 'America/Chicago')).toBe('2026-03-28');
    // A zone-less timestamp is UTC here too, not London time.
    expect(localDayOf('2026-07-01 00:30:00', 'UTC')).toBe('2026-07-01');
    expect(dayStart('2026-10-25', 'America/Chicago').toISOString()).toBe('2026-10-25T05:00:00.000Z');
    expect(dayStart('2026-03-08', 'America/Chicago').toISOString()).toBe('2026-03-08T06:00:00.000Z');
    expect(dayStart('2026-11-01', 'America/Chicago').toISOString()).toBe('2026-11-01T05:00:00.000Z');
  });

  it('builds the same weeks as anywhere else', () => {
    const settings = { timezone: 'America/Chicago', weekStart: 'monday' } as const;
    expect(weekContaining('2026-10-25', settings)).toMatchObject({
      startAt: '2026-10-19T05:00:00.000Z',
      endAt: '2026-10-26T05:00:00.000Z',
    });
    expect(lastCompletedWeek(new Date('2026-11-09T06:00:00Z'), settings).start).toBe('2026-11-02');
    expect(dayStart('2026-03-29', 'Asia/Kolkata').toISOString()).toBe('2026-03-28T18:30:00.000Z');
  });
});
