import type { DigestRunRow } from '../store/types.js';
import { claimDigestRun, markDigestFailed, markDigestPosted, updateDigestSnapshot, type DigestKey } from '../store/digest-runs.js';
import { isDeadLocalOwner, newLeaseOwner } from '../store/lease-owner.js';
import { describeChanges, type DigestSnapshot } from '../report/changes.js';
import { describeSlackError } from './client.js';
import { LeaseLostError, type DigestJob, type PostDeps, type PostResult, type RenderedDigest } from './digest-job.js';
import { DigestPoster } from './digest-poster.js';

/**
 * Posting a digest exactly once per (kind, period, channel). The ledger row is claimed before anything is sent and
 * the parent's ts saved the moment it exists; every post carries message metadata, so a process that died between
 * `chat.postMessage` and the ledger write is found again in `conversations.history` instead of posting twice. A
 * period already posted is updated in place, with one thread reply saying what changed.
 */

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
