import type { RefreshSummary } from './refresh.js';

/** The table `scorecard refresh` prints: one aligned row per source. */
export function formatRefreshSummary(summary: RefreshSummary): string {
  const header = ['source', 'status', 'calls', '429s', 'values', 'time', 'error'];
  const rows = summary.results.map((r) => [
    r.source,
    r.status.replace('_', ' '),
    String(r.calls),
    String(r.rateLimited),
    String(r.valuesWritten),
    r.status === 'ok' || r.status === 'failed' ? `${(r.durationMs / 1000).toFixed(1)}s` : '',
    r.error ? `${r.errorClass}: ${r.error}` : (r.detail ?? ''),
  ]);
  const numeric = new Set([2, 3, 4, 5]);
  const widths = header.map((title, col) => Math.max(title.length, ...rows.map((row) => row[col]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, col) => (col === cells.length - 1 ? cell : numeric.has(col) ? cell.padStart(widths[col]!) : cell.padEnd(widths[col]!)))
      .join('  ')
      .trimEnd();
  const failed = summary.results.filter((r) => r.status === 'failed').length;
  const footer = `${summary.from} → ${summary.to}: ${summary.results.length - failed} of ${summary.results.length} sources without failure`;
  return [line(header), ...rows.map(line), footer, ...lateLines(summary)].join('\n');
}

/** "12 old days corrected (autotask: 2 tickets reopened, 1 ticket moved out of the queue)", when a cursor found any. */
function lateLines(summary: RefreshSummary): string[] {
  const touched = summary.results.filter((r) => r.late && r.late.recollected.length > 0);
  if (touched.length === 0) return [];
  const corrected = new Set(touched.flatMap((r) => r.late!.corrected)).size;
  const why = touched
    .map(
      (r) => `${r.source}: ${r.late!.reasons.length > 0 ? r.late!.reasons.join(', ') : `${r.late!.recollected.length} days re-collected`}`,
    )
    .join('; ');
  return [`${corrected} old day${corrected === 1 ? '' : 's'} corrected (${why})`];
}
