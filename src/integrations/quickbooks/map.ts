import type { LocalDay } from '../../metrics/types.js';
import { SourceError } from '../errors.js';
import type { CollectedValue } from '../source.js';
import { SOURCE_ID } from './tokens.js';
import type { ProfitAndLossReport, QuickBooksQueryKind, ReportRow } from './schemas.js';

/**
 * Pure mapping from a profit and loss report summarised by day to daily values.
 *
 * No timezone arithmetic happens here, on purpose. QuickBooks dates every transaction with a calendar date in the
 * company's books (TxnDate, no time of day), and a `summarize_column_by=Days` report has one column per such date,
 * named in its `StartDate`/`EndDate` metadata. A column therefore already is a local day: "2026-11-01" is the whole
 * of that day however many hours it had (25 in America/Chicago, when DST ends). Converting would only risk moving
 * amounts across midnight. The org timezone matters only upstream, in deciding which days the refresh asks for.
 */

/** Sections whose summaries are expenses, where present (the US layout has all three; others may lack some). */
export const EXPENSE_GROUPS = ['COGS', 'Expenses', 'OtherExpenses'] as const;

/** One day of the report, in integer cents so sums never drift. */
export interface DayFigures {
  incomeCents: number;
  expenseCents: number;
  netIncomeCents: number;
}

const ZERO: DayFigures = { incomeCents: 0, expenseCents: 0, netIncomeCents: 0 };

function badResponse(message: string): SourceError {
  return new SourceError('bad_response', SOURCE_ID, `ProfitAndLoss report: ${message}`);
}

/** `"1234.56"`, `"-100.00"` or `""` (nothing that day) → integer cents, parsed from the digits, not via floats. */
export function moneyCents(text: string | undefined, where: string): number {
  const value = (text ?? '').trim();
  if (value === '') return 0;
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(value.replace(/,/g, ''));
  if (!match) throw badResponse(`${where}: "${value.slice(0, 40)}" is not an amount`);
  const [, sign, whole, fraction = ''] = match;
  const cents = Number(whole) * 100 + Math.round(Number(`0.${fraction || '0'}`) * 100);
  return sign ? -cents : cents;
}

export function hasNoReportData(report: ProfitAndLossReport): boolean {
  const option = report.Header.Option?.find((pair) => pair.name === 'NoReportData');
  return option?.value?.trim().toLowerCase() === 'true';
}

/** Column index → the day it covers, for every single-day column (the Account column and Total have no dates). */
export function dayColumns(report: ProfitAndLossReport): Map<number, LocalDay> {
  const columns = new Map<number, LocalDay>();
  report.Columns.Column.forEach((column, index) => {
    const meta = (name: string) => column.MetaData?.find((pair) => pair.name === name)?.value;
    const start = meta('StartDate');
    if (start === undefined) return;
    if (meta('EndDate') !== start) throw badResponse(`column "${column.ColTitle ?? index}" spans ${start}…${meta('EndDate')}, not one day`);
    columns.set(index, start);
  });
  return columns;
}

/** The first section (depth first) whose `group` is `group`: sections are found by name, never by position. */
export function findSection(rows: readonly ReportRow[] | undefined, group: string): ReportRow | undefined {
  for (const row of rows ?? []) {
    if (row.group === group) return row;
    const nested = findSection(row.Rows?.Row, group);
    if (nested) return nested;
  }
  return undefined;
}

function topLevelGroups(report: ProfitAndLossReport): string {
  const groups = (report.Rows?.Row ?? []).map((row) => row.group).filter((group): group is string => Boolean(group));
  return groups.length > 0 ? groups.join(', ') : 'none';
}

/** A section's summary amount in one column; an absent section is 0. */
function sectionCents(section: ReportRow | undefined, group: string, index: number): number {
  if (!section) return 0;
  const cells = section.Summary?.ColData;
  if (!cells) throw badResponse(`section ${group} has no Summary`);
  const cell = cells[index];
  if (!cell) throw badResponse(`section ${group} has ${cells.length} summary cells, column ${index} is missing`);
  return moneyCents(cell.value, `${group} summary, column ${index}`);
}

/**
 * Income, expenses and net income for each of `days`. A report flagged `NoReportData` is zero on every day; any
 * other report must have a column for each day asked for and a `NetIncome` section.
 */
export function dailyFigures(report: ProfitAndLossReport, days: readonly LocalDay[]): Map<LocalDay, DayFigures> {
  const figures = new Map<LocalDay, DayFigures>();
  if (hasNoReportData(report)) {
    for (const day of days) figures.set(day, { ...ZERO });
    return figures;
  }
  const columnOf = new Map([...dayColumns(report)].map(([index, day]) => [day, index]));
  const rows = report.Rows?.Row;
  const income = findSection(rows, 'Income');
  const expenses = EXPENSE_GROUPS.map((group) => ({ group, section: findSection(rows, group) }));
  const netIncome = findSection(rows, 'NetIncome');
  if (!netIncome) throw badResponse(`no NetIncome section (sections: ${topLevelGroups(report)})`);

  for (const day of days) {
    const index = columnOf.get(day);
    if (index === undefined) {
      throw badResponse(`no column for ${day} (${report.Header.SummarizeColumnsBy ?? 'unknown'} columns, ${columnOf.size} dated)`);
    }
    figures.set(day, {
      incomeCents: sectionCents(income, 'Income', index),
      expenseCents: expenses.reduce((total, { group, section }) => total + sectionCents(section, group, index), 0),
      netIncomeCents: sectionCents(netIncome, 'NetIncome', index),
    });
  }
  return figures;
}

const dollars = (cents: number): number => cents / 100;

function round(value: number, digits = 4): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** One value per metric and day; the margin carries its parts so periods are Σ net income ÷ Σ revenue. */
export function valuesFor(
  metricId: string,
  kind: QuickBooksQueryKind,
  days: readonly LocalDay[],
  figures: ReadonlyMap<LocalDay, DayFigures>,
): CollectedValue[] {
  return days.map((day) => valueOn(metricId, kind, day, figures.get(day) ?? ZERO));
}

function valueOn(metricId: string, kind: QuickBooksQueryKind, day: LocalDay, figure: DayFigures): CollectedValue {
  switch (kind) {
    case 'revenue':
      return { metricId, day, value: dollars(figure.incomeCents) };
    case 'expenses':
      return { metricId, day, value: dollars(figure.expenseCents) };
    case 'profit_margin': {
      const numerator = dollars(figure.netIncomeCents);
      const denominator = dollars(figure.incomeCents);
      const value = figure.incomeCents !== 0 ? round((100 * figure.netIncomeCents) / figure.incomeCents) : 0;
      return { metricId, day, value, numerator, denominator };
    }
  }
}
