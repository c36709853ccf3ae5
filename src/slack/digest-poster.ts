import { ErrorCode } from '@slack/web-api';
import { renewDigestLease } from '../store/digest-runs.js';
import type { DigestKind } from '../store/types.js';
import type { SlackMessage } from './blocks.js';
import { changeNoteMessage } from './change-note.js';
import { sendDroppingRefusedCharts } from './chart.js';
import { describeSlackError } from './client.js';
import { DIGEST_EVENT_TYPE, DIGEST_PART_EVENT_TYPE, LeaseLostError, type DigestJob, type PostDeps } from './digest-job.js';
import { sharedPacer, type ChannelPacer } from './pacing.js';

/**
 * The Slack side of one digest post: paced, lease-renewing calls that mark every message with metadata, and the
 * history search that finds a post a crashed process made before its ledger write.
 */

const HISTORY_PAGES = 20;
const HISTORY_MARGIN_S = 3_600;
const DEFAULT_LOOKBACK_MS = 8 * 86_400_000;

const isSlackError = (error: unknown, code: string) =>
  (error as { code?: unknown }).code === ErrorCode.PlatformError && (error as { data?: { error?: unknown } }).data?.error === code;

type Metadata = { event_type?: unknown; event_payload?: Record<string, unknown> } | undefined;

function isOurs(metadata: Metadata, eventType: string, job: DigestJob): boolean {
  const payload = metadata?.event_payload;
  return metadata?.event_type === eventType && payload?.kind === job.kind && payload?.period === job.period;
}

const KIND_TITLES: Record<DigestKind, string> = { weekly: 'Weekly scorecard', cash: 'Cash digest', support: 'Support digest' };

export class DigestPoster {
  private readonly pacer: ChannelPacer;

  constructor(
    private readonly deps: PostDeps,
    private readonly job: DigestJob,
    private readonly lease: { runId: number; owner: string } | null,
  ) {
    this.pacer = deps.pacer ?? sharedPacer;
  }

  /** Renews the claim before each call, so a live poster keeps it however long the thread takes. */
  async renew(messageTs?: string): Promise<void> {
    if (!this.lease) return;
    const held = await renewDigestLease(this.deps.store, this.lease.runId, this.lease.owner, this.deps.now(), {
      leaseMs: this.deps.leaseMs,
      ...(messageTs !== undefined ? { messageTs } : {}),
    });
    if (!held) throw new LeaseLostError(`the ${this.job.kind} ${this.job.period} claim was taken over by another process`);
  }

  private send<T>(call: () => Promise<T>): Promise<T> {
    return this.pacer.run(this.job.channel, async () => {
      await this.renew();
      return call();
    });
  }

  private parentMetadata() {
    return { event_type: DIGEST_EVENT_TYPE, event_payload: { kind: this.job.kind, period: this.job.period } };
  }

  private partMetadata(part: number) {
    return { event_type: DIGEST_PART_EVENT_TYPE, event_payload: { kind: this.job.kind, period: this.job.period, part } };
  }

  private async post(
    message: SlackMessage,
    extra: { thread_ts?: string; metadata?: { event_type: string; event_payload: Record<string, string | number> } },
  ): Promise<string> {
    const result = await sendDroppingRefusedCharts(
      message,
      (m) =>
        this.send(() =>
          this.deps.client.chat.postMessage({
            channel: this.job.channel,
            text: m.text,
            blocks: m.blocks,
            unfurl_links: false,
            unfurl_media: false,
            ...extra,
          }),
        ),
      (error) => this.chartRefused(error),
    );
    if (!result.ts) throw new Error('chat.postMessage answered without a ts');
    return result.ts;
  }

  postParent(message: SlackMessage): Promise<string> {
    return this.post(message, { metadata: this.parentMetadata() });
  }

  postPart(parentTs: string, message: SlackMessage, part: number): Promise<string> {
    return this.post(message, { thread_ts: parentTs, metadata: this.partMetadata(part) });
  }

  /** chat.update keeps the ts (and so the thread); metadata is sent again so it survives the edit. */
  async update(ts: string, message: SlackMessage, part = 1): Promise<void> {
    const metadata = part === 1 ? this.parentMetadata() : this.partMetadata(part);
    await sendDroppingRefusedCharts(
      message,
      (m) => this.send(() => this.deps.client.chat.update({ channel: this.job.channel, ts, text: m.text, blocks: m.blocks, metadata })),
      (error) => this.chartRefused(error),
    );
  }

  private chartRefusalLogged = false;

  /** Logged once per digest, however many of its messages carried a refused chart. */
  private chartRefused(error: unknown): void {
    if (this.chartRefusalLogged) return;
    this.chartRefusalLogged = true;
    this.deps.logger.warn(
      { kind: this.job.kind, period: this.job.period, channel: this.job.channel, err: describeSlackError(error) },
      'Slack refused a chart (invalid_blocks); sent without charts, their figures are in the text',
    );
  }

  /** Makes the thread hold exactly the rendered parts: updates those that exist, posts missing ones, deletes extras. */
  async syncParts(
    parentTs: string,
    existing: (string | undefined)[],
    messages: SlackMessage[],
    updateExisting: boolean,
  ): Promise<string[]> {
    const parts: string[] = [];
    for (let i = 1; i < messages.length; i++) {
      const ts = existing[i - 1];
      const message = messages[i]!;
      if (ts !== undefined && (!updateExisting || (await this.updateUnlessDeleted(ts, message, i + 1)))) parts.push(ts);
      else parts.push(await this.postPart(parentTs, message, i + 1));
    }
    for (const extra of existing.slice(messages.length - 1)) {
      if (extra === undefined) continue;
      await this.send(() => this.deps.client.chat.delete({ channel: this.job.channel, ts: extra })).catch((error: unknown) => {
        if (!isSlackError(error, 'message_not_found')) throw error;
      });
    }
    return parts;
  }

  /** False when someone deleted the reply: it is posted again rather than failing the whole update. */
  private async updateUnlessDeleted(ts: string, message: SlackMessage, part: number): Promise<boolean> {
    try {
      await this.update(ts, message, part);
      return true;
    } catch (error) {
      if (isSlackError(error, 'message_not_found')) return false;
      throw error;
    }
  }

  async postChangeNote(parentTs: string, changes: string[]): Promise<void> {
    const title = `${KIND_TITLES[this.job.kind]} ${this.job.period}`;
    await this.post(changeNoteMessage(title, changes, this.job.why), { thread_ts: parentTs });
  }

  /** The parent this digest posted before a crash, by its metadata, newest first from the period's start on. */
  async findParent(): Promise<string | null> {
    const after = this.job.postedAfter ?? new Date(this.deps.now().getTime() - DEFAULT_LOOKBACK_MS);
    const oldest = (Math.floor(after.getTime() / 1000) - HISTORY_MARGIN_S).toString();
    const { channel } = this.job;
    for await (const messages of pages((cursor) =>
      this.deps.client.conversations.history({ channel, oldest, include_all_metadata: true, limit: 100, cursor }),
    )) {
      const found = messages.find((m) => isOurs(m.metadata as Metadata, DIGEST_EVENT_TYPE, this.job));
      if (found?.ts) return found.ts;
    }
    return null;
  }

  /** Continuation replies already in the thread by part (index 0 = part 2); a crash may have left holes. */
  async findParts(parentTs: string): Promise<(string | undefined)[]> {
    const parts: (string | undefined)[] = [];
    const { channel } = this.job;
    for await (const messages of pages((cursor) =>
      this.deps.client.conversations.replies({ channel, ts: parentTs, include_all_metadata: true, limit: 200, cursor }),
    )) {
      for (const m of messages) {
        const metadata = m.metadata as Metadata;
        const part = Number(metadata?.event_payload?.part);
        if (m.ts && m.ts !== parentTs && Number.isInteger(part) && part >= 2 && isOurs(metadata, DIGEST_PART_EVENT_TYPE, this.job))
          parts[part - 2] = m.ts;
      }
    }
    return Array.from(parts);
  }
}

type Page<T> = { messages?: T[]; response_metadata?: { next_cursor?: string } };

/** Cursor pagination over conversations.history/replies, bounded so a huge channel cannot stall a post. */
async function* pages<T>(fetch: (cursor: string | undefined) => Promise<Page<T>>): AsyncGenerator<T[]> {
  let cursor: string | undefined;
  for (let page = 0; page < HISTORY_PAGES; page++) {
    const result = await fetch(cursor);
    yield result.messages ?? [];
    cursor = result.response_metadata?.next_cursor || undefined;
    if (!cursor) return;
  }
}
