import { addDays, daysInRange, isValidDay } from '../../metrics/periods.js';
import type { LocalDay } from '../../metrics/types.js';
import { SourceError } from '../errors.js';
import type { CollectedValue } from '../source.js';
import type { Field, Row } from './schemas.js';

/** Pure reading of query results: the column contract, query parameters and rows → daily values. */

export const SOURCE_ID = 'bigquery';
const NUMERIC_TYPES = new Set(['FLOAT', 'FLOAT64', 'INTEGER', 'INT64', 'NUMERIC', 'BIGNUMERIC']);

function configError(metricId: string, message: string): SourceError {
  return new SourceError('config', SOURCE_ID, `metrics.${metricId}.query.sql: ${message}`);
}

/** Column positions of `day`, `value` and the optional ratio parts, checked against the result schema. */
export interface Columns {
  day: number;
  value: number;
  numerator?: number;
  denominator?: number;
}

export function columnsOf(metricId: string, fields: readonly Field[]): Columns {
  const find = (name: string) => fields.findIndex((field) => field.name.toLowerCase() === name);
  const expect = (name: string, ok: (type: string) => boolean, wanted: string, required: boolean): number | undefined => {
    const index = find(name);
    if (index < 0) {
      if (!required) return undefined;
      throw configError(
        metricId,
        `the result has no "${name}" column (columns: ${fields.map((f) => `${f.name} ${f.type}`).join(', ') || 'none'}); return day DATE, value FLOAT64`,
      );
    }
    const field = fields[index]!;
    if (field.mode === 'REPEATED' || !ok(field.type))
      throw configError(metricId, `column "${name}" is ${field.mode === 'REPEATED' ? 'REPEATED ' : ''}${field.type}, not ${wanted}`);
    return index;
  };
  const numeric = (type: string) => NUMERIC_TYPES.has(type);
  const columns: Columns = {
    day: expect('day', (type) => type === 'DATE', 'DATE', true)!,
    value: expect('value', numeric, 'a number (FLOAT64)', true)!,
  };
  const numerator = expect('numerator', numeric, 'a number', false);
  const denominator = expect('denominator', numeric, 'a number', false);
  if ((numerator === undefined) !== (denominator === undefined))
    throw configError(metricId, 'return both numerator and denominator, or neither');
  return numerator === undefined ? columns : { ...columns, numerator, denominator };
}

export interface QueryParameter {
  name: string;
  parameterType: { type: 'DATE' | 'STRING' };
  parameterValue: { value: string };
}

/** The named parameters the SQL uses, among `@from`, `@to` (DATE) and `@timezone` (STRING). */
export function queryParameters(sql: string, from: LocalDay, to: LocalDay, timezone: string): QueryParameter[] {
  for (const day of [from, to]) if (!isValidDay(day)) throw new SourceError('config', SOURCE_ID, `not a day: ${JSON.stringify(day)}`);
  const all: QueryParameter[] = [
    { name: 'from', parameterType: { type: 'DATE' }, parameterValue: { value: from } },
    { name: 'to', parameterType: { type: 'DATE' }, parameterValue: { value: to } },
    { name: 'timezone', parameterType: { type: 'STRING' }, parameterValue: { value: timezone } },
  ];
  return all.filter((parameter) => new RegExp(`@${parameter.name}\\b`, 'i').test(sql));
}

function numberCell(metricId: string, row: Row, index: number, name: string, day: string): number | null {
  const cell = row.f[index]?.v ?? null;
  if (cell === null) return null;
  const value = Number(cell);
  if (!Number.isFinite(value)) throw new SourceError('bad_response', SOURCE_ID, `metrics.${metricId}: ${name} on ${day} is not a number`);
  return value;
}

/** Adds a page of rows to `byDay`, keeping only days of `[from, to]`; a day twice is the query's mistake. */
export function addRows(
  metricId: string,
  rows: readonly Row[],
  columns: Columns,
  from: LocalDay,
  to: LocalDay,
  byDay: Map<LocalDay, CollectedValue>,
) {
  for (const row of rows) {
    const day = row.f[columns.day]?.v;
    if (!day || !isValidDay(day)) throw configError(metricId, `a row has day ${JSON.stringify(day ?? null)}, not a DATE`);
    if (day < from || day > to) continue;
    if (byDay.has(day)) throw configError(metricId, `day ${day} appears twice: group by day`);
    const value = numberCell(metricId, row, columns.value, 'value', day);
    if (value === null) continue;
    const entry: CollectedValue = { metricId, day, value };
    if (columns.numerator !== undefined && columns.denominator !== undefined) {
      entry.numerator = numberCell(metricId, row, columns.numerator, 'numerator', day);
      entry.denominator = numberCell(metricId, row, columns.denominator, 'denominator', day);
    }
    byDay.set(day, entry);
  }
}

export function dailyValues(
  metricId: string,
  from: LocalDay,
  to: LocalDay,
  byDay: ReadonlyMap<LocalDay, CollectedValue>,
  missing: 'zero' | 'skip',
  ratio: boolean,
): CollectedValue[] {
  return daysInRange(from, addDays(to, 1)).flatMap((day): CollectedValue[] => {
    const found = byDay.get(day);
    if (found) return [found];
    if (missing === 'skip') return [];
    return [ratio ? { metricId, day, value: 0, numerator: 0, denominator: 0 } : { metricId, day, value: 0 }];
  });
}
