import type { ExportRow } from '../report/export.js';

/**
 * RFC 4180 CSV: CRLF line ends, a field quoted when it holds a comma, quote, CR or LF, quotes doubled. A text cell
 * that a spreadsheet would read as a formula (starting with =, +, -, @, or a tab or CR that some strip first) gets a
 * leading apostrophe (OWASP's advice against CSV injection). Numbers are written as numbers and left alone.
 */

export const CSV_HEADER = ['metric_id', 'metric_name', 'period', 'value', 'numerator', 'denominator', 'goal', 'status', 'as_of'];

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvText(text: string): string {
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csvNumber(value: number | null): string {
  return value === null || !Number.isFinite(value) ? '' : String(value);
}

export function toCsv(rows: readonly ExportRow[]): string {
  const lines = [CSV_HEADER.join(',')];
  for (const row of rows) {
    lines.push(
      [
        csvText(row.metricId),
        csvText(row.metricName),
        csvText(row.period),
        csvNumber(row.value),
        csvNumber(row.numerator),
        csvNumber(row.denominator),
        csvText(row.goal),
        csvText(row.status),
        csvText(row.asOf ?? ''),
      ].join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
