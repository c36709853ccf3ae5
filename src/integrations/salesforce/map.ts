import { addDays, daysInRange, localDayOf } from '../../metrics/periods.js';
import type { LocalDay } from '../../metrics/types.js';
import { SourceError } from '../errors.js';
import type { CollectedValue } from '../source.js';
import type { SalesforceRecord } from './schemas.js';
import { SOURCE_ID } from './soql.js';

/**
 * Pure reading of query records. A Date field (`CloseDate: "2026-11-01"`) already is a local calendar day; a
 * datetime (`CreatedDate: "2026-11-01T05:30:00.000+0000"`) is an instant, placed on its org-local day.
 */

function badField(metricId: string, path: string, problem: string): SourceError {
  // A field the SOQL does not select, or of another type, is the catalog's mistake, not Salesforce's.
  return new SourceError('config', SOURCE_ID, `metrics.${metricId}.query: ${path} ${problem}`);
}

function fieldAt(record: SalesforceRecord, path: string): unknown {
  let value: unknown = record;
  for (const part of path.split('.')) {
    if (value === null || value === undefined) return null;
    if (typeof value !== 'object') return undefined;
    const object = value as Record<string, unknown>;
    // Salesforce keeps the API name's case; tolerate a catalog spelled in another case.
    const key = part in object ? part : Object.keys(object).find((name) => name.toLowerCase() === part.toLowerCase());
    if (key === undefined) return undefined;
    value = object[key];
  }
  return value;
}

/** A numeric field; null (no value on that record) counts as 0. */
export function numberField(record: SalesforceRecord, path: string, metricId: string): number {
  const value = fieldAt(record, path);
  if (value === undefined) throw badField(metricId, path, 'is not in the records: select it in the SOQL');
  if (value === null) return 0;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw badField(metricId, path, `is not a number (${typeof value})`);
  return value;
}

export function dayField(record: SalesforceRecord, path: string, metricId: string, timezone: string): LocalDay | undefined {
  const value = fieldAt(record, path);
  if (value === undefined) throw badField(metricId, path, 'is not in the records: select it in the SOQL');
  if (value === null) return undefined;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    if (!Number.isNaN(ms)) return localDayOf(new Date(ms), timezone);
  }
  throw badField(metricId, path, 'is not a date or datetime');
}

/** Σ per day, in integer hundred-thousandths so currency sums do not drift. */
export type DayTotals = Map<LocalDay, number>;
const SCALE = 100_000;

export function addToDay(totals: DayTotals, day: LocalDay, amount: number): void {
  totals.set(day, (totals.get(day) ?? 0) + Math.round(amount * SCALE));
}

export function dayValues(metricId: string, from: LocalDay, to: LocalDay, totals: DayTotals): CollectedValue[] {
  return daysInRange(from, addDays(to, 1)).map((day) => ({ metricId, day, value: (totals.get(day) ?? 0) / SCALE }));
}

export function scaledSum(amounts: Iterable<number>): number {
  let total = 0;
  for (const amount of amounts) total += Math.round(amount * SCALE);
  return total / SCALE;
}

/** `Sforce-Limit-Info: api-usage=18/5000` → `{ used: 18, limit: 5000 }`. */
export function parseApiUsage(header: string | undefined): { used: number; limit: number } | undefined {
  const match = /(?:^|[,\s])api-usage=(\d+)\/(\d+)/.exec(header ?? '');
  if (!match) return undefined;
  const limit = Number(match[2]);
  return limit > 0 ? { used: Number(match[1]), limit } : undefined;
}
