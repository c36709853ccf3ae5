import type { Config } from '../../config/schema.js';
import { errorMessage } from '../../errors.js';
import { metricById } from '../../metrics/catalog.js';
import type { LocalDay } from '../../metrics/types.js';
import type { BotDeps } from '../deps.js';
import { submitEntry } from '../entries.js';
import type { ConfirmedEntry } from '../views/entry-modal.js';
import type { EntryOutcome, EntryRequest, EntryWriter } from './types.js';

/** better-sqlite3 throws SqliteError (code SQLITE_…); PostgreSQL drivers give five-character SQLSTATE codes. */
export function isDatabaseError(error: unknown): boolean {
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
  return name === 'SqliteError' || (typeof code === 'string' && (code.startsWith('SQLITE_') || /^[0-9A-Z]{5}$/.test(code)));
}

/**
 * Checks and stores one `/log` submission with these deps (the entry thread's own, or the main thread's), at the
 * listener's clock. Never throws: a failure comes back as an outcome that says whether the database failed, since
 * an error object loses its kind crossing threads.
 */
export async function storeEntry(deps: BotDeps, request: EntryRequest): Promise<EntryOutcome> {
  const changedDays: LocalDay[] = [];
  const local: BotDeps = { ...deps, now: () => new Date(request.nowIso), entriesChanged: (days) => changedDays.push(...days) };
  try {
    const result = await submitEntry(local, {
      userId: request.userId,
      viewId: request.viewId,
      mode: request.mode,
      state: request.state,
      inputBlockIds: new Set(request.inputBlockIds),
    });
    if (!result.ok) return result;
    const { metric, ...entry } = result.entry;
    return { ok: true, entry: { ...entry, metricId: metric.id }, created: result.created, changedDays };
  } catch (error) {
    return { ok: 'failed', error: errorMessage(error), database: isDatabaseError(error) };
  }
}

/** The saved entry as the confirmation shows it, its metric from this thread's catalog (the same config). */
export function confirmedEntryOf(config: Config, entry: Extract<EntryOutcome, { ok: true }>['entry']): ConfirmedEntry | undefined {
  const metric = metricById(config, entry.metricId);
  if (!metric) return undefined;
  const { metricId: _, ...rest } = entry;
  return { ...rest, metric };
}

/**
 * An entry writer around `store` (inline, or a job on the entry thread): the days a saved entry touched go to
 * `deps.entriesChanged` here, on the main thread, where the scheduler lives.
 */
export function entryWriterOver(
  deps: BotDeps,
  where: EntryWriter['where'],
  store: (request: EntryRequest) => Promise<EntryOutcome>,
  close: () => Promise<void>,
): EntryWriter {
  return {
    where,
    async submit(request) {
      const outcome = await store(request);
      if (outcome.ok === true && outcome.changedDays.length > 0) deps.entriesChanged?.(outcome.changedDays);
      return outcome;
    },
    close,
  };
}

export function inlineEntryWriter(deps: BotDeps): EntryWriter {
  return entryWriterOver(
    deps,
    'inline',
    (request) => storeEntry(deps, request),
    async () => undefined,
  );
}
