import { describe, expect, it } from 'vitest';
import type { WeeklyScorecard } from '../../src/report/weekly.js';
import { parseExportRange } from '../../src/report/export.js';
import { csvText, toCsv } from '../../src/web/csv.js';
import { pdfSafe, ROWS_PER_PAGE, weeklyPdf } from '../../src/web/pdf.js';

describe('CSV (RFC 4180)', () => {
  it('quotes fields with commas, quotes and line breaks, doubles quotes, and ends lines with CRLF', () => {
    const csv = toCsv([
      {
        metricId: 'a',
        metricName: 'Name, with "quotes"\nand a line',
        period: '2026-W47',
        value: -3.5,
        numerator: null,
        denominator: null,
        goal: '≥ 1',
        status: 'red',
        asOf: null,
      },
    ]);
    expect(csv).toBe(
      'metric_id,metric_name,period,value,numerator,denominator,goal,status,as_of\r\na,"Name, with ""quotes""\nand a line",2026-W47,-3.5,,,≥ 1,red,\r\n',
    );
  });

  it('escapes text cells a spreadsheet would run as a formula; numbers stay numbers', () => {
    for (const evil of ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1']) expect(csvText(evil).replace(/^"/, '')).toMatch(/^'/);
    expect(csvText('=cmd|"/c calc"!A1')).toBe(`"'=cmd|""/c calc""!A1"`);
    expect(csvText('plain')).toBe('plain');
  });

  it('checks the export range', () => {
    expect(parseExportRange('2026-11-01', '2026-11-30', undefined)).toEqual({
      ok: true,
      from: '2026-11-01',
      to: '2026-11-30',
      grain: 'week',
    });
    expect(parseExportRange('2026-11-30', '2026-11-01', 'day')).toMatchObject({ ok: false });
    expect(parseExportRange('2026-11-01', '2026-11-30', 'month')).toMatchObject({
      ok: false,
      message: 'grain is week or day — got "month".',
    });
    expect(parseExportRange('2020-01-01', '2026-11-30', 'day')).toMatchObject({ ok: false });
    expect(parseExportRange('yesterday', '2026-11-30', 'day')).toMatchObject({ ok: false });
  });
});

describe('PDF', () => {
  const row = (i: number) => ({
    id: `m${i}`,
    name: `Metric ${i}`,
    owner: 'owner@example.com',
    ownerName: 'Owner',
    source: 'sample',
    unit: 'count' as const,
    goal: '≥ 5',
    goalSpec: { op: '>=' as const, value: 5 },
    basis: 'green' as const,
    lastWeekBasis: 'green' as const,
    redWeeks: 0,
    thisWeek: String(i),
    lastWeek: '1',
    qtdAvg: '2',
    trend: '',
    status: 'green' as const,
    reason: '',
    staleHours: null,
    connection: 'connected' as const,
    values: { thisWeek: i, lastWeek: 1, qtdAvg: 2, trend: [], trendGoals: [] },
    asOf: null,
  });
  const view = (rows: number): WeeklyScorecard => ({
    kind: 'weekly',
    org: 'Test Co',
    period: { label: '2026-W47', start: '2026-11-16', end: '2026-11-22', timezone: 'UTC', startAt: '', endAt: '' },
    generatedAt: '2026-11-23T08:00:00.000Z',
    summary: { green: rows, yellow: 0, red: 0, no_data: 0, no_goal: 0, stale: 0 },
    trendWeeks: [],
    attention: { red: [], changed: [], stale: [], missing: [], movers: [] },
    groups: [{ id: 'g', name: 'Group', rows: Array.from({ length: rows }, (_, i) => row(i)) }],
    freshness: { oldestAsOf: null, stale: [], notConnected: [] },
  });
  const pages = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;

  it(`puts at most ${ROWS_PER_PAGE} rows on a page, landscape`, async () => {
    expect(pages(await weeklyPdf(view(10)))).toBe(1);
    const long = await weeklyPdf(view(100));
    expect(pages(long)).toBe(Math.ceil(101 / ROWS_PER_PAGE));
    expect(long.toString('latin1')).toContain('/MediaBox [0 0 792 612]');
  });

  it('spells symbols the built-in fonts lack', () => {
    expect(pdfSafe('≥ 70 % · ∞ (no sends) 🟢')).toBe('>= 70 % · inf (no sends) ');
  });
});
