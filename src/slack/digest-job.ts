import type { WebClient } from '@slack/web-api';
import type { DigestSnapshot } from '../report/changes.js';
import type { Store } from '../store/db.js';
import type { DigestKind } from '../store/types.js';
import type { SlackMessage } from './blocks.js';
import type { DigestLogger } from './client.js';
import type { ChannelPacer } from './pacing.js';

/** What posting a digest takes and gives back (see post.ts), and how its messages are marked in Slack. */

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
