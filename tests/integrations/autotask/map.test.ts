import { describe, expect, it } from 'vitest';
import {
  tallyClosed,
  tallyHours,
  tallyOpened,
  valuesFor,
  workDayOf,
  type ClosedTally,
  type HoursTally,
} from '../../../src/integrations/autotask/map.js';
import {
  autotaskQuerySchema,
  autotaskSettingsSchema,
  entityFieldsSchema,
  parseAutotaskInstant,
  zoneInformationSchema,
} from '../../../src/integrations/autotask/schemas.js';

const CHICAGO = 'America/Chicago';

describe('same-day close', () => {
  it('compares local calendar days, not UTC dates', () => {
    const into = new Map<string, ClosedTally>();
    tallyClosed(
      into,
      [
        // Same UTC date, but created 23:30 and closed 00:30 local: two different days.
        { id: 1, createDate: '2026-11-10T05:30:00Z', completedDate: '2026-11-10T06:30:00Z', status: 5 },
        // Different UTC dates, both on the evening of 11-10 local.
        { id: 2, createDate: '2026-11-10T23:00:00Z', completedDate: '2026-11-11T03:00:00Z', status: 5 },
      ],
      CHICAGO,
      5,
    );
    // Ticket 1 was created 11-09 23:30 and closed 11-10 00:30 local; ticket 2 both on 11-10 evening.
    expect(Object.fromEntries(into)).toEqual({ '2026-11-10': { closed: 2, sameDay: 1 } });
  });

  it('skips tickets without a completion or in another status', () => {
    const into = new Map<string, ClosedTally>();
    tallyClosed(
      into,
      [
        { id: 1, createDate: '2026-11-10T15:00:00Z', completedDate: null, status: 5 },
        { id: 2, createDate: '2026-11-10T15:00:00Z', completedDate: '2026-11-10T16:00:00Z', status: 1 },
        { id: 3, createDate: '2026-11-10T15:00:00Z', completedDate: '2026-11-10T16:00:00Z', status: 13 },
      ],
      CHICAGO,
      13,
    );
    expect(Object.fromEntries(into)).toEqual({ '2026-11-10': { closed: 1, sameDay: 1 } });
  });
});

describe('day bucketing', () => {
  it('reads a midnight-UTC dateWorked as its calendar date and converts real instants', () => {
    expect(workDayOf('2026-11-02T00:00:00Z', CHICAGO)).toBe('2026-11-02');
    expect(workDayOf('2026-11-02T00:00:00', CHICAGO)).toBe('2026-11-02');
    expect(workDayOf('2026-11-02T05:30:00Z', CHICAGO)).toBe('2026-11-01');
    expect(workDayOf('2026-11-02T06:00:00.000Z', CHICAGO)).toBe('2026-11-02');
  });

  it('treats datetimes without a zone designator as UTC', () => {
    expect(parseAutotaskInstant('2026-11-02T05:30:00').toISOString()).toBe('2026-11-02T05:30:00.000Z');
    expect(parseAutotaskInstant('2026-11-02T05:30:00.123Z').toISOString()).toBe('2026-11-02T05:30:00.123Z');
    const opened = new Map<string, number>();
    tallyOpened(opened, [{ id: 1, createDate: '2026-11-02T05:59:59.997' }], CHICAGO);
    expect(Object.fromEntries(opened)).toEqual({ '2026-11-01': 1 });
  });

  it('sums billable and total hours per work day', () => {
    const into = new Map<string, HoursTally>();
    tallyHours(
      into,
      [
        { id: 1, resourceID: 7, dateWorked: '2026-11-03T00:00:00Z', hoursWorked: 0.1, isNonBillable: false },
        { id: 2, resourceID: 7, dateWorked: '2026-11-03T00:00:00Z', hoursWorked: 0.2, isNonBillable: false },
        { id: 3, resourceID: 8, dateWorked: '2026-11-03T00:00:00Z', hoursWorked: 0.3, isNonBillable: true },
      ],
      CHICAGO,
    );
    const [value] = valuesFor('utilization', 'utilization', ['2026-11-03'], { hours: into });
    expect(value).toEqual({ metricId: 'utilization', day: '2026-11-03', value: 50, numerator: 0.3, denominator: 0.6 });
  });

  it('yields 0 with a 0/0 ratio on days without data', () => {
    expect(valuesFor('rate', 'same_day_close_rate', ['2026-11-03'], {})).toEqual([
      { metricId: 'rate', day: '2026-11-03', value: 0, numerator: 0, denominator: 0 },
    ]);
    expect(valuesFor('opened', 'tickets_opened', ['2026-11-03'], {})).toEqual([{ metricId: 'opened', day: '2026-11-03', value: 0 }]);
  });
});

describe('schemas', () => {
  it('accept the swagger PascalCase and the live camelCase spellings alike', () => {
    expect(
      zoneInformationSchema.parse({ ZoneName: 'Z', Url: 'https://webservices5.autotask.net/ATServicesRest/', WebUrl: 'w', CI: 1 }).url,
    ).toBe('https://webservices5.autotask.net/ATServicesRest/');
    expect(zoneInformationSchema.parse({ zoneName: 'Z', url: 'https://webservices5.autotask.net/ATServicesRest/' }).url).toBe(
      'https://webservices5.autotask.net/ATServicesRest/',
    );
    const fields = entityFieldsSchema.parse({
      fields: [{ name: 'queueID', isPickList: true, picklistValues: [{ value: '5', label: 'Triage', isActive: true }] }],
    });
    expect(fields.fields[0]?.picklistValues).toEqual([{ value: '5', label: 'Triage', isActive: true }]);
  });

  it('validate settings strictly with defaults', () => {
    expect(autotaskSettingsSchema.parse({ queue: { name: 'Level I Support' } })).toEqual({
      queue: { name: 'Level I Support' },
      complete_status: 5,
      resources: [],
      time_off_billing_codes: [],
      time_off_counts_as_worked: false,
    });
    expect(autotaskSettingsSchema.safeParse({ queue: {} }).success).toBe(false);
    expect(autotaskSettingsSchema.safeParse({ queue: { id: 1 }, queues: [] }).success).toBe(false);
    expect(autotaskSettingsSchema.safeParse({ resources: ['not an email'] }).success).toBe(false);
    expect(autotaskSettingsSchema.safeParse({ rate_limit: { default: { max: 5000, per_seconds: 3600 } } }).success).toBe(true);
    expect(autotaskSettingsSchema.safeParse({ rate_limit: { search: { max: 1, per_seconds: 1 } } }).success).toBe(false);
  });

  it('divide same-day closes by tickets closed by default, or by tickets created when asked', () => {
    expect(autotaskQuerySchema.parse({ kind: 'same_day_close_rate', denominator: 'created' })).toEqual({
      kind: 'same_day_close_rate',
      denominator: 'created',
    });
    expect(autotaskQuerySchema.safeParse({ kind: 'same_day_close_rate', denominator: 'opened' }).success).toBe(false);
    const tallies = {
      opened: new Map([['2026-11-02', 4]]),
      closed: new Map<string, ClosedTally>([['2026-11-02', { closed: 2, sameDay: 1 }]]),
    };
    expect(valuesFor('sdc', 'same_day_close_rate', ['2026-11-02', '2026-11-03'], tallies)).toEqual([
      { metricId: 'sdc', day: '2026-11-02', value: 50, numerator: 1, denominator: 2 },
      // Nothing closed: 0 ÷ 0, which the refresh stores as no value ("no activity"), never 0 %.
      { metricId: 'sdc', day: '2026-11-03', value: 0, numerator: 0, denominator: 0 },
    ]);
    expect(valuesFor('sdc', 'same_day_close_rate', ['2026-11-02'], tallies, 'created')).toEqual([
      { metricId: 'sdc', day: '2026-11-02', value: 25, numerator: 1, denominator: 4 },
    ]);
  });

  it('leave time off (listed billing codes) out of both sides of utilization', () => {
    const hours = new Map<string, HoursTally>();
    const entry = (id: number, hoursWorked: number, isNonBillable: boolean, billingCodeID: number | null) => ({
      id,
      resourceID: 1,
      dateWorked: '2026-11-02T00:00:00',
      hoursWorked,
      isNonBillable,
      billingCodeID,
    });
    tallyHours(
      hours,
      [entry(1, 6, false, 29682801), entry(2, 2, true, null), entry(3, 8, true, 29682833)],
      'America/Chicago',
      new Set([29682833]),
    );
    expect(hours.get('2026-11-02')).toEqual({ billable: 6, total: 8 });
  });

  it('validate queries strictly, discriminated on kind', () => {
    expect(autotaskQuerySchema.parse({ kind: 'utilization' })).toEqual({ kind: 'utilization' });
    expect(autotaskQuerySchema.safeParse({ kind: 'tickets_opened', queue: 3 }).success).toBe(false);
    expect(autotaskQuerySchema.safeParse({ kind: 'tickets_reopened' }).success).toBe(false);
  });
});
