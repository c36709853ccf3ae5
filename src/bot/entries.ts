import { errorMessage } from '../errors.js';
import { weekLockChecker } from '../report/week-locks.js';
import { ENTRY_BLOCK, type ConfirmedEntry, type EntryModalMode, type EntryState } from './views/entry-modal.js';
import { metricById } from '../metrics/catalog.js';
import { validateEntry, type EntryField } from '../metrics/entry-validation.js';
import { localDayOf } from '../metrics/periods.js';
import { deleteManualEntry, editManualEntry, getManualEntry, undoManualEntry } from '../store/manual-entries.js';
import type { ManualEntryRow } from '../store/types.js';
import { canChangeEntry, isAdmin } from './access.js';
import { whoIs, type BotDeps } from './deps.js';
import { logNewEntry } from '../report/log-entry.js';

/**
 * The entry rules behind the modal, Undo and the Home tab's Edit / Delete. Pure decisions live in
 * `validateEntry`; this adds who is asking, the lock window and the store.
 */

export type SubmitResult = { ok: false; errors: Record<string, string> } | { ok: true; entry: ConfirmedEntry; created: boolean };

type FieldErrors = Partial<Record<EntryField, string>>;

/**
 * Errors keyed by the submitted view's input block ids (Slack refuses errors for blocks the view lacks); a field
 * without an input in this view — an edit has no metric select, a non-admin no *on behalf of* — lands on the value.
 */
function toBlockErrors(errors: FieldErrors, inputBlockIds: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors) as [EntryField, string][]) {
    const block = inputBlockIds.has(ENTRY_BLOCK[field]) ? ENTRY_BLOCK[field] : ENTRY_BLOCK.value;
    out[block] = out[block] ? `${out[block]} ${message}` : message;
  }
  return out;
}

function confirmed(row: ManualEntryRow, deps: BotDeps, actor: string): ConfirmedEntry | undefined {
  const metric = metricById(deps.runtime.config, row.metric_id);
  if (!metric) return undefined;
  return { id: row.id, metric, day: row.day, value: row.value, note: row.note, forUser: row.user_id !== actor ? row.user_id : null };
}

/**
 * A submitted modal. New entries use the view id as idempotency key: Slack resubmitting the same view (a retry,
 * a double click) stores one entry. Edits write a version that supersedes the old one.
 */
export async function submitEntry(
  deps: BotDeps,
  submission: { userId: string; viewId: string; mode: EntryModalMode; state: EntryState; inputBlockIds: ReadonlySet<string> },
): Promise<SubmitResult> {
  const { config, store } = deps.runtime;
  const now = deps.now();
  const who = whoIs(deps, submission.userId);
  const { mode, state } = submission;
  if (mode.kind !== 'edit') {
    // The same write path as the web form: validation, locks and the idempotent insert live in report/log-entry.ts.
    const result = await logNewEntry(store, config, now, {
      who,
      metricId: state.metricId,
      day: state.day,
      value: state.value,
      note: state.note ?? null,
      onBehalfOf: state.onBehalfOf ?? null,
      idempotencyKey: submission.viewId,
    });
    if (!result.ok) return { ok: false, errors: toBlockErrors(result.errors, submission.inputBlockIds) };
    const { row, created } = result;
    if (created) deps.entriesChanged?.([row.day]);
    return {
      ok: true,
      entry: {
        id: row.id,
        metric: result.entry.metric,
        day: row.day,
        value: row.value,
        note: row.note,
        forUser: row.user_id !== submission.userId ? row.user_id : null,
      },
      created,
    };
  }

  const admin = isAdmin(config, who);
  const isLocked = await weekLockChecker(store, config, now);
  const validation = validateEntry(
    { metricId: mode.metricId, day: state.day, value: state.value, note: state.note ?? null, actor: submission.userId, onBehalfOf: null },
    { config, today: localDayOf(now, config.org.timezone), isAdmin: admin, isLocked },
  );
  if (!validation.ok) return { ok: false, errors: toBlockErrors(validation.errors, submission.inputBlockIds) };
  const { entry } = validation;

  const old = await getManualEntry(store, mode.entryId);
  if (!old || old.deleted_at !== null)
    return { ok: false, errors: { [ENTRY_BLOCK.value]: 'This entry was deleted meanwhile; log a new one instead.' } };
  if (!canChangeEntry(config, old, who))
    return {
      ok: false,
      errors: { [ENTRY_BLOCK.value]: 'Only the person it counts for, whoever entered it, or an admin can edit this entry.' },
    };
  if (!admin && isLocked(old.day))
    return {
      ok: false,
      errors: {
        [ENTRY_BLOCK.date]: 'This entry is in a locked week: its scorecard went out over a week ago. Ask an admin to change it.',
      },
    };
  try {
    const row = await editManualEntry(store, old.id, { value: entry.value, day: entry.day, note: entry.note }, submission.userId, now);
    deps.entriesChanged?.([...new Set([old.day, row.day])]);
    return { ok: true, entry: confirmed(row, deps, submission.userId)!, created: true };
  } catch (error) {
    return {
      ok: false,
      errors: { [ENTRY_BLOCK.value]: `Not saved: ${errorMessage(error).replace(/^manual entry \d+ /, 'the entry ')}.` },
    };
  }
}

export type UndoResult =
  | { ok: true; entry: ConfirmedEntry }
  | { ok: false; reason: 'missing' | 'not_allowed' | 'too_late'; message: string };

/** Undo within `defaults.undo_minutes` of the entry being made; after that, App Home's Edit / Delete. */
export async function undoEntry(deps: BotDeps, entryId: number, userId: string): Promise<UndoResult> {
  const { config, store } = deps.runtime;
  const now = deps.now();
  const row = Number.isInteger(entryId) ? await getManualEntry(store, entryId) : undefined;
  const entry = row ? confirmed(row, deps, userId) : undefined;
  if (!row || !entry) return { ok: false, reason: 'missing', message: 'That entry no longer exists.' };
  if (!canChangeEntry(config, row, whoIs(deps, userId))) {
    return { ok: false, reason: 'not_allowed', message: 'Only the person who logged this entry can undo it.' };
  }
  const windowMs = config.defaults.undo_minutes * 60_000;
  if (now.getTime() - Date.parse(row.created_at) > windowMs) {
    return {
      ok: false,
      reason: 'too_late',
      message: `Too late to undo: Undo works for ${config.defaults.undo_minutes} minutes. Use the App Home tab to edit or delete the entry.`,
    };
  }
  await undoManualEntry(store, entryId, userId, now);
  deps.entriesChanged?.([row.day]);
  return { ok: true, entry };
}

export type DeleteResult = { ok: true } | { ok: false; message: string };

export async function deleteEntry(deps: BotDeps, entryId: number, userId: string): Promise<DeleteResult> {
  const { config, store } = deps.runtime;
  const now = deps.now();
  const row = Number.isInteger(entryId) ? await getManualEntry(store, entryId) : undefined;
  if (!row) return { ok: false, message: 'That entry no longer exists.' };
  const who = whoIs(deps, userId);
  if (!canChangeEntry(config, row, who))
    return { ok: false, message: 'Only the person it counts for, whoever entered it, or an admin can delete this entry.' };
  const isLocked = await weekLockChecker(store, config, now);
  if (!isAdmin(config, who) && isLocked(row.day)) {
    return { ok: false, message: 'That entry is in a locked week: its scorecard went out over a week ago. Ask an admin to change it.' };
  }
  await deleteManualEntry(store, entryId, userId, now);
  deps.entriesChanged?.([row.day]);
  return { ok: true };
}
