import type { ActionsBlock, ContextBlock, KnownBlock, RawTextElement, TableBlock } from '@slack/types';
import type { WeeklyGroup, WeeklyRow, WeeklyScorecard } from '../report/weekly.js';
import { formatAge } from '../metrics/format.js';
import { SLACK_LIMITS, blocksTextLength } from './limits.js';
import { ageOf, dayRange, localTime, statusLabel, summaryLine, summaryParts } from '../report/text.js';
import { attentionLines } from '../report/attention-text.js';
import { clip, escapeMrkdwn, mrkdwn, ownerMention, packLines, plain, type Mentions, type SlackMessage } from './blocks.js';
import { CHART_LIMITS, chartFigures, trendChart } from './chart.js';
import { openInBrowserButton } from './web-link.js';

/**
 * The weekly scorecard as Block Kit: a parent message (period, summary, what needs attention, one table, freshness,
 * buttons) and, when the catalog outgrows one message, thread replies that each carry one more table; then one chart
 * per red metric in the thread, two per message. Chunks are cut by measured size, so every message stays under
 * Slack's row, block and cumulative-text limits whatever the names look like.
 *
 * The table has six columns (metric, goal, this week, last week, QTD, status) so it reads on a phone; the owner is
 * named in the attention section and the 13-week trend is in the charts and in `/metric`. Groups are heading rows
 * inside the one table rather than a message each: a reader scrolls one table instead of opening a thread.
 */

export interface WeeklyRenderOptions {
  now: Date;
  /** Table rows per message including the header row; capped at Slack's 100. */
  maxRowsPerMessage?: number;
  /** Adds *Open in browser* (the web pages are set up: PUBLIC_URL and WEB_SESSION_SECRET). */
  web?: boolean;
  /** Owners given as emails → Slack user ids, so the attention section can mention them. */
  mentions?: Mentions;
}

export const WEEKLY_ACTIONS = { logActivity: 'log_activity', explainMetric: 'explain_metric' } as const;

const HEADER = ['Metric', 'Goal', 'This week', 'Last week', 'QTD', 'Status'];
const COLUMN_SETTINGS: NonNullable<TableBlock['column_settings']> = [
  { align: 'left', is_wrapped: true },
  { align: 'right' },
  { align: 'right' },
  { align: 'right' },
  { align: 'right' },
  { align: 'left' },
];
/** raw_text needs at least one character; a separator row fills its empty columns with this. */
const FILLER = '·';
const MAX_NAME = 80;
const MAX_CELL = 60;
const MAX_CONTEXT_TEXT = 2000;
/** A label at least as long as any real "(continued i/n)", so measuring with it never under-counts. */
const WIDEST_PART_LABEL = '(continued 999/999)';

type Cell = RawTextElement;
const cell = (text: string, max = MAX_CELL): Cell => ({ type: 'raw_text', text: clip(text.trim() === '' ? '—' : text, max) });
const cellsLength = (cells: Cell[]) => cells.reduce((sum, c) => sum + c.text.length, 0);

function metricCells(row: WeeklyRow): Cell[] {
  const notConnected = row.connection === 'not_connected' && row.values.thisWeek === null;
  const status = `${statusLabel(row.status, row.staleHours)}${notConnected ? ' not connected' : ''}`;
  return [cell(row.name, MAX_NAME), cell(row.goal), cell(row.thisWeek), cell(row.lastWeek), cell(row.qtdAvg), cell(status)];
}

function separatorCells(group: WeeklyGroup, continued: boolean): Cell[] {
  const name = `— ${group.name}${continued ? ' (cont.)' : ''} —`;
  return [cell(name, MAX_NAME), ...HEADER.slice(1).map(() => cell(FILLER))];
}

const table = (rows: Cell[][]): TableBlock => ({
  type: 'table',
  column_settings: COLUMN_SETTINGS,
  rows: [HEADER.map((h) => cell(h)), ...rows],
});

export function weeklyFallbackText(view: WeeklyScorecard): string {
  return `Weekly scorecard ${view.period.label}: ${summaryLine(view.summary)}`;
}

function freshnessContext(view: WeeklyScorecard, now: Date): ContextBlock {
  const { oldestAsOf, stale, notConnected } = view.freshness;
  const tz = view.period.timezone;
  const elements = [
    mrkdwn(`Data as of ${oldestAsOf ? ageOf(oldestAsOf, now) : '—'} (oldest snapshot) · generated ${localTime(view.generatedAt, tz)}`),
  ];
  if (stale.length > 0) {
    const list = stale.map((s) => `${escapeMrkdwn(s.name)} (${formatAge(s.hours)})`).join(', ');
    elements.push(mrkdwn(clip(`🕒 Stale: ${list}`, MAX_CONTEXT_TEXT)));
  }
  if (notConnected.length > 0) elements.push(mrkdwn(clip(`Not connected: ${notConnected.join(', ')}`, MAX_CONTEXT_TEXT)));
  return { type: 'context', elements };
}

function actions(view: WeeklyScorecard, web: boolean): ActionsBlock {
  return {
    type: 'actions',
    elements: [
      { type: 'button', action_id: WEEKLY_ACTIONS.logActivity, text: plain('Log activity'), style: 'primary', value: view.period.label },
      { type: 'button', action_id: WEEKLY_ACTIONS.explainMetric, text: plain('Explain a metric'), value: view.period.label },
      ...(web ? [openInBrowserButton(`/scorecard/${view.period.label}`)] : []),
    ],
  };
}

/** What needs attention, reds first, owners mentioned; split into sections under Slack's 3000-character limit. */
function attentionBlocks(view: WeeklyScorecard, mentions: Mentions | undefined): KnownBlock[] {
  const lines = attentionLines(view.attention, {
    owner: (o) => ownerMention(o.owner, o.ownerName, mentions),
    escape: escapeMrkdwn,
  }).map((line) => (line.kind === 'red' ? line.text : `• ${line.text}`));
  return packLines(['*Needs attention*', ...lines], SLACK_LIMITS.sectionText).map((text) => ({ type: 'section', text: mrkdwn(text) }));
}

function parentBlocks(view: WeeklyScorecard, rows: Cell[][], now: Date, parts: number, mentions?: Mentions, web = false): KnownBlock[] {
  const threadNote = parts > 1 ? `\n_Continued in the thread: ${parts - 1} more ${parts === 2 ? 'part' : 'parts'}._` : '';
  return [
    { type: 'header', text: plain(clip(`Weekly scorecard ${view.period.label}`, SLACK_LIMITS.headerText)) },
    {
      type: 'section',
      text: mrkdwn(
        `*${dayRange(view.period.start, view.period.end)}* · ${view.period.timezone}\n` +
          `${summaryParts(view.summary).join('   ')}${threadNote}`,
      ),
    },
    ...attentionBlocks(view, mentions),
    table(rows),
    freshnessContext(view, now),
    actions(view, web),
  ];
}

function continuationBlocks(view: WeeklyScorecard, rows: Cell[][], label: string): KnownBlock[] {
  return [{ type: 'section', text: mrkdwn(`*Weekly scorecard ${view.period.label}* ${label}`) }, table(rows)];
}

const partLabel = (index: number, total: number) => `(continued ${index + 1}/${total})`;

/** Splits the table rows into messages: at most `maxDataRows` rows and `budget(i)` characters of cell text each. */
function chunkRows(groups: WeeklyGroup[], maxDataRows: number, budget: (chunk: number) => number): Cell[][][] {
  const chunks: Cell[][][] = [];
  let rows: Cell[][] = [];
  let used = 0;
  let groupInChunk: WeeklyGroup | null = null;
  const started = new Set<WeeklyGroup>();
  for (const group of groups) {
    for (const row of group.rows) {
      const cells = metricCells(row);
      const fits = (extraRows: Cell[][]) =>
        rows.length + extraRows.length <= maxDataRows && used + extraRows.reduce((n, r) => n + cellsLength(r), 0) <= budget(chunks.length);
      let adding = groupInChunk === group ? [cells] : [separatorCells(group, started.has(group)), cells];
      // Never leave a chunk empty: a row too big for an empty chunk still goes in (cells are clipped, so it fits).
      if (!fits(adding) && rows.length > 0) {
        chunks.push(rows);
        rows = [];
        used = 0;
        groupInChunk = null;
        adding = [separatorCells(group, started.has(group)), cells];
      }
      rows.push(...adding);
      used += adding.reduce((n, r) => n + cellsLength(r), 0);
      groupInChunk = group;
      started.add(group);
    }
  }
  if (rows.length > 0 || chunks.length === 0) chunks.push(rows);
  return chunks;
}

/** The parent message first, then one thread reply per further chunk of the table. */
export function renderWeeklyMessages(view: WeeklyScorecard, opts: WeeklyRenderOptions): SlackMessage[] {
  const maxRows = Math.max(3, Math.min(opts.maxRowsPerMessage ?? SLACK_LIMITS.tableRows, SLACK_LIMITS.tableRows));
  const limit = SLACK_LIMITS.messageTotalText;
  // Measured with an empty table (header row only) and the widest labels, so the chunk budget is exact or safe.
  const parentOverhead = blocksTextLength(parentBlocks(view, [], opts.now, 999, opts.mentions, opts.web));
  const continuationOverhead = blocksTextLength(continuationBlocks(view, [], WIDEST_PART_LABEL));
  const chunks = chunkRows(view.groups, maxRows - 1, (i) => limit - (i === 0 ? parentOverhead : continuationOverhead));

  const text = weeklyFallbackText(view);
  const tables = chunks.map((rows, i) =>
    i === 0
      ? { text, blocks: parentBlocks(view, rows, opts.now, chunks.length, opts.mentions, opts.web) }
      : {
          text: `Weekly scorecard ${view.period.label} ${partLabel(i, chunks.length)}`,
          blocks: continuationBlocks(view, rows, partLabel(i, chunks.length)),
        },
  );
  return [...tables, ...redChartMessages(view)];
}

/** One trend chart per red metric, with its figures in text, two charts per thread reply. */
export function redChartMessages(view: WeeklyScorecard): SlackMessage[] {
  const rows = new Map(view.groups.flatMap((g) => g.rows).map((row) => [row.id, row]));
  const charts = view.attention.red.flatMap((red) => {
    const row = rows.get(red.id);
    if (!row) return [];
    const input = { name: row.name, unit: row.unit, weeks: view.trendWeeks, values: row.values.trend, goals: row.values.trendGoals };
    return [[trendChart(input), chartFigures(input)]];
  });
  const messages: SlackMessage[] = [];
  for (let i = 0; i < charts.length; i += CHART_LIMITS.chartsPerMessage) {
    const batch = charts.slice(i, i + CHART_LIMITS.chartsPerMessage);
    const names = view.attention.red.slice(i, i + batch.length).map((r) => r.name);
    messages.push({
      text: `Weekly scorecard ${view.period.label}: off-track trends — ${names.join(', ')}`,
      blocks: [
        {
          type: 'section',
          text: mrkdwn(clip(`*Off track, last ${view.trendWeeks.length} weeks* · ${escapeMrkdwn(names.join(', '))}`, 3000)),
        },
        ...batch.flat(),
      ],
    });
  }
  return messages;
}
