import type { HomeView, KnownBlock } from '@slack/types';
import type { Unit } from '../../config/schema.js';
import type { LocalDay, StatusKind } from '../../metrics/types.js';
import { formatValue } from '../../metrics/format.js';
import { ageOf, dayLabel, dayRange, localTime, STATUS_EMOJI, STATUS_WORD } from '../../report/text.js';
import { context, header, plain, section } from '../../slack/metric.js';
import { clip, escapeMrkdwn } from '../../slack/blocks.js';

/** The Home tab: my metrics this week, my recent entries with Edit / Delete, *Log activity*; source health for admins. */

export const LOG_ACTIVITY_ACTION = 'log_activity';
/** Per-entry buttons carry the entry id in the action id, since action ids are unique within a view. */
export const EDIT_ENTRY_ACTION_PREFIX = 'edit_entry:';
export const DELETE_ENTRY_ACTION_PREFIX = 'delete_entry:';

export interface HomeMetricRow {
  id: string;
  name: string;
  thisWeek: string;
  lastWeek: string;
  goal: string;
  status: StatusKind;
  reason: string;
  /** A sensitive figure this user may not see: the row says so instead of showing it. */
  restricted: boolean;
}

export interface HomeEntryRow {
  id: number;
  metricId: string;
  metricName: string;
  unit: Unit;
  day: LocalDay;
  value: number;
  note: string | null;
  createdAt: string;
  /** Who typed it, when that was someone else (an admin logging on the user's behalf); else null. */
  enteredBy: string | null;
}

export interface HomeHealthRow {
  source: string;
  lastSuccessAt: string | null;
  consecutiveFailures: number;
  lastErrorClass: string | null;
}

export interface HomeModel {
  userId: string;
  now: Date;
  week: { label: string; start: LocalDay; lastDay: LocalDay; timezone: string };
  metrics: HomeMetricRow[];
  entries: HomeEntryRow[];
  /** Only for admins. */
  health: HomeHealthRow[] | null;
  /** A one-off line at the top, e.g. why a delete was refused. */
  notice?: string;
}

/** Everything the Edit button needs to open a pre-filled modal without reading the store first. */
export interface EditEntryRef {
  id: number;
  metric: string;
  day: LocalDay;
  value: number;
  note: string | null;
}

export function encodeEditRef(ref: EditEntryRef): string {
  // A button value holds 2000 characters; a note is at most 500, so 1500 leaves room for JSON escapes.
  return JSON.stringify({ i: ref.id, m: ref.metric, d: ref.day, v: ref.value, n: ref.note === null ? null : clip(ref.note, 1500) });
}

export function decodeEditRef(value: string | undefined): EditEntryRef | undefined {
  try {
    const raw = JSON.parse(value ?? '') as { i?: unknown; m?: unknown; d?: unknown; v?: unknown; n?: unknown };
    if (typeof raw.i !== 'number' || typeof raw.m !== 'string' || typeof raw.d !== 'string' || typeof raw.v !== 'number') return undefined;
    return { id: raw.i, metric: raw.m, day: raw.d, value: raw.v, note: typeof raw.n === 'string' ? raw.n : null };
  } catch {
    return undefined;
  }
}

const MAX_METRIC_ROWS = 30;

function metricLine(row: HomeMetricRow): string {
  if (row.restricted) return `🔒 *${escapeMrkdwn(row.name)}* — restricted figure`;
  return (
    `*${escapeMrkdwn(row.name)}*  ${row.thisWeek} so far this week · last week ${STATUS_EMOJI[row.status]} ${row.lastWeek} · goal ${row.goal}\n` +
    `_Last week: ${escapeMrkdwn(clip(row.reason, 300))}_`
  );
}

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;

function entryBlocks(entry: HomeEntryRow): KnownBlock[] {
  const by = entry.enteredBy
    ? ` · entered by ${SLACK_USER_ID.test(entry.enteredBy) ? `<@${entry.enteredBy}>` : escapeMrkdwn(entry.enteredBy)}`
    : '';
  const note = entry.note ? `\n_${escapeMrkdwn(clip(entry.note, 200))}_` : '';
  return [
    section(`*${formatValue(entry.value, entry.unit)}* ${escapeMrkdwn(entry.metricName)} · ${dayLabel(entry.day)}${by}${note}`),
    {
      type: 'actions',
      block_id: `entry_${entry.id}`,
      elements: [
        {
          type: 'button',
          action_id: `${EDIT_ENTRY_ACTION_PREFIX}${entry.id}`,
          text: plain('Edit', 75),
          value: encodeEditRef({ id: entry.id, metric: entry.metricId, day: entry.day, value: entry.value, note: entry.note }),
        },
        {
          type: 'button',
          action_id: `${DELETE_ENTRY_ACTION_PREFIX}${entry.id}`,
          text: plain('Delete', 75),
          style: 'danger',
          value: String(entry.id),
          confirm: {
            title: plain('Delete this entry?', 100),
            text: plain(
              `${formatValue(entry.value, entry.unit)} ${entry.metricName} on ${entry.day} will stop counting. The history keeps it.`,
              300,
            ),
            confirm: plain('Delete', 30),
            deny: plain('Keep it', 30),
            style: 'danger',
          },
        },
      ],
    },
  ];
}

function healthLine(row: HomeHealthRow, now: Date): string {
  const ok = row.consecutiveFailures === 0;
  const failing = ok
    ? ''
    : ` · ${row.consecutiveFailures} failure${row.consecutiveFailures === 1 ? '' : 's'} in a row (${escapeMrkdwn(row.lastErrorClass ?? 'unknown')})`;
  return `${ok ? '🟢' : '🔴'} *${escapeMrkdwn(row.source)}* · last success ${ageOf(row.lastSuccessAt, now)}${failing}`;
}

export function renderHomeView(model: HomeModel): HomeView {
  const blocks: KnownBlock[] = [
    header('Your scorecard'),
    ...(model.notice ? [section(`⚠️ ${escapeMrkdwn(model.notice)}`)] : []),
    {
      type: 'actions',
      block_id: 'home_actions',
      elements: [{ type: 'button', action_id: LOG_ACTIVITY_ACTION, text: plain('Log activity', 75), style: 'primary', value: 'home' }],
    },
    section(`*This week* · ${model.week.label} · ${dayRange(model.week.start, model.week.lastDay)} (${model.week.timezone})`),
  ];
  if (model.metrics.length === 0) blocks.push(context('No metric in the scorecard lists you as its owner yet.'));
  for (const row of model.metrics.slice(0, MAX_METRIC_ROWS)) blocks.push(section(metricLine(row)));
  if (model.metrics.length > MAX_METRIC_ROWS)
    blocks.push(context(`…and ${model.metrics.length - MAX_METRIC_ROWS} more; see \`/scorecard\`.`));

  blocks.push({ type: 'divider' }, section('*Your recent entries*'));
  if (model.entries.length === 0) blocks.push(context('Nothing logged yet. *Log activity* above, `/log`, or the ⚡ shortcut.'));
  for (const entry of model.entries.slice(0, 10)) blocks.push(...entryBlocks(entry));

  if (model.health) {
    blocks.push({ type: 'divider' }, section('*Source health* (admins)'));
    if (model.health.length === 0) blocks.push(context('No source has run yet.'));
    else blocks.push(section(model.health.map((row) => healthLine(row, model.now)).join('\n')));
  }
  blocks.push(
    context(
      `Updated ${localTime(model.now.toISOString(), model.week.timezone)} · ${STATUS_EMOJI.green} ${STATUS_WORD.green} · ${STATUS_EMOJI.yellow} ${STATUS_WORD.yellow} · ${STATUS_EMOJI.red} ${STATUS_WORD.red}`,
    ),
  );
  return { type: 'home', blocks };
}
