import type { ContextBlock, KnownBlock, SectionBlock } from '@slack/types';
import { windowLabel, type DailyDigest, type DailyItem } from '../report/daily.js';
import { SLACK_LIMITS, blocksTextLength } from './limits.js';
import { ageOf, dayLabel, localTime, STATUS_EMOJI, statusLabel, STATUS_WORD } from '../report/text.js';
import { clip, escapeMrkdwn, mrkdwn, plain, type SlackMessage } from './blocks.js';

/**
 * The weekday cash and support digests: one section per figure (value and status in the text, changes, goal and
 * as-of as fields), with a note under a figure when it is stale, not connected, warned about or a proxy. Figures
 * that would push the message past Slack's limits are named in a closing line instead of silently dropped.
 */

export interface DailyRenderOptions {
  now: Date;
}

const MAX_FIELD = 300;
const MAX_NOTE = 1500;
/** Room kept for the closing "n more figures" line. */
const RESERVED_TEXT = 300;
const RESERVED_BLOCKS = 1;

function asOfText(item: DailyItem, timezone: string, now: Date): string {
  if (item.asOf) {
    const when = `${localTime(item.asOf, timezone)} (${ageOf(item.asOf, now)})`;
    return item.status === 'stale' ? `🕒 ${when}, stale` : when;
  }
  if (item.connection === 'manual') return 'manual entries';
  if (item.connection === 'not_connected') return 'not connected';
  return '—';
}

function itemFields(item: DailyItem, timezone: string, now: Date): SectionBlock['fields'] {
  const field = (label: string, value: string | null) => mrkdwn(clip(`*${label}*\n${value ?? '—'}`, MAX_FIELD));
  const changes =
    item.window === 'now'
      ? [field('vs yesterday', item.vsYesterday), field('vs 7 days ago', item.vs7Days)]
      : [field('Last 7 days', item.last7Days)];
  return [...changes, field('Goal', item.goal), field('As of', asOfText(item, timezone, now))];
}

function itemNotes(item: DailyItem): string[] {
  const notes: string[] = [];
  if (item.connection === 'not_connected' || item.status === 'stale') notes.push(item.reason);
  notes.push(...item.warnings.map((w) => `⚠️ ${w}`));
  if (item.caveat) notes.push(`Note: ${item.caveat}`);
  return notes;
}

function itemBlocks(item: DailyItem, yesterday: string, timezone: string, now: Date): KnownBlock[] {
  const when = windowLabel(item, yesterday);
  const status = item.status === 'no_goal' ? '' : `   ${statusLabel(item.status, null)} ${STATUS_WORD[item.status]}`;
  const section: SectionBlock = {
    type: 'section',
    text: mrkdwn(clip(`*${escapeMrkdwn(item.name)}* · ${when}\n*${escapeMrkdwn(item.text)}*${status}`, SLACK_LIMITS.sectionText)),
    fields: itemFields(item, timezone, now),
  };
  const notes = itemNotes(item);
  if (notes.length === 0) return [section];
  const context: ContextBlock = { type: 'context', elements: [mrkdwn(clip(escapeMrkdwn(notes.join(' · ')), MAX_NOTE))] };
  return [section, context];
}

export function dailyFallbackText(view: DailyDigest): string {
  const figures = view.items.slice(0, 4).map((i) => `${i.name} ${i.text}${i.status === 'no_goal' ? '' : ` ${STATUS_EMOJI[i.status]}`}`);
  return clip(`${view.title} digest ${view.period.today}${figures.length ? `: ${figures.join(' · ')}` : ''}`, 600);
}

export function renderDailyMessage(view: DailyDigest, opts: DailyRenderOptions): SlackMessage {
  const tz = view.period.timezone;
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain(clip(`${view.title} digest · ${dayLabel(view.period.today)}`, SLACK_LIMITS.headerText)) },
    {
      type: 'context',
      elements: [
        mrkdwn(
          `Snapshots as of this morning, flows for ${dayLabel(view.period.yesterday)} · ${tz} · generated ${localTime(view.period.generatedAt, tz)}`,
        ),
      ],
    },
  ];
  if (view.items.length === 0) {
    blocks.push({
      type: 'section',
      text: mrkdwn(`No figures are configured for the ${view.kind} digest (digests.${view.kind} in scorecard.yml).`),
    });
  }

  let used = blocksTextLength(blocks);
  const left: DailyItem[] = [];
  for (const item of view.items) {
    const next = itemBlocks(item, view.period.yesterday, tz, opts.now);
    const fits =
      left.length === 0 &&
      blocks.length + next.length + RESERVED_BLOCKS <= SLACK_LIMITS.messageBlocks &&
      used + blocksTextLength(next) + RESERVED_TEXT <= SLACK_LIMITS.messageTotalText;
    if (!fits) {
      left.push(item);
      continue;
    }
    blocks.push(...next);
    used += blocksTextLength(next);
  }
  if (left.length > 0) {
    const names = clip(left.map((i) => i.name).join(', '), RESERVED_TEXT - 60);
    blocks.push({ type: 'context', elements: [mrkdwn(escapeMrkdwn(`${left.length} more figures (ask /metric): ${names}`))] });
  }
  return { text: dailyFallbackText(view), blocks };
}
