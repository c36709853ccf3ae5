import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/db.js';
import { copyDatabase, emptyDatabase, tablesOf } from '../../src/store/copy.js';
import { getDailyValues, upsertDailyValues } from '../../src/store/daily-values.js';
import { addManualEntry, editManualEntry, entryHistory } from '../../src/store/manual-entries.js';
import { claimDigestRun, markDigestPosted } from '../../src/store/digest-runs.js';
import { finishSourceRun, recordSourceFailure, startSourceRun } from '../../src/store/source-health.js';
import { setSyncState } from '../../src/store/sync-state.js';
import { addGoalChange } from '../../src/store/goal-changes.js';
import { listAudit } from '../../src/store/audit.js';
import { openTempStore, storeKinds, type StoreKind } from '../helpers/tmp-store.js';

const NOW = new Date('2026-11-16T14:03:00.000Z');

async function seed(store: Store): Promise<void> {
  const days = Array.from({ length: 40 }, (_, i) => new Date(Date.UTC(2026, 9, 1 + i)).toISOString().slice(0, 10));
  await upsertDailyValues(
    store,
    days.map((day, i) => ({ metric_id: 'mrr', day, value: i * 1.1, source: 'hubspot', fetched_at: NOW.toISOString(), warnings: '["w"]' })),
  );
  const { entry } = await addManualEntry(
    store,
    { metricId: 'dials', day: '2026-11-16', value: 3, userId: 'U1', enteredBy: 'U1', idempotencyKey: 'k1' },
    NOW,
  );
  await editManualEntry(store, entry.id, { value: 4 }, 'U1', NOW);
  const { run } = await claimDigestRun(store, { kind: 'weekly', period: '2026-W46', channel: 'C1' }, NOW);
  await markDigestPosted(store, run.id, { messageTs: '1.2', snapshot: '{}' }, NOW);
  const sourceRun = await startSourceRun(store, { source: 'hubspot', from: '2026-11-10', to: '2026-11-16' }, NOW);
  await finishSourceRun(store, sourceRun, { status: 'ok', calls: 3, rateLimited: 1, valuesWritten: 40, durationMs: 12 }, NOW);
  await recordSourceFailure(store, 'stripe', 'auth', 'bad key', NOW);
  await setSyncState(store, 'cursor', 'abc', NOW);
  await addGoalChange(store, { metricId: 'dials', goal: { op: '>=', value: 5 }, effectiveFrom: '2026-11-16', changedBy: 'U1' }, NOW);
}

const pairs: [StoreKind, StoreKind][] = storeKinds().flatMap((from) => storeKinds().map((to): [StoreKind, StoreKind] => [from, to]));

describe.each(pairs)('db copy from %s to %s', (fromKind, toKind) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const open = async (kind: StoreKind) => {
    const temp = await openTempStore(kind);
    cleanups.push(temp.cleanup);
    return temp.store;
  };

  it('copies every table with matching counts, and a second run copies nothing and changes nothing', async () => {
    const from = await open(fromKind);
    const to = await open(toKind);
    await seed(from);

    const first = await copyDatabase(from, to);
    expect(first.map((r) => r.table)).toEqual(await tablesOf(from));
    for (const table of first) expect(table).toMatchObject({ copied: table.source, target: table.source });
    expect(first.find((r) => r.table === 'daily_values')?.source).toBe(40);

    const again = await copyDatabase(from, to);
    for (const table of again) expect(table).toMatchObject({ copied: 0, target: table.source });

    expect(await getDailyValues(to, ['mrr'], '2026-10-01', '2026-12-01')).toEqual(
      await getDailyValues(from, ['mrr'], '2026-10-01', '2026-12-01'),
    );
    expect(await entryHistory(to, 2)).toEqual(await entryHistory(from, 2));
    expect(await listAudit(to, { limit: 10 })).toEqual(await listAudit(from, { limit: 10 }));
  });

  it('keeps numbering ids after the copied ones', async () => {
    const from = await open(fromKind);
    const to = await open(toKind);
    await seed(from);
    await copyDatabase(from, to);
    const { entry } = await addManualEntry(to, { metricId: 'dials', day: '2026-11-17', value: 1, userId: 'U2', enteredBy: 'U2' }, NOW);
    expect(entry.id).toBe(3);
  });

  it('fails, naming the table, when the target already held other rows', async () => {
    const from = await open(fromKind);
    const to = await open(toKind);
    await seed(from);
    await setSyncState(to, 'unrelated', 'x', NOW);
    await expect(copyDatabase(from, to)).rejects.toThrow(/row counts differ after the copy: sync_state 1 → 2/);
  });

  it('emptyDatabase leaves the schema and no rows', async () => {
    const store = await open(toKind);
    await seed(store);
    await emptyDatabase(store);
    const report = await copyDatabase(await open(fromKind), store);
    for (const table of report) expect(table).toMatchObject({ source: 0, target: 0 });
  });
});
