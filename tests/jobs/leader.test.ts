import pino from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { startLeadership } from '../../src/jobs/leader.js';
import { openStore, type Store } from '../../src/store/db.js';
import { openLeaderLock } from '../../src/store/leader-lock.js';
import { storeKinds, useTempStore } from '../helpers/tmp-store.js';

const silent = pino({ level: 'silent' });

/** Polls `probe` up to `tries` times, 20 ms apart: a bounded wait, not a timing assertion. */
async function eventually(probe: () => boolean, tries = 250): Promise<boolean> {
  for (let i = 0; i < tries && !probe(); i++) await new Promise((r) => setTimeout(r, 20));
  return probe();
}

describe.each(storeKinds())('the scheduler lock (%s)', (kind) => {
  const temp = useTempStore(kind);
  let store: Store;
  beforeEach(() => {
    store = temp.store;
  });

  it('is held by one process at a time and passes on when released', async () => {
    const other = await openStore(store.url);
    const mine = await openLeaderLock(store);
    const theirs = await openLeaderLock(other);
    try {
      expect(await mine.tryAcquire()).toBe(true);
      expect(await theirs.tryAcquire()).toBe(false);
      expect(await mine.stillHeld()).toBe(true);
      expect(await mine.tryAcquire()).toBe(true);
      await mine.release();
      expect(await theirs.tryAcquire()).toBe(true);
      expect(await theirs.stillHeld()).toBe(true);
    } finally {
      await theirs.release();
      await other.close();
    }
  });

  it('elects one of two replicas, and the other takes over when the leader stops', async () => {
    const terms: string[] = [];
    const replica = async (name: string) =>
      startLeadership({
        lock: await openLeaderLock(store),
        logger: silent,
        pollMs: 20,
        onElected: () => void terms.push(`${name} elected`),
        onDeposed: async () => void terms.push(`${name} deposed`),
      });
    const a = await replica('a');
    const b = await replica('b');
    try {
      expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);
      await a.stop();
      expect(await eventually(() => b.isLeader())).toBe(true);
      expect(terms).toEqual(['a elected', 'a deposed', 'b elected']);
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});
