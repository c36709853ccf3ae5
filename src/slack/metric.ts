import type { KnownBlock, PlainTextElement, MrkdwnElement } from '@slack/types';
import type { Config, Metric } from '../config/schema.js';
import { metricsOf } from '../metrics/catalog.js';
import { formatValue } from '../metrics/format.js';
import type { MetricAnswer } from '../report/metric-answer.js';
import { ageOf, dayLabel, dayRange, localTime, STATUS_EMOJI, STATUS_WORD } from '../report/text.js';
import { clip, escapeMrkdwn, ownerMention, type Mentions, type SlackMessage } from './blocks.js';
import { blocksTextLength, SLACK_LIMITS } from './limits.js';
import { openInBrowserButton } from './web-link.js';
import { chartFigures, trendChart, type MessageBlock } from './chart.js';

/** Block Kit for `/metric`: the answer, its shared copy, suggestions, the list, help and the refusal. */

/** A chat message (the digests' shape): blocks for people, `text` for notifications and screen readers. */
export type BlockMessage = SlackMessage;

export const SHARE_METRIC_ACTION = 'share_metric';
/** The metric menu behind the weekly scorecard's *Explain a metric*. */
export const EXPLAIN_PICK_ACTION = 'explain_pick';
/** Suggestion buttons carry the metric in the action id too, since action ids are unique per message. */
export const PICK_METRIC_ACTION_PREFIX = 'pick_metric:';

/** What a share or suggestion button carries: the metric and, when one was asked for, the period. */
export interface MetricRef {
  metric: string;
  period: string | null;
}

export function encodeMetricRef(ref: MetricRef): string {
  return JSON.stringify({ m: ref.metric, p: ref.period });
}

export function decodeMetricRef(value: string | undefined): MetricRef | undefined {
  if (!value) return undefined;
  try {
    const parsed = JSON.parse(value) as { m?: unknown; p?: unknown };
    if (typeof parsed.m !== 'string') return undefined;
    return { metric: parsed.m, period: typeof parsed.p === 'string' ? parsed.p : null };
  } catch {
    return undefined;
  }
}

// ── small builders shared by the bot's renderers: every text is clipped to its Block Kit limit ──────────

export const plain = (text: string, max = 3000): PlainTextElement => ({ type: 'plain_text', text: clip(text, max), emoji: true });
export const mrkdwn = (text: string, max = 2000): MrkdwnElement => ({ type: 'mrkdwn', text: clip(text, max) });
export const section = (text: string): KnownBlock => ({ type: 'section', text: mrkdwn(text, 3000) });
export const context = (...texts: string[]): KnownBlock => ({ type: 'context', elements: texts.slice(0, 10).map((t) => mrkdwn(t)) });
export const header = (text: string): KnownBlock => ({ type: 'header', text: plain(text, 150) });

// ── the answer ──────────────────────────────────────────────────────────────────────────────────────────

const EXPLANATION_MAX = 1200;
const MAX_NOTES = 6;
const NOTE_MAX_CHARS = 250;
/** Leaves room under Slack's cumulative text limit for the closing lines of a list. */
const LIST_BUDGET = SLACK_LIMITS.messageTotalText - 500;

export interface MetricAnswerOptions {
  now: Date;
  /** Adds the *Share in channel* button (the ephemeral answer); the shared copy has none. */
  shareRef?: MetricRef;
  /** The user who shared it, for the shared copy. */
  sharedBy?: string;
  /** Adds *Open in browser* to the private answer: the metric's page (the web pages are set up). */
  webPath?: string;
  /** Owners given as emails → Slack user ids, so the owner is mentioned. */
  mentions?: Mentions;
}

function periodText(answer: MetricAnswer): string {
  const { start, end, timezone } = answer.period_range;
  if (start === end) return `latest snapshot, ${dayLabel(start)} (${timezone})`;
  return `${answer.period} · ${dayRange(start, end)} (${timezone})`;
}

function freshnessText(answer: MetricAnswer, now: Date, mentions: Mentions | undefined): string {
  const asOf = answer.as_of
    ? `as of ${localTime(answer.as_of, answer.period_range.timezone)} (${ageOf(answer.as_of, now)})`
    : 'no snapshot yet';
  const source = answer.connection === 'not_connected' ? `${answer.source} (not connected)` : answer.source;
  const who = ownerMention(answer.owner, answer.owner_name, mentions);
  const owner = who ? ` · owner ${who}` : '';
  return `${asOf} · source ${escapeMrkdwn(source)}${owner}`;
}

/**
 * A stock answered "now" (cash today) compares with the last completed week, the newest trend point; a weekly
 * answer compares with the week before it.
 */
function lastWeekField(answer: MetricAnswer): MrkdwnElement {
  const snapshot = answer.period_range.start === answer.period_range.end;
  const newest = answer.trend.weeks.length - 1;
  if (snapshot && newest >= 0) {
    return mrkdwn(
      `*Last completed week (${answer.trend.weeks[newest]})*\n${formatValue(answer.trend.values[newest] ?? null, answer.unit)}`,
    );
  }
  return mrkdwn(`*Last week${answer.last_week.period ? ` (${answer.last_week.period})` : ''}*\n${answer.last_week.text}`);
}

export function metricFallbackText(answer: MetricAnswer): string {
  return escapeMrkdwn(
    `${answer.name}: ${answer.value_text} (${STATUS_EMOJI[answer.status]} ${STATUS_WORD[answer.status]}) — ${answer.period}`,
  );
}

export function renderMetricAnswer(answer: MetricAnswer, opts: MetricAnswerOptions): BlockMessage {
  const status = `${STATUS_EMOJI[answer.status]} ${STATUS_WORD[answer.status]}`;
  const fields: MrkdwnElement[] = [
    mrkdwn(`*Goal*\n${answer.goal_text ?? '— (no goal)'}`),
    mrkdwn(`*Period*\n${periodText(answer)}`),
    lastWeekField(answer),
    ...(answer.week_to_date ? [mrkdwn(`*This week so far (${answer.week_to_date.period})*\n${answer.week_to_date.text}`)] : []),
    mrkdwn(`*Quarter-to-date avg*\n${answer.qtd_avg.text}`),
    mrkdwn(`*13-week trend*\n${answer.trend.sparkline || '—'}`),
  ];
  // Config texts are short in practice; the caps keep a pathological one inside the ~11k-character message budget.
  const explain = (label: string, text: string) => `*${label}* ${clip(escapeMrkdwn(text), EXPLANATION_MAX)}`;
  const explanation = [
    explain('Definition', answer.definition),
    explain('Why it matters', answer.why),
    explain('Calculation', answer.calculation),
    ...(answer.edge_cases ? [explain('Edge cases', answer.edge_cases)] : []),
  ];
  const failure = answer.refresh_failure
    ? [`Last refresh failed for this metric (${answer.refresh_failure.error_class}): ${answer.refresh_failure.error}`]
    : [];
  const notes = [...failure, ...(answer.caveat ? [answer.caveat] : []), ...answer.warnings]
    .slice(0, MAX_NOTES)
    .map((note) => `⚠️ ${clip(escapeMrkdwn(note), NOTE_MAX_CHARS)}`);

  const chartInput = {
    name: answer.name,
    unit: answer.unit,
    weeks: answer.trend.weeks,
    values: answer.trend.values,
    goals: answer.trend.goals,
  };
  const blocks: MessageBlock[] = [
    header(answer.name),
    section(`*${answer.value_text}*  ${status}\n${clip(escapeMrkdwn(answer.reason), 500)}`),
    { type: 'section', fields },
    context(freshnessText(answer, opts.now, opts.mentions)),
    // The trend drawn against the goal, with the same figures in text beside it.
    ...(answer.trend.weeks.length > 0 ? [trendChart(chartInput), chartFigures(chartInput)] : []),
    { type: 'divider' },
    ...explanation.map(section),
    ...(notes.length ? [context(...notes)] : []),
  ];
  if (opts.sharedBy) blocks.push(context(`Shared by <@${opts.sharedBy}> with /metric`));
  if (opts.shareRef) {
    blocks.push({
      type: 'actions',
      block_id: 'metric_actions',
      elements: [
        { type: 'button', action_id: SHARE_METRIC_ACTION, text: plain('Share in channel', 75), value: encodeMetricRef(opts.shareRef) },
        ...(opts.webPath ? [openInBrowserButton(opts.webPath)] : []),
      ],
    });
  }
  return { text: metricFallbackText(answer), blocks };
}

// ── everything else /metric says ────────────────────────────────────────────────────────────────────────

export function renderMetricSuggestions(query: string, suggestions: Pick<Metric, 'id' | 'name'>[], period: string | null): BlockMessage {
  if (suggestions.length === 0) return renderNoMetric(query);
  const text = escapeMrkdwn(`No metric matches "${query}". Did you mean one of these?`);
  return {
    text,
    blocks: [
      section(`No metric matches *${escapeMrkdwn(query)}*. Did you mean:`),
      {
        type: 'actions',
        block_id: 'metric_suggestions',
        elements: suggestions.slice(0, 3).map((metric) => ({
          type: 'button' as const,
          action_id: `${PICK_METRIC_ACTION_PREFIX}${metric.id}`,
          text: plain(metric.name, 75),
          value: encodeMetricRef({ metric: metric.id, period }),
        })),
      },
      context('Or see them all with `/metric list`.'),
    ],
  };
}

export function renderNoMetric(query: string): BlockMessage {
  const text = escapeMrkdwn(`No metric matches "${query}". See them all with /metric list.`);
  return { text, blocks: [section(`No metric matches *${escapeMrkdwn(query)}*. See them all with \`/metric list\`.`)] };
}

export function renderMetricList(config: Config): BlockMessage {
  const listed = new Set(config.groups.flatMap((g) => g.metrics));
  const groups = config.groups.map((group) => ({ name: group.name, ids: group.metrics }));
  const unlisted = metricsOf(config)
    .filter((m) => !listed.has(m.id))
    .map((m) => m.id);
  if (unlisted.length) groups.push({ name: 'Other', ids: unlisted });

  const blocks: KnownBlock[] = [header('Metrics'), context('Ask for one with `/metric <name>`; 🔒 marks restricted figures.')];
  let left = 0;
  for (const group of groups) {
    const lines = group.ids.map((id) => {
      const metric = config.metrics[id];
      if (!metric) return `• \`${id}\``;
      return `• ${clip(escapeMrkdwn(metric.name), 80)} \`${id}\`${metric.sensitive ? ' 🔒' : ''}`;
    });
    const block = section(`*${clip(escapeMrkdwn(group.name), 80)}*\n${lines.join('\n')}`);
    // Past the message budget (blocks or characters) the rest is summarised instead of cut off mid-list.
    if (left > 0 || blocks.length >= SLACK_LIMITS.messageBlocks - 2 || blocksTextLength([...blocks, block]) > LIST_BUDGET)
      left += group.ids.length;
    else blocks.push(block);
  }
  if (left > 0)
    blocks.push(
      context(`…and ${left} more. Ask for one by name, e.g. \`/metric ${clip(groups[groups.length - 1]?.ids[0] ?? 'cash', 40)}\`.`),
    );
  return { text: `${metricsOf(config).length} metrics in ${groups.length} groups`, blocks };
}

/** The explain menu's block id carries the scorecard's week; the options carry metric ids. */
export const EXPLAIN_BLOCK_PREFIX = 'explain:';

/** *Explain a metric* on a weekly scorecard: a menu of the scorecard's metrics, by group, for that week. */
export function renderExplainPicker(config: Config, period: string | null): BlockMessage {
  const seen = new Set<string>();
  // A select holds 100 options in all; a catalog that large is far past what one scorecard shows.
  let budget = 100;
  const groups = [];
  for (const group of config.groups) {
    const ids = group.metrics.filter((id) => config.metrics[id] && !seen.has(id));
    for (const id of ids) seen.add(id);
    const options = ids.slice(0, budget).map((id) => ({ text: plain(config.metrics[id]!.name, 75), value: id }));
    budget -= options.length;
    if (options.length > 0) groups.push({ label: plain(group.name, 75), options });
  }
  const text = escapeMrkdwn(`Which metric${period ? ` of ${period}` : ''} should I explain?`);
  return {
    text,
    blocks: [
      {
        type: 'section',
        block_id: `${EXPLAIN_BLOCK_PREFIX}${period ?? ''}`,
        text: mrkdwn(text),
        accessory: {
          type: 'static_select',
          action_id: EXPLAIN_PICK_ACTION,
          placeholder: plain('Choose a metric', 150),
          option_groups: groups,
        },
      },
    ],
  };
}

export function renderMetricHelp(): BlockMessage {
  const lines = [
    '`/metric <name>` — a metric this (last completed) week: value, goal, status and why, trend, definition.',
    '`/metric <name> 2026-W47` — the same for a given week (also `last-week`, `this-week` or a day like `2026-11-20`).',
    '`/metric list` — every metric, by group.',
    'Names forgive typos and match aliases: `/metric cash`, `/metric dials`, `/metric close rate`.',
    'Answers are only visible to you; *Share in channel* posts the same answer for everyone.',
  ];
  return { text: 'How to use /metric', blocks: [header('/metric'), section(lines.join('\n'))] };
}

export function renderSensitiveRefusal(metricName: string): BlockMessage {
  const text = escapeMrkdwn(`${metricName} is restricted: it can only be shown to the people and channels finance has allowed.`);
  return {
    text,
    blocks: [
      section(
        `🔒 *${escapeMrkdwn(metricName)}* is restricted. It is only shown to the people and channels allowed to see it — ask a scorecard admin if you need access.`,
      ),
    ],
  };
}

export function renderShareRefused(metricName: string): BlockMessage {
  const text = escapeMrkdwn(`${metricName} can't be shared in this channel: it is restricted.`);
  return {
    text,
    blocks: [
      section(`🔒 *${escapeMrkdwn(metricName)}* is restricted, so it can't be shared in this channel. It stays visible only to you.`),
    ],
  };
}

/** Slack parses `text` for mentions just like mrkdwn, so the fallback is escaped as well as the block. */
export function renderNotice(text: string): BlockMessage {
  return { text: escapeMrkdwn(text), blocks: [section(escapeMrkdwn(text))] };
}
