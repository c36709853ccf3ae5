import type { WeeklyScorecard } from '../report/weekly.js';
import { windowLabel, type DailyDigest } from '../report/daily.js';
import type { MetricAnswer } from '../report/metric-answer.js';
import type { StatusKind } from '../metrics/types.js';
import { ageOf, dayLabel, dayRange, localTime, statusLabel, STATUS_WORD, summaryLine } from '../report/text.js';

export interface TerminalOptions {
  /** Colour only when writing to a TTY; pipes and files get plain text. */
  color: boolean;
  now: Date;
}

const ANSI: Record<StatusKind | 'dim' | 'bold', [string, string]> = {
  green: ['\x1b[32m', '\x1b[39m'],
  yellow: ['\x1b[33m', '\x1b[39m'],
  red: ['\x1b[31m', '\x1b[39m'],
  no_data: ['\x1b[90m', '\x1b[39m'],
  no_goal: ['', ''],
  stale: ['\x1b[35m', '\x1b[39m'],
  dim: ['\x1b[2m', '\x1b[22m'],
  bold: ['\x1b[1m', '\x1b[22m'],
};

function paint(text: string, style: keyof typeof ANSI, color: boolean): string {
  if (!color) return text;
  const [on, off] = ANSI[style];
  return `${on}${text}${off}`;
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

type Align = 'left' | 'right';

/** Pads columns to the widest cell; every cell here is single-width text (emoji only ever sit in the last column). */
function table(header: string[], rows: (string[] | string)[], align: Align[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.filter(Array.isArray).map((r) => [...(r[i] ?? '')].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => {
        const pad = ' '.repeat(Math.max(0, widths[i]! - [...cell].length));
        return i === cells.length - 1 ? cell : align[i] === 'right' ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map((r) => (Array.isArray(r) ? line(r) : r))];
}

export function renderWeeklyTerminal(view: WeeklyScorecard, opts: TerminalOptions): string {
  const { color } = opts;
  const out: string[] = [];
  out.push(paint(`${view.org} — Weekly scorecard ${view.period.label}`, 'bold', color));
  out.push(
    `${dayRange(view.period.start, view.period.end)} · ${view.period.timezone} · generated ${localTime(view.generatedAt, view.period.timezone)}`,
  );
  out.push(summaryLine(view.summary));
  out.push('');
  const rows: (string[] | string)[] = [];
  for (const group of view.groups) {
    rows.push(paint(`── ${group.name} ──`, 'dim', color));
    for (const row of group.rows) {
      const status = statusLabel(row.status, row.staleHours);
      rows.push([
        truncate(row.name, 34),
        truncate(row.owner ?? '—', 24),
        row.goal,
        row.thisWeek,
        row.lastWeek,
        row.qtdAvg,
        row.trend,
        `${paint(status, row.status, color)} ${row.connection === 'not_connected' && row.values.thisWeek === null ? 'not connected' : ''}`.trimEnd(),
      ]);
    }
  }
  out.push(
    ...table(['Metric', 'Owner', 'Goal', 'This week', 'Last week', 'QTD avg', '13-week trend', 'Status'], rows, [
      'left',
      'left',
      'right',
      'right',
      'right',
      'right',
      'left',
      'left',
    ]),
  );
  out.push('');
  out.push(freshnessLine(view, opts.now));
  return out.join('\n');
}

export function freshnessLine(view: WeeklyScorecard, now: Date): string {
  const parts = [`Data as of ${view.freshness.oldestAsOf ? ageOf(view.freshness.oldestAsOf, now) : '—'} (oldest snapshot)`];
  if (view.freshness.stale.length) parts.push(`stale: ${view.freshness.stale.map((s) => s.name).join(', ')}`);
  if (view.freshness.notConnected.length) parts.push(`not connected: ${view.freshness.notConnected.join(', ')}`);
  return parts.join(' · ');
}

export function renderDailyTerminal(view: DailyDigest, opts: TerminalOptions): string {
  const { color } = opts;
  const out: string[] = [];
  out.push(paint(`${view.org} — ${view.title} digest, ${dayLabel(view.period.today)}`, 'bold', color));
  out.push(
    `Snapshots as of this morning, flows for ${dayLabel(view.period.yesterday)} · ${view.period.timezone} · generated ${localTime(view.period.generatedAt, view.period.timezone)}`,
  );
  out.push('');
  const rows = view.items.map((item) => [
    truncate(item.name, 34),
    windowLabel(item, view.period.yesterday),
    item.text,
    item.window === 'now' ? (item.vsYesterday ?? '—') : '',
    item.window === 'now' ? (item.vs7Days ?? '—') : (item.last7Days ?? '—'),
    item.goal,
    item.asOf ? ageOf(item.asOf, opts.now) : item.connection === 'manual' ? 'manual' : '—',
    `${paint(statusLabel(item.status, null), item.status, color)} ${STATUS_WORD[item.status]}`,
  ]);
  out.push(
    ...table(['Figure', 'For', 'Value', 'vs yesterday', 'vs 7 d / 7-day', 'Goal', 'As of', 'Status'], rows, [
      'left',
      'left',
      'right',
      'right',
      'right',
      'right',
      'right',
      'left',
    ]),
  );
  const notes = view.items.flatMap((item) => [
    ...(item.status === 'stale' || item.connection === 'not_connected' ? [`${item.name}: ${item.reason}`] : []),
    ...item.warnings.map((w) => `${item.name}: ${w}`),
    ...(item.caveat ? [`${item.name}: ${item.caveat}`] : []),
  ]);
  if (notes.length) out.push('', ...notes.map((n) => paint(`• ${n}`, 'dim', color)));
  return out.join('\n');
}

export function renderMetricTerminal(answer: MetricAnswer, opts: TerminalOptions): string {
  const { color } = opts;
  const lines = [
    paint(`${answer.name} (${answer.metric})`, 'bold', color),
    `${answer.value_text}  ${paint(statusLabel(answer.status, null), answer.status, color)} ${answer.reason}`,
    `Period ${answer.period} (${answer.period_range.start} – ${answer.period_range.end}, ${answer.period_range.timezone})`,
    `Goal ${answer.goal ?? '—'} · last week ${answer.last_week.text} · QTD avg ${answer.qtd_avg.text}` +
      (answer.week_to_date ? ` · this week so far ${answer.week_to_date.text}` : ''),
    `13-week trend ${answer.trend.sparkline}`,
    `Source ${answer.source}${answer.connection === 'not_connected' ? ' (not connected)' : ''} · as of ${answer.as_of ? `${localTime(answer.as_of, answer.period_range.timezone)} (${ageOf(answer.as_of, opts.now)})` : '—'}` +
      (answer.owner ? ` · owner ${answer.owner}` : ''),
    '',
    `Definition: ${answer.definition}`,
    `Why it matters: ${answer.why}`,
    `Calculation: ${answer.calculation}`,
    ...(answer.edge_cases ? [`Edge cases: ${answer.edge_cases}`] : []),
    ...(answer.caveat ? [`Note: ${answer.caveat}`] : []),
    ...answer.warnings.map((w) => `Warning: ${w}`),
  ];
  return lines.join('\n');
}
