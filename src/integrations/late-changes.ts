import { addDays } from '../metrics/periods.js';
import type { LocalDay } from '../metrics/types.js';
import type { SyncState } from '../store/sync-state.js';

/**
 * Building blocks for sources with a modification cursor (`Source.lateChanges`): the cursor itself, an index of
 * the days each record was last counted on (so a change can name the old day as well as the new one), and the
 * small text helpers the reasons use. Both live in `sync_state`, one key each.
 */

/** Re-read this much before the cursor: a record saved while the last scan ran, or a clock a little behind, is not missed. */
export const CURSOR_OVERLAP_MS = 10 * 60_000;

export async function readCursor(state: SyncState, key: string): Promise<Date | undefined> {
  const raw = await state.get(key);
  const at = raw ? new Date(raw) : undefined;
  return at && !Number.isNaN(at.getTime()) ? at : undefined;
}

export async function writeCursor(state: SyncState, key: string, at: Date): Promise<void> {
  await state.set(key, at.toISOString());
}

/** Where the next scan starts: the cursor less the overlap (re-seeing a record is harmless: days are recomputed whole). */
export function scanStart(cursor: Date): Date {
  return new Date(cursor.getTime() - CURSOR_OVERLAP_MS);
}

/**
 * The days each record (a ticket, a deal) was last counted on, by record id. Only ids and days are kept, and
 * records whose every day is older than `RETAIN_DAYS` are dropped, so the index stays a few hundred kilobytes.
 */
export type RecordDays = Map<string, LocalDay[]>;

export const RETAIN_DAYS = 400;

export async function loadRecordDays(state: SyncState, key: string): Promise<RecordDays> {
  const raw = await state.get(key);
  if (!raw) return new Map();
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed === null || typeof parsed !== 'object') return new Map();
    const entries = Object.entries(parsed as Record<string, unknown>).filter(
      (entry): entry is [string, LocalDay[]] => Array.isArray(entry[1]) && entry[1].every((day) => typeof day === 'string'),
    );
    return new Map(entries);
  } catch {
    return new Map();
  }
}

export async function saveRecordDays(state: SyncState, key: string, index: RecordDays, today: LocalDay): Promise<void> {
  const keepFrom = addDays(today, -RETAIN_DAYS);
  const kept = [...index].filter(([, days]) => days.some((day) => day >= keepFrom));
  await state.set(key, JSON.stringify(Object.fromEntries(kept)));
}

/** Load, change, save: the index is re-read at each write, so a collect and a scan in one run never undo each other. */
export async function updateRecordDays(state: SyncState, key: string, today: LocalDay, change: (index: RecordDays) => void): Promise<void> {
  const index = await loadRecordDays(state, key);
  change(index);
  await saveRecordDays(state, key, index, today);
}

/** Adds days to a record's entry (a collect sees a ticket's creation and completion in separate queries). */
export function addRecordDays(index: RecordDays, id: string, days: readonly (LocalDay | undefined)[]): void {
  const merged = new Set([...(index.get(id) ?? []), ...days.filter((day): day is LocalDay => day !== undefined)]);
  index.set(id, [...merged].sort());
}

/** Sorted, unique days outside `[from, to]`: the window is re-collected anyway. */
export function daysOutside(days: Iterable<LocalDay>, from: LocalDay, to: LocalDay): LocalDay[] {
  return [...new Set(days)].filter((day) => day < from || day > to).sort();
}

/** Consecutive days grouped into inclusive ranges, so the refresh re-collects each run of days in one call. */
export function contiguousRuns(days: readonly LocalDay[]): { from: LocalDay; to: LocalDay }[] {
  const runs: { from: LocalDay; to: LocalDay }[] = [];
  for (const day of [...new Set(days)].sort()) {
    const last = runs[runs.length - 1];
    if (last && addDays(last.to, 1) === day) last.to = day;
    else runs.push({ from: day, to: day });
  }
  return runs;
}

/** "3 tickets reopened" from a tally of reasons; zero counts are left out. */
export function reasonTexts(counts: ReadonlyMap<string, number>, noun: [string, string]): string[] {
  return [...counts].filter(([, count]) => count > 0).map(([what, count]) => `${count} ${count === 1 ? noun[0] : noun[1]} ${what}`);
}
