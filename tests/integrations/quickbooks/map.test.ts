import { describe, expect, it } from 'vitest';
import { aggregate } from '../../../src/metrics/aggregate.js';
import { dailyFigures, dayColumns, findSection, moneyCents, valuesFor } from '../../../src/integrations/quickbooks/map.js';
import { reportSchema, type ProfitAndLossReport, type ReportRow } from '../../../src/integrations/quickbooks/schemas.js';
import { dstWeekReport, noDataReport, referenceExampleTotal, WEEK } from './fixtures.js';

const parse = (body: unknown): ProfitAndLossReport => reportSchema.parse(body);
const byDay = (values: { day: string }[], pick: (v: never) => unknown) => Object.fromEntries(values.map((v) => [v.day, pick(v as never)]));

describe('QuickBooks profit and loss mapping', () => {
  it('maps each day column of the DST week to exact revenue, expenses and margin parts', () => {
    const figures = dailyFigures(parse(dstWeekReport()), WEEK);

    expect(byDay(valuesFor('revenue', 'revenue', WEEK, figures), (v: { value: number }) => v.value)).toEqual({
      '2026-10-29': 1200,
      '2026-10-30': 850.5,
      '2026-10-31': 0,
      '2026-11-01': 310.25,
      '2026-11-02': 2400,
      '2026-11-03': 1975.1,
      '2026-11-04': 640.15,
    });
    expect(byDay(valuesFor('expenses', 'expenses', WEEK, figures), (v: { value: number }) => v.value)).toEqual({
      '2026-10-29': 750.25,
      '2026-10-30': 330,
      '2026-10-31': 75,
      '2026-11-01': 40,
      '2026-11-02': 1992.9,
      '2026-11-03': 790,
      '2026-11-04': 255.15,
    });
    const margin = valuesFor('profit_margin', 'profit_margin', WEEK, figures);
    expect(byDay(margin, (v: { value: number; numerator: number; denominator: number }) => [v.value, v.numerator, v.denominator])).toEqual({
      '2026-10-29': [37.4792, 449.75, 1200],
      '2026-10-30': [61.1993, 520.5, 850.5],
      '2026-10-31': [0, -75, 0],
      '2026-11-01': [87.1072, 270.25, 310.25],
      '2026-11-02': [16.9625, 407.1, 2400],
      '2026-11-03': [61.2678, 1210.1, 1975.1],
      '2026-11-04': [60.1422, 385, 640.15],
    });

    // The engine's week: Σ net income ÷ Σ revenue, never a mean of daily margins.
    const week = aggregate(margin, 'ratio', 'percent');
    expect(week.numerator).toBe(3167.7);
    expect(week.denominator).toBe(7376);
    expect(week.value).toBeCloseTo(42.946041, 6);
    expect(aggregate(valuesFor('e', 'expenses', WEEK, figures), 'sum', 'currency').value).toBe(4233.3);
    expect(aggregate(valuesFor('r', 'revenue', WEEK, figures), 'sum', 'currency').value).toBe(7376);
  });

  it('takes the columns from the report: the DST day is simply the column dated 2026-11-01', () => {
    const columns = dayColumns(parse(dstWeekReport()));
    expect([...columns]).toEqual(WEEK.map((day, i) => [i + 1, day]));
  });

  it('finds sections by group wherever they sit, and treats absent expense sections as zero', () => {
    const body = dstWeekReport() as { Rows: { Row: ReportRow[] } };
    const rows = body.Rows.Row;
    const without = (group: string) => rows.filter((row) => row.group !== group);
    // Reversed order, COGS removed, NetIncome tucked inside a wrapper section.
    const netIncome = rows.find((row) => row.group === 'NetIncome')!;
    const reshaped = {
      ...body,
      Rows: {
        Row: [
          { type: 'Section', Rows: { Row: [netIncome] } },
          ...without('COGS')
            .filter((row) => row !== netIncome)
            .reverse(),
        ],
      },
    };
    const figures = dailyFigures(parse(reshaped), WEEK);
    expect(figures.get('2026-11-02')).toEqual({ incomeCents: 240_000, expenseCents: 139_290, netIncomeCents: 40_710 });
    expect(figures.get('2026-10-29')).toEqual({ incomeCents: 120_000, expenseCents: 45_025, netIncomeCents: 44_975 });
    expect(findSection(parse(reshaped).Rows?.Row, 'COGS')).toBeUndefined();
  });

  it('gives zeros on every day of a NoReportData report', () => {
    const figures = dailyFigures(parse(noDataReport(WEEK)), WEEK);
    expect([...figures.values()]).toEqual(WEEK.map(() => ({ incomeCents: 0, expenseCents: 0, netIncomeCents: 0 })));
    expect(valuesFor('m', 'profit_margin', ['2026-11-01'], figures)).toEqual([
      { metricId: 'm', day: '2026-11-01', value: 0, numerator: 0, denominator: 0 },
    ]);
  });

  it('rejects a report without a column for a requested day (Intuit reference example, summarised by Total)', () => {
    const report = parse(referenceExampleTotal());
    expect(findSection(report.Rows?.Row, 'Income')?.Summary?.ColData[1]?.value).toBe('325.00');
    expect(() => dailyFigures(report, ['2015-06-01'])).toThrow(
      /bad_response: ProfitAndLoss report: no column for 2015-06-01 \(Total columns, 0 dated\)/,
    );
  });

  it('rejects a report with no NetIncome section', () => {
    const body = dstWeekReport() as { Rows: { Row: ReportRow[] } };
    const broken = { ...body, Rows: { Row: body.Rows.Row.filter((row) => row.group !== 'NetIncome') } };
    expect(() => dailyFigures(parse(broken), WEEK)).toThrow(/no NetIncome section \(sections: Income, COGS, GrossProfit, Expenses/);
  });

  it('parses amounts to exact cents', () => {
    expect(moneyCents('1975.10', 'x')).toBe(197_510);
    expect(moneyCents('-100.00', 'x')).toBe(-10_000);
    expect(moneyCents('0.29', 'x')).toBe(29);
    expect(moneyCents('', 'x')).toBe(0);
    expect(moneyCents(undefined, 'x')).toBe(0);
    expect(() => moneyCents('$12', 'Income summary, column 3')).toThrow(/Income summary, column 3: "\$12" is not an amount/);
  });
});
