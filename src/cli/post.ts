import type { WebClient } from '@slack/web-api';
import type { Runtime } from '../runtime.js';
import type { DigestKind } from '../store/types.js';
import { localDayOf } from '../metrics/periods.js';
import type { PostResult } from '../slack/digest-job.js';
import { postDigest } from '../slack/post.js';
import { createSlackClient } from '../slack/client.js';
import type { ChannelPacer } from '../slack/pacing.js';
import { buildDigestJob } from '../jobs/digest-render.js';
import { resolveWeek, UsageError } from './common.js';

/** Injected by tests: a client with fast retries, a pacer on a fake clock, an output sink. */
export interface PostCommandIo {
  client?: WebClient;
  pacer?: ChannelPacer;
  out?: (line: string) => void;
}

function periodFor(rt: Runtime, kind: DigestKind, period: string | undefined): string {
  const ctx = rt.evalContext();
  if (kind === 'weekly') return resolveWeek(period, ctx).week.label;
  if (period === undefined) return localDayOf(ctx.now, ctx.periods.timezone);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(period))
    throw new UsageError(`--period for the ${kind} digest is a day like 2026-11-20 — got "${period}"`);
  return period;
}

/**
 * `scorecard digest <kind> --post`: sends the digest to its channel, or updates the message already posted for that
 * period (never a second message). Prints the outcome and the message ts.
 */
export async function postDigestCommand(rt: Runtime, kind: string, opts: { period?: string }, io: PostCommandIo = {}): Promise<PostResult> {
  if (kind !== 'weekly' && kind !== 'cash' && kind !== 'support')
    throw new UsageError(`unknown digest "${kind}" — use weekly, cash or support`);
  const token = rt.env.SLACK_BOT_TOKEN;
  if (!io.client && !token) {
    throw new UsageError(
      '--post needs SLACK_BOT_TOKEN (the Bot User OAuth Token, xoxb-…); without --post the digest is printed here instead',
    );
  }
  const channel = rt.config.slack.channels[kind];
  if (!channel)
    throw new UsageError(`--post needs slack.channels.${kind} in ${rt.configPath} (the channel id to post the ${kind} digest to)`);

  const period = periodFor(rt, kind, opts.period);
  const client = io.client ?? createSlackClient({ token: token!, apiUrl: rt.env.SLACK_API_URL, logger: rt.logger });
  const result = await postDigest(
    { store: rt.store, client, logger: rt.logger, now: rt.now, ...(io.pacer ? { pacer: io.pacer } : {}) },
    buildDigestJob(rt, kind, period, channel, client),
  );
  const out = io.out ?? ((line: string) => void process.stdout.write(`${line}\n`));
  if (result.outcome === 'in_progress') {
    // Exit 3, not 0: the period is not complete yet, and a script must not take this run for the post.
    const holder = result.heldBy?.owner ? ` (${result.heldBy.owner}, lease until ${result.heldBy.leaseUntil ?? '?'})` : '';
    throw new UsageError(`${kind} ${period} → ${channel}: in_progress — another process is posting it${holder}; run again later`, 3);
  }
  // Every other outcome means the period is complete: the parent and every thread part are posted.
  out(`${kind} ${period} → ${channel}: ${result.outcome}${result.ts ? ` (ts ${result.ts})` : ''}`);
  for (const change of result.changes) out(`  ${change}`);
  return result;
}
