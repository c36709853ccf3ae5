import type { Config } from '../config/schema.js';
import { validateEntry, type EntryField, type ValidEntry } from '../metrics/entry-validation.js';
import { localDayOf } from '../metrics/periods.js';
import type { Store } from '../store/db.js';
import { addManualEntry } from '../store/manual-entries.js';
import type { ManualEntryRow } from '../store/types.js';
import { isAdmin, type Identity } from './access.js';
import { weekLockChecker } from './week-locks.js';

/**
 * A new manual entry, as the `/log` modal and the web form both write it: who is asking (admin or not), the week
 * locks, the shared validation rules, then one idempotent insert. Errors are per field; nothing is stored on error.
 */

export interface NewEntryRequest {
  who: Identity;
  metricId: string | undefined;
  day: string | undefined;
  value: string | number | undefined;
  note?: string | null;
  onBehalfOf?: string | null;
  /** A repeated submission with the same key stores one entry (the Slack view id, the web form's nonce). */
  idempotencyKey: string;
}

export type NewEntryResult =
  | { ok: false; errors: Partial<Record<EntryField, string>> }
  | { ok: true; entry: ValidEntry; row: ManualEntryRow; created: boolean };

export async function logNewEntry(store: Store, config: Config, now: Date, request: NewEntryRequest): Promise<NewEntryResult> {
  const admin = isAdmin(config, request.who);
  const isLocked = await weekLockChecker(store, config, now);
  const validation = validateEntry(
    {
      metricId: request.metricId,
      day: request.day,
      value: request.value,
      note: request.note ?? null,
      actor: request.who.userId,
      onBehalfOf: request.onBehalfOf ?? null,
    },
    { config, today: localDayOf(now, config.org.timezone), isAdmin: admin, isLocked },
  );
  if (!validation.ok) return { ok: false, errors: validation.errors };
  const { entry } = validation;
  const { entry: row, created } = await addManualEntry(
    store,
    {
      metricId: entry.metric.id,
      day: entry.day,
      value: entry.value,
      userId: entry.userId,
      enteredBy: request.who.userId,
      note: entry.note,
      idempotencyKey: request.idempotencyKey,
    },
    now,
  );
  return { ok: true, entry, row, created };
}
