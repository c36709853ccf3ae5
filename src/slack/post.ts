import { ErrorCode, type WebClient } from '@slack/web-api';
import type { Store } from '../store/db.js';
import type { DigestKind, DigestRunRow } from '../store/types.js';
import {
  claimDigestRun,
  markDigestFailed,
  markDigestPosted,
  renewDigestLease,
  updateDigestSnapshot,
  type DigestKey,
} from '../store/digest-runs.js';
import { isDeadLocalOwner, newLeaseOwner } from '../store/lease-owner.js';
import { describeChanges, type DigestSnapshot } from '../report/changes.js';
import type { SlackMessage } from './blocks.js';
import { describeSlackError, type DigestLogger } from './client.js';
import { sharedPacer, type ChannelPacer } from './pacing.js';
import { changeNoteMessage } from './change-note.js';
import { sendDroppingRefusedCharts } from './chart.js';

/**
 * Posting a digest exactly once per (kind, period, channel). The ledger row is claimed before anything is sent and
 * the parent's ts saved the moment it exists; every post carries message metadata, so a process that died between
 * `chat.postMessage` and the ledger write is found again in `conversations.history` instead of posting twice. A
 * period already posted is updated in place, with one thread reply saying what changed.
 */

const HISTORY_PAGES = 20;
const HISTORY_MARGIN_S = 3_600;
const DEFAULT_LOOKBACK_MS = 8 * 86_400_000;

export const DIGEST_EVENT_TYPE = 'scorecard_digest';
/** Thread replies that carry the rest of a long digest; `part` is 2-based, like "(continued 2/3)". */
export const DIGEST_PART_EVENT_TYPE = 'scorecard_digest_part';

export interface PostDeps {
  store: Store;
  client: WebClient;
  logger: DigestLogger;
  now: () => Date;
  pacer?: ChannelPacer;
  staleClaimMs?: number;
  leaseMs?: number;
}

export interface RenderedDigest {
  messages: SlackMessage[];
  snapshot: DigestSnapshot;
}

export interface DigestJob {
  kind: DigestKind;
  period: string;
  channel: string;
  render: () => Promise<RenderedDigest>;
  /** The earliest instant a post for this period can exist (the period's start); bounds the history search. */
  postedAfter?: Date;
  /** Why figures moved, when a refresh knows ("2 tickets reopened"): added to the change note. */
  why?: string[];
}

/**
 * `in_progress`: another live process holds the claim on this period, so nothing was done here (the CLI exits 3).
 * `unchanged`: the period is complete and its figures have not moved.
 */
export type PostOutcome = 'posted' | 'in_progress' | 'updated' | 'unchanged' | 'recovered';

export interface PostResult {
  outcome: PostOutcome;
  ts: string;
  /** What changed since the posted version ("Dials 118 → 126, 🟡 → 🟢"), for updates and recoveries. */
  changes: string[];
  /** For `in_progress`: who holds the claim, and until when. */
  heldBy?: { owner: string | null; leaseUntil: string | null };
}

/** The claim was taken over while this process was still posting (it stalled past its lease): stop, post nothing. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
}

/** What the ledger keeps in `snapshot`: the figures posted and the thread replies holding the rest of the table. */
interface LedgerState {
  figures: DigestSnapshot;
  parts: string[];
}

function readLedger(json: string | null): LedgerState | null {
  if (!json) return null;
  try {
    const parsed = JSON.parse(json) as Partial<LedgerState> | null;
    if (!parsed || typeof parsed.figures !== 'object' || parsed.figures === null) return null;
    return { figures: parsed.figures, parts: Array.isArray(parsed.parts) ? parsed.parts.filter((p) => typeof p === 'string') : [] };
  } catch {
    return null;
  }
}

const writeLedger = (state: LedgerState) => JSON.stringify(state);

/**
 * Error text safe for the ledger and the logs: Slack's error code when there is one, never a URL (SLACK_API_URL may
 * hold credentials) and never the raw error object (a transport error can carry the request's Authorization header).
 */

const isSlackError = (error: unknown, code: string) =>
  (error as { code?: unknown }).code === ErrorCode.PlatformError && (error as { data?: { error?: unknown } }).data?.error === code;

type Metadata = { event_type?: unknown; event_payload?: Record<string, unknown> } | undefined;

function isOurs(metadata: Metadata, eventType: string, job: DigestJob): boolean {
  const payload = metadata?.event_payload;
  return metadata?.event_type === eventType && payload?.kind === job.kind && payload?.period === job.period;
}

class DigestPoster {
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

const KIND_TITLES: Record<DigestKind, string> = { weekly: 'Weekly scorecard', cash: 'Cash digest', support: 'Support digest' };

/** Posts the digest once, or brings an already posted one up to date; see the module comment. */
export async function postDigest(deps: PostDeps, job: DigestJob): Promise<PostResult> {
  const key: DigestKey = { kind: job.kind, period: job.period, channel: job.channel };
  const owner = newLeaseOwner();
  const claim = await claimDigestRun(deps.store, key, deps.now(), {
    owner,
    leaseMs: deps.leaseMs,
    staleClaimMs: deps.staleClaimMs,
    isOwnerDead: isDeadLocalOwner,
  });
  const { run, claimed } = claim;
  if (!claim.claimed && (claim.reason === 'owned' || !run.message_ts)) {
    deps.logger.info({ ...key, owner: run.owner, leaseUntil: run.lease_until }, 'digest is being posted by another process');
    return { outcome: 'in_progress', ts: run.message_ts ?? '', changes: [], heldBy: { owner: run.owner, leaseUntil: run.lease_until } };
  }
  const poster = new DigestPoster(deps, job, claimed ? { runId: run.id, owner } : null);
  try {
    const rendered = await job.render();
    if (rendered.messages.length === 0) throw new Error(`the ${job.kind} digest rendered no messages`);
    if (!claimed) return await updatePosted(deps, poster, run, rendered);
    const recovered = run.message_ts !== null || run.attempts > 1 ? await recover(deps, poster, run, rendered) : null;
    if (recovered) return recovered;
    return await postFresh(deps, poster, run, rendered);
  } catch (error) {
    // A lost lease belongs to the new owner now: recording a failure would undo its claim.
    if (!(error instanceof LeaseLostError)) await markDigestFailed(deps.store, run.id, describeSlackError(error), deps.now());
    throw error;
  }
}

async function postFresh(deps: PostDeps, poster: DigestPoster, run: DigestRunRow, rendered: RenderedDigest): Promise<PostResult> {
  const [parent, ...rest] = rendered.messages;
  const ts = await poster.postParent(parent!);
  await poster.renew(ts);
  const parts: string[] = [];
  for (const [i, message] of rest.entries()) parts.push(await poster.postPart(ts, message, i + 2));
  await markDigestPosted(deps.store, run.id, { messageTs: ts, snapshot: writeLedger({ figures: rendered.snapshot, parts }) }, deps.now());
  deps.logger.info({ kind: run.kind, period: run.period, channel: run.channel, ts, parts: parts.length }, 'digest posted');
  return { outcome: 'posted', ts, changes: [] };
}

async function updatePosted(deps: PostDeps, poster: DigestPoster, run: DigestRunRow, rendered: RenderedDigest): Promise<PostResult> {
  const ts = run.message_ts!;
  const ledger = readLedger(run.snapshot);
  const changes = ledger ? describeChanges(ledger.figures, rendered.snapshot) : [];
  const partsChanged = !ledger || ledger.parts.length !== rendered.messages.length - 1;
  if (changes.length === 0 && !partsChanged) return { outcome: 'unchanged', ts, changes };

  await poster.update(ts, rendered.messages[0]!);
  const parts = await poster.syncParts(ts, ledger?.parts ?? [], rendered.messages, true);
  if (changes.length > 0) await poster.postChangeNote(ts, changes);
  await updateDigestSnapshot(deps.store, run.id, writeLedger({ figures: rendered.snapshot, parts }), deps.now());
  deps.logger.info(
    { kind: run.kind, period: run.period, channel: run.channel, ts, changes: changes.length },
    'posted digest updated in place',
  );
  return { outcome: 'updated', ts, changes };
}

/** A previous attempt may have posted: adopt its message if Slack has it, then make the thread match this render. */
async function recover(deps: PostDeps, poster: DigestPoster, run: DigestRunRow, rendered: RenderedDigest): Promise<PostResult | null> {
  const ts = run.message_ts ?? (await poster.findParent());
  if (!ts) return null;
  if (run.message_ts === null) await poster.renew(ts);

  const ledger = readLedger(run.snapshot);
  const changes = ledger ? describeChanges(ledger.figures, rendered.snapshot) : [];
  const existing = await poster.findParts(ts);
  // Without a saved snapshot nobody knows what the crashed attempt rendered: bring everything up to date, silently.
  const stale = !ledger || changes.length > 0 || existing.length !== rendered.messages.length - 1 || existing.includes(undefined);
  if (stale) await poster.update(ts, rendered.messages[0]!);
  const parts = await poster.syncParts(ts, existing, rendered.messages, stale);
  if (changes.length > 0) await poster.postChangeNote(ts, changes);
  await markDigestPosted(deps.store, run.id, { messageTs: ts, snapshot: writeLedger({ figures: rendered.snapshot, parts }) }, deps.now());
  deps.logger.warn(
    { kind: run.kind, period: run.period, channel: run.channel, ts, attempts: run.attempts },
    'digest found already posted; ledger recovered',
  );
  return { outcome: 'recovered', ts, changes };
}
