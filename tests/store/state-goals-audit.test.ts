import { beforeEach, describe, expect, it } from 'vitest';
import { appendAudit, listAudit } from '../../src/store/audit.js';
import type { Store } from '../../src/store/db.js';
import { addGoalChange, listGoalChanges } from '../../src/store/goal-changes.js';
import { getSyncState, setSyncState, syncStateFor } from '../../src/store/sync-state.js';
import { storeKinds, useTempStore } from '../helpers/tmp-store.js';

const T0 = new Date('2026-11-16T06:00:00.000Z');
const T1 = new Date('2026-11-16T07:00:00.000Z');

describe.each(storeKinds())('sync state, goal changes and audit (%s)', (kind) => {
  const temp = useTempStore(kind);
  let store: Store;
  beforeEach(() => {
    store = temp.store;
  });

  it('sync state stores, overwrites and stamps values; the Source adapter reads the clock per write', async () => {
    expect(await getSyncState(store, 'simplefin:quota')).toBeUndefined();
    await setSyncState(store, 'simplefin:quota', '{"day":"2026-11-16","used":3}', T0);
    await setSyncState(store, 'simplefin:quota', '{"day":"2026-11-16","used":4}', T1);
    expect(await getSyncState(store, 'simplefin:quota')).toBe('{"day":"2026-11-16","used":4}');

    const clock = [T0, T1];
    const state = syncStateFor(store, () => clock.shift() ?? T1);
    await state.set('hubspot:owners', '[1,2]');
    expect(await state.get('hubspot:owners')).toBe('[1,2]');
    expect(await state.get('missing')).toBeUndefined();
    const row = await store.db.selectFrom('sync_state').selectAll().where('key', '=', 'hubspot:owners').executeTakeFirstOrThrow();
    expect(row.updated_at).toBe(T0.toISOString());
  });

  it('goal changes round-trip with their period, ordered by metric and date', async () => {
    await addGoalChange(store, { metricId: 'dials', goal: { op: '>=', value: 150 }, effectiveFrom: '2026-12-01', changedBy: 'U_CEO' }, T0);
    await addGoalChange(
      store,
      { metricId: 'dials', goal: { op: '>=', value: 100 }, effectiveFrom: '2026-11-23', period: '2026-W48', changedBy: 'U_CEO' },
      T1,
    );
    await addGoalChange(
      store,
      { metricId: 'cash', goal: { op: 'between', min: 1, max: 2, tolerance_pct: 5 }, effectiveFrom: '2026-01-01', changedBy: 'U_CFO' },
      T1,
    );
    await addGoalChange(store, { metricId: 'other', goal: { op: '=', value: 0 }, effectiveFrom: '2026-01-01', changedBy: 'U_CFO' }, T1);

    expect(await listGoalChanges(store, ['dials', 'cash'])).toEqual([
      { metricId: 'cash', goal: { op: 'between', min: 1, max: 2, tolerance_pct: 5 }, from: '2026-01-01', period: null },
      { metricId: 'dials', goal: { op: '>=', value: 100 }, from: '2026-11-23', period: '2026-W48' },
      { metricId: 'dials', goal: { op: '>=', value: 150 }, from: '2026-12-01', period: null },
    ]);
    expect(await listGoalChanges(store, [])).toEqual([]);
    await expect(
      addGoalChange(store, { metricId: 'dials', goal: { op: 'approx' } as never, effectiveFrom: '2026-12-01', changedBy: 'U' }, T0),
    ).rejects.toThrow();
  });

  it('audit rows are listed newest first, filtered by subject, with secret-looking keys redacted', async () => {
    await appendAudit(store, { actor: 'cli', action: 'refresh', subject: 'source:hubspot', detail: { days: 7 } }, T0);
    await appendAudit(
      store,
      {
        actor: 'U_ADMIN',
        action: 'config.reload',
        subject: 'config',
        detail: { headers: { Authorization: 'Bearer abc' }, api_key: 'k', ok: true },
      },
      T1,
    );
    await appendAudit(store, { actor: 'cli', action: 'backup', subject: 'config' }, T1);

    const all = await listAudit(store, { limit: 10 });
    expect(all.map((a) => a.action)).toEqual(['backup', 'config.reload', 'refresh']);
    expect(all[0]?.detail).toBeNull();
    expect(JSON.parse(all[1]?.detail ?? 'null')).toEqual({ headers: { Authorization: '[redacted]' }, api_key: '[redacted]', ok: true });
    expect(all[1]?.detail).not.toContain('abc');
    expect((await listAudit(store, { subject: 'source:hubspot', limit: 10 })).map((a) => [a.at, a.actor])).toEqual([
      [T0.toISOString(), 'cli'],
    ]);
    expect(await listAudit(store, { subject: 'config', limit: 1 })).toHaveLength(1);
  });
});
