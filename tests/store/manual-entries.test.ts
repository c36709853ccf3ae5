import { beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/store/audit.js';
import type { Store } from '../../src/store/db.js';
import {
  addManualEntry,
  deleteManualEntry,
  editManualEntry,
  entryHistory,
  getManualEntry,
  manualDailySums,
  manualEntriesForWeek,
  recentEntriesByUser,
  undoManualEntry,
  type NewManualEntryInput,
} from '../../src/store/manual-entries.js';
import { storeKinds, useTempStore } from '../helpers/tmp-store.js';

const T0 = new Date('2026-11-16T15:00:00.000Z');
const T1 = new Date('2026-11-16T15:05:00.000Z');
const T2 = new Date('2026-11-16T15:10:00.000Z');
const WEEK = ['2026-11-16', '2026-11-23'] as const;

function entry(overrides: Partial<NewManualEntryInput> = {}): NewManualEntryInput {
  return { metricId: 'coi_meetings', day: '2026-11-17', value: 2, userId: 'U_ANA', enteredBy: 'U_ANA', ...overrides };
}

describe.each(storeKinds())('manual entries (%s)', (kind) => {
  const temp = useTempStore(kind);
  let store: Store;
  beforeEach(() => {
    store = temp.store;
  });

  const sums = () => manualDailySums(store, ['coi_meetings', 'networking_events'], ...WEEK);

  it('adds an entry, audits it, and counts it in the daily sums', async () => {
    const { entry: added, created } = await addManualEntry(store, entry({ note: 'lunch with CPA' }), T0);
    expect(created).toBe(true);
    expect(added).toMatchObject({
      metric_id: 'coi_meetings',
      day: '2026-11-17',
      value: 2,
      user_id: 'U_ANA',
      entered_by: 'U_ANA',
      note: 'lunch with CPA',
      created_at: T0.toISOString(),
      supersedes: null,
      deleted_at: null,
    });
    await addManualEntry(store, entry({ value: 1 }), T1);
    await addManualEntry(store, entry({ metricId: 'networking_events', day: '2026-11-18', value: 1 }), T1);
    await addManualEntry(store, entry({ day: '2026-11-23', value: 50 }), T1); // next week: outside the range

    expect(await sums()).toEqual([
      { metric_id: 'coi_meetings', day: '2026-11-17', value: 3 },
      { metric_id: 'networking_events', day: '2026-11-18', value: 1 },
    ]);
    const audit = await listAudit(store, { subject: `manual_entry:${added.id}`, limit: 5 });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'U_ANA', action: 'manual_entry.add', at: T0.toISOString() });
    expect(JSON.parse(audit[0]?.detail ?? 'null')).toMatchObject({ value: 2, note: 'lunch with CPA' });
  });

  it('stores one entry for a repeated submission with the same idempotency key', async () => {
    const first = await addManualEntry(store, entry({ idempotencyKey: 'view:V123' }), T0);
    const again = await addManualEntry(store, entry({ idempotencyKey: 'view:V123' }), T1);
    expect(again.created).toBe(false);
    expect(again.entry).toEqual(first.entry);
    expect(await sums()).toEqual([{ metric_id: 'coi_meetings', day: '2026-11-17', value: 2 }]);
    expect(await listAudit(store, { limit: 10 })).toHaveLength(1);
  });

  it('an edit keeps the old version and only the new one counts', async () => {
    const { entry: original } = await addManualEntry(store, entry({ value: 2, note: 'typo' }), T0);
    const edited = await editManualEntry(store, original.id, { value: 3, note: null }, 'U_MGR', T1);

    expect(edited).toMatchObject({ supersedes: original.id, value: 3, note: null, entered_by: 'U_MGR', user_id: 'U_ANA' });
    expect(await getManualEntry(store, original.id)).toEqual(original);
    expect(await sums()).toEqual([{ metric_id: 'coi_meetings', day: '2026-11-17', value: 3 }]);

    const moved = await editManualEntry(store, edited.id, { day: '2026-11-19' }, 'U_ANA', T2);
    expect(moved).toMatchObject({ day: '2026-11-19', value: 3, note: null });
    expect(await sums()).toEqual([{ metric_id: 'coi_meetings', day: '2026-11-19', value: 3 }]);

    const history = await entryHistory(store, edited.id);
    expect(history.map((v) => [v.id, v.value, v.day])).toEqual([
      [original.id, 2, '2026-11-17'],
      [edited.id, 3, '2026-11-17'],
      [moved.id, 3, '2026-11-19'],
    ]);
    expect(await entryHistory(store, 9999)).toEqual([]);
    const audit = await listAudit(store, { subject: `manual_entry:${edited.id}`, limit: 5 });
    expect(audit.map((a) => a.action)).toEqual(['manual_entry.edit']);
    expect(JSON.parse(audit[0]?.detail ?? 'null')).toMatchObject({ supersedes: original.id, before: { value: 2 } });
  });

  it('refuses to edit a superseded version, a deleted entry, a missing one, or with nothing to change', async () => {
    const { entry: original } = await addManualEntry(store, entry(), T0);
    const edited = await editManualEntry(store, original.id, { value: 5 }, 'U_ANA', T1);
    await expect(editManualEntry(store, original.id, { value: 6 }, 'U_ANA', T2)).rejects.toThrow(
      `manual entry ${original.id} was already edited (its current version is ${edited.id}); edit that one`,
    );

    await deleteManualEntry(store, edited.id, 'U_ANA', T2);
    await expect(editManualEntry(store, edited.id, { value: 6 }, 'U_ANA', T2)).rejects.toThrow(
      `manual entry ${edited.id} was deleted and cannot be edited`,
    );
    await expect(editManualEntry(store, 424242, { value: 1 }, 'U_ANA', T2)).rejects.toThrow('manual entry 424242 not found');
    await expect(editManualEntry(store, edited.id, {}, 'U_ANA', T2)).rejects.toThrow(/nothing to change/);
    expect(await entryHistory(store, original.id)).toHaveLength(2);
  });

  it('a delete keeps the row, removes it from sums, and is idempotent', async () => {
    const { entry: keep } = await addManualEntry(store, entry({ value: 1 }), T0);
    const { entry: gone } = await addManualEntry(store, entry({ value: 4 }), T0);
    const deleted = await deleteManualEntry(store, gone.id, 'U_ANA', T1);
    expect(deleted).toMatchObject({ id: gone.id, deleted_at: T1.toISOString(), deleted_by: 'U_ANA', value: 4 });

    const again = await deleteManualEntry(store, gone.id, 'U_OTHER', T2);
    expect(again).toEqual(deleted);
    expect(await sums()).toEqual([{ metric_id: 'coi_meetings', day: '2026-11-17', value: 1 }]);
    expect(await getManualEntry(store, gone.id)).toEqual(deleted);
    expect((await listAudit(store, { subject: `manual_entry:${gone.id}`, limit: 10 })).map((a) => a.action)).toEqual([
      'manual_entry.delete',
      'manual_entry.add',
    ]);
    expect((await recentEntriesByUser(store, 'U_ANA', 10)).map((e) => e.id)).toEqual([keep.id]);
    await expect(deleteManualEntry(store, 777, 'U_ANA', T1)).rejects.toThrow('manual entry 777 not found');
  });

  it('undo of an entry edited since removes its current version', async () => {
    const { entry: original } = await addManualEntry(store, entry({ value: 2 }), T0);
    const edited = await editManualEntry(store, original.id, { value: 3 }, 'U_ANA', T1);
    const undone = await undoManualEntry(store, original.id, 'U_ANA', T2);

    expect(undone.id).toBe(edited.id);
    expect(undone.deleted_at).toBe(T2.toISOString());
    expect(await sums()).toEqual([]);
    expect((await listAudit(store, { limit: 1 }))[0]).toMatchObject({ action: 'manual_entry.undo', subject: `manual_entry:${edited.id}` });
  });

  it('lists a user’s live entries newest first and a week’s live entries by day', async () => {
    const a = (await addManualEntry(store, entry({ day: '2026-11-18', value: 1 }), T0)).entry;
    const b = (await addManualEntry(store, entry({ day: '2026-11-16', value: 2 }), T1)).entry;
    const c = (await addManualEntry(store, entry({ userId: 'U_BEN', enteredBy: 'U_ANA', value: 3 }), T1)).entry;
    const bEdited = await editManualEntry(store, b.id, { value: 20 }, 'U_ANA', T2);
    const d = (await addManualEntry(store, entry({ metricId: 'networking_events', value: 1 }), T2)).entry;
    await deleteManualEntry(store, d.id, 'U_ANA', T2);

    expect((await recentEntriesByUser(store, 'U_ANA', 10)).map((e) => e.id)).toEqual([bEdited.id, a.id]);
    expect((await recentEntriesByUser(store, 'U_ANA', 1)).map((e) => e.id)).toEqual([bEdited.id]);

    const metrics = ['coi_meetings', 'networking_events'];
    expect((await manualEntriesForWeek(store, metrics, 'U_ANA', ...WEEK)).map((e) => e.id)).toEqual([bEdited.id, a.id]);
    expect((await manualEntriesForWeek(store, metrics, undefined, ...WEEK)).map((e) => e.id)).toEqual([bEdited.id, c.id, a.id]);
    expect(await manualEntriesForWeek(store, metrics, 'U_ANA', '2026-11-23', '2026-11-30')).toEqual([]);
  });

  it('sums decimals without floating drift and rejects non-finite values', async () => {
    await addManualEntry(store, entry({ metricId: 'ad_spend', value: 0.1 }), T0);
    await addManualEntry(store, entry({ metricId: 'ad_spend', value: 0.2 }), T0);
    expect(await manualDailySums(store, ['ad_spend'], ...WEEK)).toEqual([{ metric_id: 'ad_spend', day: '2026-11-17', value: 0.3 }]);
    await expect(addManualEntry(store, entry({ value: Number.NaN }), T0)).rejects.toThrow(/finite number/);
    await expect(addManualEntry(store, entry({ day: '17/11/2026' }), T0)).rejects.toThrow(
      /CHECK constraint failed|violates check constraint/,
    );
    expect(await listAudit(store, { limit: 10 })).toHaveLength(2);
  });
});
