import type { WebClient } from '@slack/web-api';
import type { KnownBlock } from '@slack/types';
import type { Config, Metric } from '../config/schema.js';
import type { Week } from '../metrics/types.js';
import type { Store } from '../store/db.js';
import { metricsOf } from '../metrics/catalog.js';
import { describeGoal } from '../metrics/goals.js';
import { lastDayOf } from '../report/weekly.js';
import { manualEntriesForWeek } from '../store/manual-entries.js';
import { claimSyncState, getSyncState, setSyncState } from '../store/sync-state.js';
import { dayRange } from '../report/text.js';
import { clip, escapeMrkdwn, mrkdwn, plain, type SlackMessage } from '../slack/blocks.js';
import type { DigestLogger } from '../slack/client.js';
import { sharedPacer, type ChannelPacer } from '../slack/pacing.js';
import { resolveOwnerIds } from '../slack/owner-ids.js';

/**
 * Before the weekly post, a DM to each owner of a manual weekly metric with nothing logged for the week, with a
 * *Log now* button per missing metric. At most one DM per owner per slot: the slot's sync_state key is claimed
 * (one atomic insert) before the DM is sent, so neither a crash mid-send nor a second replica produces a second nudge.
 */

export interface NudgeDeps {
  store: Store;
  client: WebClient;
  config: Config;
  logger: DigestLogger;
  now: () => Date;
  pacer?: ChannelPacer;
}

/** `log_now:<metric id>` (action ids must be unique within a message); the value is JSON `{ metric, week }`. */
export const LOG_NOW_ACTION = 'log_now';
export const logNowActionId = (metricId: string) => `${LOG_NOW_ACTION}:${metricId}`;

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;
/** Buttons per DM; any further missing metrics are named in one closing line. */
const MAX_BUTTONS = 40;

export const nudgeKey = (slot: Date, owner: string) => `nudge:${slot.toISOString()}:${owner}`;

type NudgeState = { state: 'sending' | 'sent' | 'failed'; at: string; metrics: string[]; ts?: string; error?: string };
/** How a failed slot's stored JSON begins (`state` is always the first key), so a retry can re-claim exactly those. */
const FAILED_STATE_PREFIX = '{"state":"failed"';

function readState(value: string | undefined): NudgeState | null {
  if (!value) return null;
  try {
    return JSON.parse(value) as NudgeState;
  } catch {
    return null;
  }
}

export function nudgeMessage(metrics: Metric[], week: Week): SlackMessage {
  const range = dayRange(week.start, lastDayOf(week));
  const shown = metrics.slice(0, MAX_BUTTONS);
  const rest = metrics.slice(MAX_BUTTONS);
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: mrkdwn(
        `The scorecard for *${week.label}* (${range}) goes out soon, and ${metrics.length === 1 ? 'this number is' : 'these numbers are'} not in yet:`,
      ),
    },
    ...shown.map(
      (metric): KnownBlock => ({
        type: 'section',
        text: mrkdwn(clip(`*${escapeMrkdwn(metric.name)}*${metric.goal ? ` · goal ${describeGoal(metric.goal, metric.unit)}` : ''}`, 3000)),
        accessory: {
          type: 'button',
          action_id: logNowActionId(metric.id),
          text: plain('Log now'),
          style: 'primary',
          value: JSON.stringify({ metric: metric.id, week: week.label }),
        },
      }),
    ),
  ];
  if (rest.length > 0) {
    blocks.push({
      type: 'context',
      elements: [mrkdwn(clip(escapeMrkdwn(`Also missing: ${rest.map((m) => m.name).join(', ')} — use /log`), 2000))],
    });
  }
  const names = metrics.map((m) => m.name).join(', ');
  return { text: clip(`Numbers missing for ${week.label}: ${names}`, 1000), blocks };
}

/** Manual weekly metrics with an owner and no live entry in `week`, grouped by owner (as configured). */
export async function missingByOwner(store: Store, config: Config, week: Week): Promise<Map<string, Metric[]>> {
  const manual = metricsOf(config).filter((m) => m.source === 'manual' && m.cadence.includes('weekly') && m.owner);
  const entries = await manualEntriesForWeek(
    store,
    manual.map((m) => m.id),
    null,
    week.start,
    week.end,
  );
  const logged = new Set(entries.map((e) => e.metric_id));
  const missing = new Map<string, Metric[]>();
  for (const metric of manual) {
    if (logged.has(metric.id)) continue;
    const list = missing.get(metric.owner!) ?? [];
    list.push(metric);
    missing.set(metric.owner!, list);
  }
  return missing;
}

/**
 * DMs every owner still missing numbers for `week`. `skipped` counts owners with missing numbers who got no DM from
 * this call: already nudged for this slot, or not resolvable to a Slack user, or the DM failed.
 */
export async function sendNudges(deps: NudgeDeps, slot: Date, week: Week): Promise<{ sent: number; skipped: number }> {
  const pacer = deps.pacer ?? sharedPacer;
  const missing = await missingByOwner(deps.store, deps.config, week);
  // Emails → Slack ids: slack.users, then the store's cache, then users.lookupByEmail (cached for the next slot).
  const ids = await resolveOwnerIds(
    { store: deps.store, users: deps.config.slack.users, client: deps.client, now: deps.now(), logger: deps.logger },
    [...missing.keys()],
  );
  const resolve = (owner: string) => (SLACK_USER_ID.test(owner) ? owner : (ids.get(owner.toLowerCase()) ?? null));
  let sent = 0;
  let skipped = 0;
  for (const [owner, metrics] of missing) {
    const key = nudgeKey(slot, owner);
    const previous = readState(await getSyncState(deps.store, key));
    if (previous && previous.state !== 'failed') {
      skipped++;
      continue;
    }
    const userId = resolve(owner);
    if (!userId) {
      skipped++;
      continue;
    }
    const metricIds = metrics.map((m) => m.id);
    const record = (state: NudgeState) => setSyncState(deps.store, key, JSON.stringify(state), deps.now());
    // The read above only spares a claim attempt; this claim is what makes the DM go out once across replicas.
    const sending: NudgeState = { state: 'sending', at: deps.now().toISOString(), metrics: metricIds };
    if (!(await claimSyncState(deps.store, key, JSON.stringify(sending), deps.now(), { retakePrefix: FAILED_STATE_PREFIX }))) {
      skipped++;
      continue;
    }
    try {
      const dm = await deps.client.conversations.open({ users: userId });
      const channel = dm.channel?.id;
      if (!channel) throw new Error('conversations.open answered without a channel');
      const message = nudgeMessage(metrics, week);
      const result = await pacer.run(channel, () => deps.client.chat.postMessage({ channel, text: message.text, blocks: message.blocks }));
      await record({ state: 'sent', at: deps.now().toISOString(), metrics: metricIds, ...(result.ts ? { ts: result.ts } : {}) });
      sent++;
    } catch (error) {
      const reason = (error as { data?: { error?: string } }).data?.error ?? (error instanceof Error ? error.name : 'error');
      deps.logger.warn({ owner, week: week.label, reason }, 'nudge DM failed');
      await record({ state: 'failed', at: deps.now().toISOString(), metrics: metricIds, error: reason });
      skipped++;
    }
  }
  return { sent, skipped };
}
