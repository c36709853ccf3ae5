import { describe, expect, it } from 'vitest';
import { businessHoursBetween, type BusinessHours } from '../../../src/integrations/support-hours.js';

const TZ = 'America/Chicago';
const weekdays: BusinessHours = {
  week: {
    monday: ['09:00', '17:00'],
    tuesday: ['09:00', '17:00'],
    wednesday: ['09:00', '17:00'],
    thursday: ['09:00', '17:00'],
    friday: ['09:00', '17:00'],
  },
  holidays: ['2026-11-26'],
};

describe('businessHoursBetween', () => {
  it('counts the open part of a single day', () => {
    // Mon 2026-11-16 08:00 → 15:30 CST: opens at 09:00.
    expect(businessHoursBetween('2026-11-16T14:00:00Z', '2026-11-16T21:30:00Z', weekdays, TZ)).toBe(6.5);
  });

  it('skips the weekend', () => {
    // Fri 16:00 CST → Mon 10:00 CST.
    expect(businessHoursBetween('2026-11-20T22:00:00Z', '2026-11-23T16:00:00Z', weekdays, TZ)).toBe(2);
  });

  it('skips holidays', () => {
    // Wed 2026-11-25 16:00 → Fri 10:00 CST, Thanksgiving closed.
    expect(businessHoursBetween('2026-11-25T22:00:00Z', '2026-11-27T16:00:00Z', weekdays, TZ)).toBe(2);
  });

  it('gives a DST day its real length', () => {
    const always: BusinessHours = { week: { sunday: ['00:00', '24:00'] }, holidays: [] };
    // Sunday 2026-11-01 in Chicago runs from 05:00Z to 06:00Z the next day: 25 hours.
    expect(businessHoursBetween('2026-11-01T05:00:00Z', '2026-11-02T06:00:00Z', always, TZ)).toBe(25);
    // Opening hours are local wall-clock times on both sides of the change.
    const sundayNine: BusinessHours = { week: { sunday: ['09:00', '10:00'] }, holidays: [] };
    expect(businessHoursBetween('2026-11-01T14:00:00Z', '2026-11-01T16:00:00Z', sundayNine, TZ)).toBe(1);
    expect(businessHoursBetween('2026-11-01T14:00:00Z', '2026-11-01T15:00:00Z', sundayNine, TZ)).toBe(0);
  });

  it('is zero for an empty or reversed interval', () => {
    expect(businessHoursBetween('2026-11-16T18:00:00Z', '2026-11-16T18:00:00Z', weekdays, TZ)).toBe(0);
    expect(businessHoursBetween('2026-11-16T19:00:00Z', '2026-11-16T18:00:00Z', weekdays, TZ)).toBe(0);
  });

  it('rejects a malformed opening time', () => {
    const broken: BusinessHours = { week: { monday: ['9am', '17:00'] }, holidays: [] };
    expect(() => businessHoursBetween('2026-11-16T14:00:00Z', '2026-11-16T21:30:00Z', broken, TZ)).toThrow(/9am/);
  });
});
