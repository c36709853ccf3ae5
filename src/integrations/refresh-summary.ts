import type { MetricRunFailure, RefreshSummary, SourceRunSummary } from './refresh.js';

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
    r.error ? `${r.errorClass}: ${r.error}` : r.failedMetrics ? metricFailuresText(r.failedMetrics) : (r.detail ?? ''),
  ]);
  const numeric = new Set([2, 3, 4, 5]);
  const widths = header.map((title, col) => Math.max(title.length, ...rows.map((row) => row[col]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, col) => (col === cells.length - 1 ? cell : numeric.has(col) ? cell.padStart(widths[col]!) : cell.padEnd(widths[col]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line), refreshFooter(summary), ...lateLines(summary)].join('\n');
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

/** "1 metric failed: warm250_dials (config: list 123 not found)" for the summary's error column. */
function metricFailuresText(failures: MetricRunFailure[]): string {
  const list = failures.map((f) => `${f.metric} (${f.errorClass}: ${f.error})`).join('; ');
  return `${failures.length} ${failures.length === 1 ? 'metric' : 'metrics'} failed: ${list}`;
}

/** What happened, in counts that claim nothing for sources that were not run: refreshed, failed, not configured. */
export function refreshFooter(summary: RefreshSummary): string {
  const count = (status: SourceRunSummary['status']) => summary.results.filter((r) => r.status === status).length;
  const [ok, failed, notConfigured, skipped] = [count('ok'), count('failed'), count('not_configured'), count('skipped')];
  if (ok === 0 && failed === 0)
    return `${summary.from} → ${summary.to}: nothing refreshed — no source is configured. Set a source's credentials (see .env.example), or try \`scorecard demo\`.`;
  const parts = [
    `${ok} refreshed`,
    `${failed} failed`,
    ...(notConfigured ? [`${notConfigured} not configured`] : []),
    ...(skipped ? [`${skipped} skipped`] : []),
  ];
  return `${summary.from} → ${summary.to}: ${parts.join(', ')}`;
}
