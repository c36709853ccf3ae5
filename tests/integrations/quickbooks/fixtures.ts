import { readFileSync } from 'node:fs';

/**
 * QuickBooks Online bodies for the tests; provenance of each in fixtures/_sources.json.
 *
 * The fixture week is Thu 2026-10-29 … Wed 2026-11-04, which contains the end of DST in America/Chicago
 * (Sun 2026-11-01 is 25 hours long). The report's day columns are calendar dates, so the 25-hour day is simply the
 * column "2026-11-01"; nothing is converted.
 *
 * Per day (Income / COGS + Expenses + OtherExpenses / NetIncome; "" in the report means nothing that day):
 *   10-29  1200.00 /  750.25 (300.00 + 450.25)          /  449.75
 *   10-30   850.50 /  330.00 (210.00 + 120.00)          /  520.50
 *   10-31     ""   /   75.00 (Expenses only)            /  -75.00
 *   11-01   310.25 /   40.00 (Expenses only; DST ends)  /  270.25
 *   11-02  2400.00 / 1992.90 (600.00 + 1380.40 + 12.50) /  407.10
 *   11-03  1975.10 /  790.00 (490.00 + 300.00)          / 1210.10  (includes 25.00 OtherIncome, not revenue)
 *   11-04   640.15 /  255.15 (160.05 + 95.10)           /  385.00
 * Week: revenue 7376.00, expenses 4233.30, net income 3167.70 → margin 100 × 3167.70 ÷ 7376.00 = 42.94604…%.
 */

const read = (name: string): unknown => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

export const API_HOST = 'https://quickbooks.api.intuit.com';
export const SANDBOX_HOST = 'https://sandbox-quickbooks.api.intuit.com';
export const TOKEN_HOST = 'https://oauth.platform.intuit.com';
export const TOKEN_PATH = '/oauth2/v1/tokens/bearer';
export const REALM_ID = '9130357992456781';
export const REPORT_PATH = `/v3/company/${REALM_ID}/reports/ProfitAndLoss`;
export const COMPANY_INFO_PATH = `/v3/company/${REALM_ID}/companyinfo/${REALM_ID}`;

export const WEEK = ['2026-10-29', '2026-10-30', '2026-10-31', '2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04'];

/** Summarised by Days over the fixture week; every section of the documented GB layout, US-style nesting in Income. */
export function dstWeekReport(): Record<string, unknown> {
  return read('profit-and-loss-days-dst-week.json') as Record<string, unknown>;
}

/** Intuit's reference example, verbatim: summarised by Total, so it has no day columns. */
export function referenceExampleTotal(): Record<string, unknown> {
  return read('intuit-reference-example-total.json') as Record<string, unknown>;
}

const columnTitle = (day: string) =>
  new Date(`${day}T12:00:00Z`).toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });

/**
 * A `NoReportData: true` report over `days`, in the shape recorded in singer-io/tap-quickbooks's report-parser test:
 * a column per day plus Total; section summaries "" per day, computed groups "0.00".
 */
export function noDataReport(days: readonly string[]): Record<string, unknown> {
  const blank = (label: string, perDay: string, total: string) => ({
    ColData: [{ value: label }, ...days.map(() => ({ value: perDay })), { value: total }],
  });
  const section = (group: string, label: string) => ({
    Header: blank(label, '', ''),
    Summary: blank(`Total ${label}`, '', '0.00'),
    type: 'Section',
    group,
  });
  const computed = (group: string, label: string) => ({ Summary: blank(label, '0.00', '0.00'), type: 'Section', group });
  return {
    Header: {
      Time: '2026-11-05T07:12:40-08:00',
      ReportName: 'ProfitAndLoss',
      ReportBasis: 'Accrual',
      StartPeriod: days[0],
      EndPeriod: days[days.length - 1],
      SummarizeColumnsBy: 'Days',
      Currency: 'USD',
      Option: [
        { Name: 'AccountingStandard', Value: 'GAAP' },
        { Name: 'NoReportData', Value: 'true' },
      ],
    },
    Columns: {
      Column: [
        { ColTitle: '', ColType: 'Account', MetaData: [{ Name: 'ColKey', Value: 'account' }] },
        ...days.map((day) => ({
          ColTitle: columnTitle(day),
          ColType: 'Money',
          MetaData: [
            { Name: 'StartDate', Value: day },
            { Name: 'EndDate', Value: day },
            { Name: 'ColKey', Value: columnTitle(day) },
          ],
        })),
        { ColTitle: 'Total', ColType: 'Money', MetaData: [{ Name: 'ColKey', Value: 'total' }] },
      ],
    },
    Rows: {
      Row: [
        section('Income', 'Income'),
        computed('GrossProfit', 'Gross Profit'),
        section('Expenses', 'Expenses'),
        computed('NetOperatingIncome', 'Net Operating Income'),
        computed('NetIncome', 'Net Income'),
      ],
    },
  };
}

/** Intuit's refresh-grant answer (field set of the OAuth 2.0 token endpoint). */
export function tokenResponse(accessToken: string, refreshToken: string) {
  return {
    x_refresh_token_expires_in: 8_726_400,
    refresh_token: refreshToken,
    access_token: accessToken,
    token_type: 'bearer',
    expires_in: 3600,
  };
}

/** Intuit's error envelope, e.g. the 429 throttle fault and the 401 AuthenticationFailed fault. */
export function fault(message: string, detail: string, code: string, type = 'SERVICE') {
  return { Fault: { Error: [{ Message: message, Detail: detail, code }], type }, time: '2026-11-05T07:12:40.123-08:00' };
}

export const companyInfo = {
  CompanyInfo: { CompanyName: 'Northwind Field Services', LegalName: 'Northwind Field Services LLC', Country: 'US', Id: '1' },
  time: '2026-11-05T07:12:40.123-08:00',
};
