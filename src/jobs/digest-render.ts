import type { Runtime } from '../runtime.js';
import type { DigestKind } from '../store/types.js';
import type { Week } from '../metrics/types.js';
import { localDayOf, parseWeekLabel } from '../metrics/periods.js';
import { dayStartMs } from '../metrics/zone.js';
import { dailyDigest, weeklyScorecard } from '../report/queries.js';
import { snapshotOf } from '../report/changes.js';
import { channelScorecard } from '../report/visibility.js';
import type { SlackMessage } from '../slack/blocks.js';
import { renderDailyMessage } from '../slack/daily.js';
import type { DigestJob } from '../slack/digest-job.js';
import { renderWeeklyMessages } from '../slack/weekly.js';
import { renderDailyTerminal, renderWeeklyTerminal } from '../terminal/render.js';
import { webSettingsOf } from '../web/deps.js';
import { resolveOwnerIds } from '../slack/owner-ids.js';
import type { WebClient } from '@slack/web-api';

/** One digest period rendered for a place it goes: Slack (a postable job), the terminal, or email's view time. */

const HOUR = 3_600_000;
/** The daily digests describe "this morning"; a past day is rendered as of 08:00 that day. */
const DAILY_RENDER_HOUR = 8;

export interface RenderTarget {
  kind: DigestKind;
  period: string;
  /** The instant the view is computed for (now, or 08:00 on a past day for a daily digest). */
  at: Date;
  week?: Week;
  postedAfter: Date;
}

/** The instant and week a digest period is rendered for; shared by Slack, the terminal and email. */
export function renderTarget(rt: Runtime, kind: DigestKind, period: string): RenderTarget {
  const periods = rt.evalContext().periods;
  const now = rt.now();
  if (kind === 'weekly') {
    const week = parseWeekLabel(period, periods);
    if (!week) throw new Error(`not a week label: ${period}`);
    return { kind, period, at: now, week, postedAfter: new Date(week.startAt) };
  }
  const dayStart = dayStartMs(period, periods.timezone);
  const isToday = localDayOf(now, periods.timezone) === period;
  return { kind, period, at: isToday ? now : new Date(dayStart + DAILY_RENDER_HOUR * HOUR), postedAfter: new Date(dayStart) };
}

/** A thread reply saying sensitive rows were left out of a channel's copy, and where to ask for them. */
function restrictedNote(hidden: number): SlackMessage {
  const text = `${hidden} restricted metric${hidden === 1 ? ' is' : 's are'} left out of this channel's scorecard; people with access can ask /metric.`;
  return { text, blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text }] }] };
}

/**
 * A postable job for one digest period: renders Block Kit and the figures snapshot from the store when called. With
 * a `client`, owners given as emails are resolved (cached `users.lookupByEmail`) before rendering, to be mentioned.
 */
export function buildDigestJob(
  rt: Runtime,
  kind: DigestKind,
  period: string,
  channel: string,
  client?: Pick<WebClient, 'users'>,
): DigestJob {
  const target = renderTarget(rt, kind, period);
  const render: DigestJob['render'] = async () => {
    const ctx = rt.evalContext(target.at);
    if (target.week) {
      const { view, hidden } = channelScorecard(await weeklyScorecard(rt.store, ctx, target.week), rt.config, channel);
      const owners = view.groups.flatMap((g) => g.rows.map((r) => r.owner));
      const mentions = await resolveOwnerIds(
        { store: rt.store, users: ctx.config.slack.users, now: ctx.now, logger: rt.logger, ...(client ? { client } : {}) },
        owners,
      );
      const messages = renderWeeklyMessages(view, { now: ctx.now, web: webSettingsOf(rt.env) !== undefined, mentions });
      if (hidden > 0) messages.push(restrictedNote(hidden));
      return { messages, snapshot: snapshotOf(view) };
    }
    const view = await dailyDigest(rt.store, ctx, kind as 'cash' | 'support');
    return { messages: [renderDailyMessage(view, { now: ctx.now })], snapshot: snapshotOf(view) };
  };
  return { kind, period, channel, render, postedAfter: target.postedAfter };
}

/** The digest as terminal text: what the scheduler prints without a Slack token. */
export async function terminalDigest(rt: Runtime, kind: DigestKind, period: string): Promise<string> {
  const target = renderTarget(rt, kind, period);
  const ctx = rt.evalContext(target.at);
  if (target.week) return renderWeeklyTerminal(await weeklyScorecard(rt.store, ctx, target.week), { color: false, now: ctx.now });
  return renderDailyTerminal(await dailyDigest(rt.store, ctx, kind as 'cash' | 'support'), { color: false, now: ctx.now });
}
