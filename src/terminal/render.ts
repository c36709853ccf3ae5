import type { WeeklyScorecard } from '../report/weekly.js';
import { windowLabel, type DailyDigest } from '../report/daily.js';
import type { MetricAnswer } from '../report/metric-answer.js';
import type { StatusKind } from '../metrics/types.js';
import { ageOf, dayLabel, dayRange, localTime, statusLabel, STATUS_WORD, summaryParts } from '../report/text.js';
import { attentionLines } from '../report/attention-text.js';
import type { Owner } from '../report/attention.js';
import { displayWidth, fitTable, wrap, type Column, type TableRow } from './width.js';

export interface TerminalOptions {
  /** Colour only when writing to a TTY; pipes and files get plain text. */
  color: boolean;
  now: Date;
  /** Columns to fit (see `terminalWidth`); null or absent: every column, as wide as it needs (`--wide`). */
  width?: number | null;
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

/** Prose wrapped to the width (hanging indent), or left whole when there is no width. */
function wrapped(text: string, width: number | null | undefined, indent = '  '): string[] {
  return width ? wrap(text, width, indent) : [text];
}

/** A name where there is one, else the owner as configured, whole: a cut-off email says less than none. */
export function ownerText(owner: Owner): string | null {
  return owner.ownerName ?? owner.owner;
}

const WEEKLY_COLUMNS: Column[] = [
  { header: 'Metric', align: 'left', shrink: { min: 16 } },
  { header: 'Owner', align: 'left', drop: 1 },
  { header: 'Goal', align: 'right' },
  { header: 'This week', short: 'This wk', align: 'right' },
  { header: 'Last week', short: 'Last wk', align: 'right' },
  { header: 'QTD avg', short: 'QTD', align: 'right' },
  { header: '13-week trend', align: 'left', drop: 2 },
  { header: 'Status', align: 'left' },
];
const STATUS_COLUMN = WEEKLY_COLUMNS.length - 1;

export function renderWeeklyTerminal(view: WeeklyScorecard, opts: TerminalOptions): string {
  const { color, width } = opts;
  const out: string[] = [];
  out.push(paint(`${view.org} — Weekly scorecard ${view.period.label}`, 'bold', color));
  // What needs attention comes first: the lines right under the title name every red metric.
  for (const line of attentionLines(view.attention, { owner: ownerText })) {
    for (const l of wrapped(line.text, width, '   ')) out.push(line.kind === 'red' ? l : paint(l, 'dim', color));
  }
  out.push('');
  const summary = summaryParts(view.summary);
  // Two lines when one does not fit: the goal colours, then what has no colour and why.
  if (width && displayWidth(summary.join('  ')) > width) out.push(summary.slice(0, 3).join('  '), summary.slice(3).join('  '));
  else out.push(summary.join('  '));
  out.push(
    ...wrapped(
      `${dayRange(view.period.start, view.period.end)} · ${view.period.timezone} · generated ${localTime(view.generatedAt, view.period.timezone)}`,
      width,
    ),
  );
  out.push('');
  const rows: TableRow[] = [];
  const statusOf = new Map<string[], StatusKind>();
  for (const group of view.groups) {
    rows.push({ line: paint(`── ${group.name} ──`, 'dim', color) });
    for (const row of group.rows) {
      const notConnected = row.connection === 'not_connected' && row.values.thisWeek === null;
      const cells = [
        row.name,
        ownerText(row) ?? '—',
        row.goal,
        row.thisWeek,
        row.lastWeek,
        row.qtdAvg,
        row.trend,
        `${statusLabel(row.status, row.staleHours)}${notConnected ? ' not connected' : ''}`,
      ];
      statusOf.set(cells, row.status);
      rows.push(cells);
    }
  }
  out.push(
    ...fitTable(WEEKLY_COLUMNS, rows, width ?? null, (text, column, cells) =>
      column === STATUS_COLUMN ? paint(text, statusOf.get(cells) ?? 'no_goal', color) : text,
    ),
  );
  out.push('');
  out.push(...wrapped(freshnessLine(view, opts.now), width));
  return out.join('\n');
}

export function freshnessLine(view: WeeklyScorecard, now: Date): string {
  const parts = [`Data as of ${view.freshness.oldestAsOf ? ageOf(view.freshness.oldestAsOf, now) : '—'} (oldest snapshot)`];
  if (view.freshness.stale.length) parts.push(`stale: ${view.freshness.stale.map((s) => s.name).join(', ')}`);
  if (view.freshness.notConnected.length) parts.push(`not connected: ${view.freshness.notConnected.join(', ')}`);
  return parts.join(' · ');
}

const DAILY_COLUMNS: Column[] = [
  { header: 'Figure', align: 'left', shrink: { min: 14 } },
  { header: 'For', align: 'left', drop: 1 },
  { header: 'Value', align: 'right' },
  { header: 'vs yesterday', short: 'vs yday', align: 'right' },
  { header: 'vs 7 d / 7-day', short: '7 d', align: 'right' },
  { header: 'Goal', align: 'right' },
  { header: 'As of', align: 'right', drop: 2 },
  { header: 'Status', align: 'left' },
];
const DAILY_STATUS_COLUMN = DAILY_COLUMNS.length - 1;

export function renderDailyTerminal(view: DailyDigest, opts: TerminalOptions): string {
  const { color, width } = opts;
  const out: string[] = [];
  out.push(...wrapped(paint(`${view.org} — ${view.title} digest, ${dayLabel(view.period.today)}`, 'bold', color), width));
  out.push(
    ...wrapped(
      `Snapshots as of this morning, flows for ${dayLabel(view.period.yesterday)} · ${view.period.timezone} · generated ${localTime(view.period.generatedAt, view.period.timezone)}`,
      width,
    ),
  );
  out.push('');
  const statusOf = new Map<string[], StatusKind>();
  const rows = view.items.map((item) => {
    const cells = [
      item.name,
      windowLabel(item, view.period.yesterday),
      item.text,
      item.window === 'now' ? (item.vsYesterday ?? '—') : '',
      item.window === 'now' ? (item.vs7Days ?? '—') : (item.last7Days ?? '—'),
      item.goal,
      item.asOf ? ageOf(item.asOf, opts.now) : item.connection === 'manual' ? 'manual' : '—',
      `${statusLabel(item.status, null)} ${STATUS_WORD[item.status]}`,
    ];
    statusOf.set(cells, item.status);
    return cells;
  });
  out.push(
    ...fitTable(
      DAILY_COLUMNS,
      rows,
      width ?? null,
      (text, column, cells) => (column === DAILY_STATUS_COLUMN ? paint(text, statusOf.get(cells) ?? 'no_goal', color) : text),
      // Every daily column says something the notes don't; shorter headers cost nothing.
      'abbreviate-first',
    ),
  );
  const notes = view.items.flatMap((item) => [
    ...(item.status === 'stale' || item.connection === 'not_connected' ? [`${item.name}: ${item.reason}`] : []),
    ...item.warnings.map((w) => `${item.name}: ${w}`),
    ...(item.caveat ? [`${item.name}: ${item.caveat}`] : []),
  ]);
  if (notes.length) out.push('', ...notes.flatMap((n) => wrapped(`• ${n}`, width)).map((l) => paint(l, 'dim', color)));
  return out.join('\n');
}

export function renderMetricTerminal(answer: MetricAnswer, opts: TerminalOptions): string {
  const { color, width } = opts;
  const lines = [
    paint(`${answer.name} (${answer.metric})`, 'bold', color),
    `${answer.value_text}  ${paint(statusLabel(answer.status, null), answer.status, color)} ${answer.reason}`,
    `Period ${answer.period} (${answer.period_range.start} – ${answer.period_range.end}, ${answer.period_range.timezone})`,
    `Goal ${answer.goal_text ?? '—'} · last week ${answer.last_week.text} · QTD avg ${answer.qtd_avg.text}` +
      (answer.week_to_date ? ` · this week so far ${answer.week_to_date.text}` : ''),
    `13-week trend ${answer.trend.sparkline}`,
    `Source ${answer.source}${answer.connection === 'not_connected' ? ' (not connected)' : ''} · as of ${answer.as_of ? `${localTime(answer.as_of, answer.period_range.timezone)} (${ageOf(answer.as_of, opts.now)})` : '—'}` +
      // A name where there is one, else the owner whole: a cut-off email says less than none.
      (answer.owner_name || answer.owner ? ` · owner ${answer.owner_name ?? answer.owner}` : ''),
    '',
    `Definition: ${answer.definition}`,
    `Why it matters: ${answer.why}`,
    `Calculation: ${answer.calculation}`,
    ...(answer.edge_cases ? [`Edge cases: ${answer.edge_cases}`] : []),
    ...(answer.caveat ? [`Note: ${answer.caveat}`] : []),
    ...answer.warnings.map((w) => `Warning: ${w}`),
    ...(answer.refresh_failure
      ? [`Refresh failed: ${answer.refresh_failure.error_class}: ${answer.refresh_failure.error} (${answer.refresh_failure.failed_at})`]
      : []),
  ];
  return lines.flatMap((line) => wrapped(line, width)).join('\n');
}
