import { beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/db.js';
import {
  claimDigestRun,
  getDigestRun,
  lastPostedRun,
  listDigestRuns,
  listUnfinishedDigestRuns,
  markDigestFailed,
  renewDigestLease,
  markDigestPosted,
  setDigestMessageTs,
  updateDigestSnapshot,
  type DigestKey,
} from '../../src/store/digest-runs.js';
import { storeKinds, useTempStore } from '../helpers/tmp-store.js';

const WEEK_47: DigestKey = { kind: 'weekly', period: '2026-W47', channel: 'C_SCORECARD' };
const at = (minute: number) => new Date(Date.UTC(2026, 10, 16, 8, minute));

describe.each(storeKinds())('digest run ledger (%s)', (kind) => {
  const temp = useTempStore(kind);
  let store: Store;
  beforeEach(() => {
    store = temp.store;
  });

  it('the first claim wins and a second claim while it is fresh is refused', async () => {
    const first = await claimDigestRun(store, WEEK_47, at(0));
    expect(first.claimed).toBe(true);
    expect(first.run).toMatchObject({ ...WEEK_47, status: 'claimed', attempts: 1, claimed_at: at(0).toISOString() });

    const second = await claimDigestRun(store, WEEK_47, at(5));
    expect(second).toEqual({ run: first.run, claimed: false, reason: 'owned' });
  });

  it('another connection to the same database (a second process) sees the claim and cannot take it', async () => {
    const other = await openStore(store.url);
    try {
      const mine = await claimDigestRun(store, WEEK_47, at(0));
      const theirs = await claimDigestRun(other, WEEK_47, at(1));
      expect(theirs).toEqual({ run: mine.run, claimed: false, reason: 'owned' });
      await markDigestPosted(store, mine.run.id, { messageTs: '9.9', snapshot: null }, at(2));
      expect((await claimDigestRun(other, WEEK_47, at(59), { staleClaimMs: 0 })).claimed).toBe(false);
    } finally {
      await other.close();
    }
  });

  it('a posted run is never claimed again, however old', async () => {
    const { run } = await claimDigestRun(store, WEEK_47, at(0));
    const posted = await markDigestPosted(store, run.id, { messageTs: '1763280000.000100', snapshot: '{"dials":130}' }, at(1));
    expect(posted).toMatchObject({ status: 'posted', message_ts: '1763280000.000100', posted_at: at(1).toISOString() });

    const later = await claimDigestRun(store, WEEK_47, new Date(Date.UTC(2026, 10, 30)));
    expect(later.claimed).toBe(false);
    expect(later.run).toEqual(posted);
    // A later failure (say, an in-place update) records the error but keeps the run posted.
    const failedUpdate = await markDigestFailed(store, run.id, 'chat.update: message_not_found', at(30));
    expect(failedUpdate).toMatchObject({ status: 'posted', error: 'chat.update: message_not_found' });
    expect((await claimDigestRun(store, WEEK_47, at(59), { staleClaimMs: 0 })).claimed).toBe(false);
  });

  it('a failed run can be claimed again, counting attempts', async () => {
    const { run } = await claimDigestRun(store, WEEK_47, at(0));
    const failed = await markDigestFailed(store, run.id, 'slack: ratelimited', at(1));
    expect(failed).toMatchObject({ status: 'failed', error: 'slack: ratelimited', updated_at: at(1).toISOString() });

    const retry = await claimDigestRun(store, WEEK_47, at(2));
    expect(retry.claimed).toBe(true);
    expect(retry.run).toMatchObject({ id: run.id, status: 'claimed', attempts: 2, claimed_at: at(2).toISOString() });
    const posted = await markDigestPosted(store, run.id, { messageTs: '1.2', snapshot: null }, at(3));
    expect(posted).toMatchObject({ status: 'posted', error: null, attempts: 2 });
  });

  it('a stale claim (the process died) is taken over and keeps its message_ts', async () => {
    const { run } = await claimDigestRun(store, WEEK_47, at(0));
    await setDigestMessageTs(store, run.id, '1763280000.000100', at(0));

    expect((await claimDigestRun(store, WEEK_47, at(10))).claimed).toBe(false); // exactly 10 min: not yet stale
    const takeover = await claimDigestRun(store, WEEK_47, at(11));
    expect(takeover.claimed).toBe(true);
    expect(takeover.run).toMatchObject({ id: run.id, attempts: 2, message_ts: '1763280000.000100', claimed_at: at(11).toISOString() });

    const custom = await claimDigestRun(store, WEEK_47, at(13), { staleClaimMs: 60_000 });
    expect(custom.claimed).toBe(true);
    expect(custom.run.attempts).toBe(3);
  });

  it('a lease: refused while its owner lives and renews, taken over when it lapses or its owner is dead', async () => {
    const lease = { leaseMs: 2 * 60_000 };
    const mine = await claimDigestRun(store, WEEK_47, at(0), { ...lease, owner: 'host-a:100:aaaa' });
    expect(mine.run).toMatchObject({ owner: 'host-a:100:aaaa', lease_until: at(2).toISOString() });
    // Renewed at minute 1 (as the poster does before each Slack call), it holds until minute 3.
    expect(await renewDigestLease(store, mine.run.id, 'host-a:100:aaaa', at(1), { ...lease, messageTs: '1.1' })).toBe(true);
    const alive = () => false;
    expect(await claimDigestRun(store, WEEK_47, at(2), { ...lease, owner: 'host-b:7:bbbb', isOwnerDead: alive })).toMatchObject({
      claimed: false,
      reason: 'owned',
    });
    const lapsed = await claimDigestRun(store, WEEK_47, at(4), { ...lease, owner: 'host-b:7:bbbb', isOwnerDead: alive });
    expect(lapsed).toMatchObject({ claimed: true, run: { owner: 'host-b:7:bbbb', attempts: 2, message_ts: '1.1' } });
    // The first owner wakes up: its lease is gone, so it must stop.
    expect(await renewDigestLease(store, mine.run.id, 'host-a:100:aaaa', at(4))).toBe(false);

    const dead = (owner: string) => owner === 'host-b:7:bbbb';
    const takeover = await claimDigestRun(store, WEEK_47, at(4), { ...lease, owner: 'host-c:9:cccc', isOwnerDead: dead });
    expect(takeover).toMatchObject({ claimed: true, run: { owner: 'host-c:9:cccc', attempts: 3 } });
    await markDigestPosted(store, takeover.run.id, { messageTs: '1.1', snapshot: null }, at(5));
    expect(await claimDigestRun(store, WEEK_47, at(59), { owner: 'host-d:1:dddd', isOwnerDead: () => true })).toMatchObject({
      claimed: false,
      reason: 'posted',
    });
  });

  it('lists unfinished runs (claimed or failed) for the sweep, not posted or given-up ones', async () => {
    const posted = await claimDigestRun(store, { ...WEEK_47, period: '2026-W45' }, at(0), { owner: 'a:1:x' });
    await markDigestPosted(store, posted.run.id, { messageTs: '1.0', snapshot: null }, at(1));
    await claimDigestRun(store, WEEK_47, at(2), { owner: 'a:1:x' });
    const failed = await claimDigestRun(store, { kind: 'cash', period: '2026-11-16', channel: 'C_FIN' }, at(3), { owner: 'a:1:x' });
    await markDigestFailed(store, failed.run.id, 'boom', at(3));
    const unfinished = await listUnfinishedDigestRuns(store, { since: at(0), maxAttempts: 5 });
    expect(unfinished.map((r) => [r.kind, r.period, r.status])).toEqual([
      ['weekly', '2026-W47', 'claimed'],
      ['cash', '2026-11-16', 'failed'],
    ]);
    expect(await listUnfinishedDigestRuns(store, { since: at(3), maxAttempts: 5 })).toHaveLength(1);
    expect(await listUnfinishedDigestRuns(store, { since: at(0), maxAttempts: 1 })).toEqual([]);
  });

  it('keeps one row per kind, period and channel', async () => {
    const runs = await Promise.all([
      claimDigestRun(store, WEEK_47, at(0)),
      claimDigestRun(store, { ...WEEK_47, channel: 'C_LEADERSHIP' }, at(0)),
      claimDigestRun(store, { ...WEEK_47, period: '2026-W48' }, at(0)),
      claimDigestRun(store, { kind: 'cash', period: '2026-W47', channel: 'C_SCORECARD' }, at(0)),
      claimDigestRun(store, WEEK_47, at(0)),
    ]);
    expect(runs.map((r) => r.claimed)).toEqual([true, true, true, true, false]);
    expect(new Set(runs.map((r) => r.run.id)).size).toBe(4);
    await expect(
      store.db
        .insertInto('digest_runs')
        .values({
          ...WEEK_47,
          status: 'claimed',
          attempts: 1,
          claimed_at: 'x',
          updated_at: 'x',
          message_ts: null,
          error: null,
          snapshot: null,
          posted_at: null,
        })
        .execute(),
    ).rejects.toThrow(/UNIQUE constraint failed|duplicate key value violates unique constraint/);
  });

  it('stores snapshots, finds runs by key, lists newest first and finds the last posted period', async () => {
    const w46 = await claimDigestRun(store, { ...WEEK_47, period: '2026-W46' }, at(0));
    await markDigestPosted(store, w46.run.id, { messageTs: '1.1', snapshot: '{"v":1}' }, at(1));
    const w47 = await claimDigestRun(store, WEEK_47, at(2));
    await markDigestPosted(store, w47.run.id, { messageTs: '1.2', snapshot: '{"v":2}' }, at(3));
    const cash = await claimDigestRun(store, { kind: 'cash', period: '2026-11-16', channel: 'C_FIN' }, at(4));
    await markDigestFailed(store, cash.run.id, 'boom', at(5));
    // Re-posting an old week later does not make it the "last" period.
    const w45 = await claimDigestRun(store, { ...WEEK_47, period: '2026-W45' }, at(6));
    await markDigestPosted(store, w45.run.id, { messageTs: '1.0', snapshot: null }, at(7));

    const updated = await updateDigestSnapshot(store, w47.run.id, '{"v":3}', at(8));
    expect(updated).toMatchObject({ snapshot: '{"v":3}', status: 'posted', updated_at: at(8).toISOString() });
    expect(await getDigestRun(store, WEEK_47)).toEqual(updated);
    expect(await getDigestRun(store, { ...WEEK_47, channel: 'C_NONE' })).toBeUndefined();

    expect((await listDigestRuns(store, { limit: 10 })).map((r) => r.period)).toEqual(['2026-W45', '2026-11-16', '2026-W47', '2026-W46']);
    expect((await listDigestRuns(store, { kind: 'weekly', limit: 2 })).map((r) => r.period)).toEqual(['2026-W45', '2026-W47']);
    expect((await lastPostedRun(store, 'weekly', 'C_SCORECARD'))?.period).toBe('2026-W47');
    expect(await lastPostedRun(store, 'cash', 'C_FIN')).toBeUndefined();
  });

  it('reports updates of a run that does not exist', async () => {
    await expect(markDigestPosted(store, 99, { messageTs: '1', snapshot: null }, at(0))).rejects.toThrow('digest run 99 not found');
    await expect(markDigestFailed(store, 99, 'x', at(0))).rejects.toThrow('digest run 99 not found');
    await expect(setDigestMessageTs(store, 99, '1', at(0))).rejects.toThrow('digest run 99 not found');
  });
});
